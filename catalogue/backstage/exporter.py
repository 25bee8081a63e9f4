"""Export the catalogue as one multi-document catalog-info.yaml: Groups (teams), Users
(members of teams, or imported), Domains and Systems, Components, APIs and Resources.

Deterministic (fixed kind order, entities sorted by ref, keys in a fixed order, no time
stamp), and what it writes re-imports to the same catalogue: exporting that again gives
the same bytes.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from catalogue.audit import CATALOG_EXPORT
from catalogue.backstage.descriptor import MAX_NAME, NAME_RE, parse_ref
from catalogue.backstage.mapping import (
    EXPORT_TYPES,
    LINK_FIELDS,
    MODEL_URI_ANNOTATION,
    kind_for,
    lifecycle_for,
)
from catalogue.models import Component, ComponentDependency, ExternalIdentity, System
from registry.core.audit import record_audit_event
from registry.core.permissions import require as require_permission
from teams.models import Team, TeamMembership

API_VERSION = "backstage.io/v1alpha1"
KIND_ORDER = ["Group", "User", "Domain", "System", "Component", "API", "Resource"]
HEADER = "# catalog-info.yaml exported by ML Design Registry: re-import it to restore.\n"


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value and not value.endswith(" ") and "\t" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _valid_name(name: str) -> bool:
    return bool(NAME_RE.match(name)) and len(name) <= MAX_NAME


def _metadata(
    name: str,
    namespace: str,
    *,
    title: str = "",
    description: str = "",
    data: dict | None = None,
    tags: list[str] | None = None,
    extra_links: list | None = None,
    extra_annotations: dict | None = None,
) -> dict:
    data = data or {}
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if title and title != name:
        meta["title"] = title
    if description:
        meta["description"] = description
    if data.get("labels"):
        meta["labels"] = dict(sorted(data["labels"].items()))
    annotations = dict(data.get("annotations") or {})
    annotations.update(extra_annotations or {})
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    if tags:
        meta["tags"] = sorted(tags)
    links = list(data.get("links") or []) + list(extra_links or [])
    if links:
        meta["links"] = links
    return meta


def _doc(kind: str, api_version: str, metadata: dict, spec: dict) -> dict:
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


def team_ref(team: Team) -> str:
    identity = getattr(team, "backstage_identity", None)
    return identity.ref if identity is not None else f"group:default/{team.slug}"


def _name_of(ref: str) -> tuple[str, str]:
    namespace, _, name = ref.split(":", 1)[1].partition("/")
    return namespace, name


def _group_docs(teams: list[Team], members: dict[int, list]) -> list[tuple[str, dict]]:
    docs = []
    for team in teams:
        ref = team_ref(team)
        identity = getattr(team, "backstage_identity", None)
        data = identity.data if identity is not None else {}
        namespace, lower_name = _name_of(ref)
        name = data.get("name") or lower_name
        if not _valid_name(name):
            continue
        profile: dict[str, Any] = {}
        if team.name != name:
            profile["displayName"] = team.name
        if team.email:
            profile["email"] = team.email
        if data.get("picture"):
            profile["picture"] = data["picture"]
        spec: dict[str, Any] = {"type": data.get("type", "team")}
        if profile:
            spec["profile"] = profile
        if team.parent_id:
            spec["parent"] = team_ref(team.parent)
        elif data.get("parent"):
            spec["parent"] = data["parent"]
        spec["children"] = sorted(team_ref(child) for child in team.children.all())
        meta = _metadata(
            name, namespace, description=team.description, data=data, tags=data.get("tags")
        )
        if data.get("title") and data["title"] != team.name:
            meta["title"] = data["title"]
        docs.append((ref, _doc("Group", data.get("apiVersion", API_VERSION), meta, spec)))
    return docs


def _user_docs(users, team_refs: dict[int, str]) -> list[tuple[str, dict]]:
    docs = []
    for user in users:
        identity = getattr(user, "backstage_identity", None)
        data = identity.data if identity is not None else {}
        if identity is not None:
            ref = identity.ref
        else:
            ref = f"user:default/{user.get_username().lower()}"
        namespace, lower_name = _name_of(ref)
        name = data.get("name") or (user.get_username() if identity is None else lower_name)
        if not _valid_name(name):
            continue
        profile: dict[str, Any] = {}
        if user.first_name:
            profile["displayName"] = user.first_name
        if user.email:
            profile["email"] = user.email
        if data.get("picture"):
            profile["picture"] = data["picture"]
        spec: dict[str, Any] = {}
        if profile:
            spec["profile"] = profile
        spec["memberOf"] = sorted(
            team_refs[m.team_id] for m in user.team_memberships.all() if m.team_id in team_refs
        )
        meta = _metadata(name, namespace, description=data.get("description", ""), data=data)
        docs.append((ref, _doc("User", data.get("apiVersion", API_VERSION), meta, spec)))
    return docs


def _system_docs(systems, team_refs: dict[int, str]) -> list[tuple[str, dict]]:
    docs = []
    for system in systems:
        data = system.data or {}
        namespace, lower_name = _name_of(system.ref)
        name = data.get("name") or lower_name
        spec: dict[str, Any] = {
            "owner": _owner_ref(data.get("owner", ""), system.owner_team, team_refs)
        }
        spec.update({k: v for k, v in sorted((data.get("spec") or {}).items())})
        meta = _metadata(
            name,
            namespace,
            title=system.title,
            description=system.description,
            data=data,
            tags=data.get("tags"),
        )
        kind = "Domain" if system.kind == "domain" else "System"
        docs.append((system.ref, _doc(kind, data.get("apiVersion", API_VERSION), meta, spec)))
    return docs


def _owner_ref(raw: str, team: Team, team_refs: dict[int, str]) -> str:
    """The owner as imported when it still names the owning team (a user's personal team
    included), else the owning team's ref."""
    current = team_refs.get(team.pk) or team_ref(team)
    if raw:
        try:
            ref = parse_ref(raw, default_kind="group")
        except ValueError:
            return current
        if ref.kind == "user" and current == f"group:{ref.namespace}/user-{ref.name}":
            return str(ref)
        if str(ref) == current:
            return str(ref)
    return current


def component_ref(component: Component) -> str:
    return component.external_ref or f"component:default/{component.slug}"


def _component_docs(components, team_refs: dict[int, str], deps: dict[int, list[str]]):
    docs = []
    for component in components:
        data = component.backstage or {}
        ref = component_ref(component)
        kind = data.get("kind", "Component")
        namespace, lower_name = _name_of(ref)
        name = data.get("name") or lower_name
        stored_type = data.get("type", "")
        spec_type = (
            stored_type
            if stored_type and kind_for(kind.lower(), stored_type) == component.kind
            else EXPORT_TYPES[component.kind]
        )
        spec: dict[str, Any] = {"type": spec_type}
        raw_lifecycle = data.get("lifecycle")
        if (
            raw_lifecycle is not None
            and lifecycle_for(raw_lifecycle, kind.lower()) == component.lifecycle
        ):
            spec["lifecycle"] = raw_lifecycle
        elif not (
            kind == "Resource" and raw_lifecycle is None and component.lifecycle == "production"
        ):
            spec["lifecycle"] = component.lifecycle
        spec["owner"] = _owner_ref(data.get("owner", ""), component.owner_team, team_refs)
        spec.update({k: v for k, v in sorted((data.get("spec") or {}).items())})
        depends = sorted(
            set(deps.get(component.pk, [])) | set(data.get("unresolved_depends_on", []))
        )
        if depends:
            spec["dependsOn"] = depends
        links = [
            {"url": getattr(component, f), "title": title, "type": link_type}
            for f, (link_type, title) in LINK_FIELDS.items()
            if getattr(component, f)
        ]
        annotations = (
            {MODEL_URI_ANNOTATION: component.model_registry_uri}
            if component.model_registry_uri
            else {}
        )
        meta = _metadata(
            name,
            namespace,
            title=component.name,
            description=component.description,
            data=data,
            tags=[t.name for t in component.tags.all()],
            extra_links=links,
            extra_annotations=annotations,
        )
        docs.append((ref, _doc(kind, data.get("apiVersion", API_VERSION), meta, spec)))
    return docs


def export_catalog(*, actor) -> str:
    """The whole catalogue the actor may see, as catalog-info.yaml text."""
    require_permission(actor, "catalogue.export_catalog")
    teams = list(
        Team.objects.restrict(actor, "view")
        .select_related("backstage_identity", "parent__backstage_identity")
        .prefetch_related(
            Prefetch("children", queryset=Team.objects.select_related("backstage_identity"))
        )
    )
    team_refs = {t.pk: team_ref(t) for t in teams}
    member_ids = set(
        TeamMembership.objects.filter(team_id__in=team_refs).values_list("user_id", flat=True)
    )
    identity_user_ids = set(
        ExternalIdentity.objects.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=member_ids | identity_user_ids, is_active=True)
        .select_related("backstage_identity")
        .prefetch_related("team_memberships")
    )
    components = list(
        Component.objects.restrict(actor, "view")
        .select_related("owner_team")
        .prefetch_related("tags")
    )
    refs = {c.pk: component_ref(c) for c in components}
    deps: dict[int, list[str]] = {}
    for source, target in ComponentDependency.objects.values_list("component_id", "target_id"):
        if source in refs and target in refs:
            deps.setdefault(source, []).append(refs[target])
    systems = System.objects.restrict(actor, "view").select_related("owner_team")
    entries = (
        _group_docs(teams, {})
        + _user_docs(users, team_refs)
        + _system_docs(systems, team_refs)
        + _component_docs(components, team_refs, deps)
    )
    entries.sort(key=lambda item: (KIND_ORDER.index(item[1]["kind"]), item[0]))
    text = HEADER + "".join(
        "---\n" + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        for _, doc in entries
    )
    record_audit_event(
        actor=actor, action=CATALOG_EXPORT, obj=None, payload={"entities": len(entries)}
    )
    return text
