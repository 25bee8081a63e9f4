"""Import Backstage catalog-info.yaml files into the catalogue.

Per file, all or nothing: every document is checked first (catalogue.backstage.descriptor);
a file with any rejected document imports nothing, and each rejected document is reported
with the file, its index and its line. Then, in one transaction: Groups (teams), Users
(accounts and memberships), Systems and Domains, then Components, APIs and Resources,
then their dependencies. Entities are matched by kind, namespace and name (the entity ref,
kept in `external_ref` / `ExternalIdentity.ref`), so a re-import updates and never
duplicates. The mapping is written down in catalogue/backstage/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from catalogue.audit import CATALOG_IMPORT, COMPONENT_CREATE, COMPONENT_UPDATE
from catalogue.backstage import mapping
from catalogue.backstage.descriptor import (
    MAX_FILE_BYTES,
    DescriptorError,
    Entity,
    Rejected,
    Skipped,
    check_entity,
    parse_ref,
    read_documents,
)
from catalogue.choices import LIFECYCLE_TRANSITIONS
from catalogue.models import (
    Component,
    ComponentDependency,
    ExternalIdentity,
    LifecycleTransition,
    System,
    Tag,
)
from registry.core.audit import record_audit_event
from registry.core.errors import DomainError
from registry.core.markdown import validate_markdown
from registry.core.permissions import require as require_permission
from registry.core.search import refresh_search_vector
from teams.models import Team, TeamMembership

__all__ = ["MAX_FILE_BYTES", "ImportReport", "catalog_import"]


@dataclass
class Problem:
    document: int | None
    line: int | None
    message: str
    ref: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "line": self.line,
            "ref": self.ref,
            "message": self.message,
        }


@dataclass
class FileReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    imported: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "imported": self.imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": [p.as_dict() for p in self.rejected],
            "notes": [p.as_dict() for p in self.notes],
        }


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def ok(self) -> bool:
        return not any(f.rejected for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(len(f.rejected) for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self._total("created"),
            "updated": self._total("updated"),
            "unchanged": self._total("unchanged"),
            "skipped": self._total("skipped"),
            "rejected": self.rejected,
            "files": [f.as_dict() for f in self.files],
        }

    def lines(self) -> list[str]:
        """The report as a person reads it (the command prints these)."""
        out = []
        for f in self.files:
            for p in f.rejected:
                where = f"{f.name}:{p.line}" if p.line else f.name
                doc = f" (document {p.document})" if p.document else ""
                out.append(f"{where}: rejected{doc}: {p.message}")
            for p in f.notes:
                where = f"{f.name}:{p.line}" if p.line else f.name
                doc = f" (document {p.document})" if p.document else ""
                out.append(f"{where}: note{doc}: {p.message}")
        totals = self.as_dict()
        out.append(
            f"{len(self.files)} file(s): {totals['created']} created, {totals['updated']} "
            f"updated, {totals['unchanged']} unchanged, {totals['skipped']} skipped, "
            f"{totals['rejected']} rejected."
        )
        return out


class _FileFailed(Exception):
    pass


def catalog_import(*, actor, files: Iterable[tuple[str, bytes | str]]) -> ImportReport:
    """Import each (name, content) file, each in its own transaction. Administrators only
    (it creates teams and accounts)."""
    require_permission(actor, "catalogue.import_catalog")
    report = ImportReport()
    for name, data in files:
        report.files.append(_import_file(actor, name, data))
    return report


def _import_file(actor, name: str, data: bytes | str) -> FileReport:
    result = FileReport(name=name)
    try:
        documents = read_documents(data)
    except DescriptorError as exc:
        result.rejected.append(Problem(None, exc.line, exc.message))
        return result
    entities: list[Entity] = []
    seen: dict[str, Entity] = {}
    for document in documents:
        try:
            entity = check_entity(document)
        except Skipped as exc:
            result.skipped += 1
            result.notes.append(Problem(document.index, exc.line, exc.message))
            continue
        except Rejected as exc:
            result.rejected.append(Problem(document.index, exc.line, exc.message))
            continue
        ref = str(entity.ref)
        first = seen.get(ref)
        if first is not None:
            if first.document.data == document.data:
                result.skipped += 1
                result.notes.append(
                    Problem(
                        document.index,
                        document.line,
                        f"{ref} repeats document {first.document.index} exactly: imported once.",
                        ref,
                    )
                )
            else:
                result.rejected.append(
                    Problem(
                        document.index,
                        document.line,
                        f"{ref} is already defined differently by document "
                        f"{first.document.index} of this file.",
                        ref,
                    )
                )
            continue
        seen[ref] = entity
        entities.append(entity)
    if result.rejected:
        result.notes.append(
            Problem(
                None,
                None,
                "Nothing of this file was imported: fix the rejected documents "
                "and import it again (a file imports whole or not at all).",
            )
        )
        return result
    try:
        with transaction.atomic():
            _Writer(actor, result).write(entities)
            record_audit_event(
                actor=actor,
                action=CATALOG_IMPORT,
                obj=None,
                payload={
                    "file": name[:200],
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "skipped": result.skipped,
                },
            )
    except _FileFailed:
        result.created = result.updated = result.unchanged = 0
        result.notes.append(
            Problem(
                None,
                None,
                "Nothing of this file was imported (a file imports whole or not at all).",
            )
        )
        return result
    result.imported = True
    return result


class _Writer:
    def __init__(self, actor, result: FileReport) -> None:
        self.actor = actor
        self.result = result
        self.user_model = get_user_model()
        # Per-file caches: a large file names the same owners, tags and targets again and
        # again; the dependency graph is read once and kept in memory for cycle checks.
        self.teams_by_ref: dict[str, Team] = {}
        self.components_by_ref: dict[str, Component | None] = {}
        self.tags: dict[str, Tag] = {}
        self.graph: dict[int, set[int]] | None = None
        self.existing: dict[str, Component] = {}
        self.native: dict[str, Component] = {}
        self.taken_slugs: set[str] = set()

    def reject(self, entity: Entity, message: str, *path: str) -> None:
        self.result.rejected.append(
            Problem(entity.document.index, entity.document.line_of(*path), message, str(entity.ref))
        )
        raise _FileFailed

    def note(self, entity: Entity, message: str, *path: str) -> None:
        self.result.notes.append(
            Problem(entity.document.index, entity.document.line_of(*path), message, str(entity.ref))
        )

    def count(self, outcome: str) -> None:
        setattr(self.result, outcome, getattr(self.result, outcome) + 1)

    def write(self, entities: list[Entity]) -> None:
        by_kind: dict[str, list[Entity]] = {}
        for entity in entities:
            by_kind.setdefault(entity.kind, []).append(entity)
        groups = by_kind.get("group", [])
        for entity in groups:
            self.write_group(entity)
        for entity in groups:
            self.link_parent(entity)
        for entity in by_kind.get("user", []):
            self.write_user(entity)
        for entity in groups:
            self.link_members(entity)
        for kind in ("domain", "system"):
            for entity in by_kind.get(kind, []):
                self.write_system(entity)
        components = []
        self.preload_components(
            [e for k in ("component", "api", "resource") for e in by_kind.get(k, [])]
        )
        for kind in ("component", "api", "resource"):
            for entity in by_kind.get(kind, []):
                components.append((entity, self.write_component(entity)))
        for entity, component in components:
            self.components_by_ref[str(entity.ref)] = component
        for entity, component in components:
            self.link_dependencies(entity, component)

    # -- teams -----------------------------------------------------------------------------

    def team_for_ref(self, entity: Entity, raw: str, *path: str) -> Team:
        """The team owning something: a group ref's team, a user ref's personal team;
        made as a placeholder (and noted) when the catalogue has none yet."""
        try:
            ref = parse_ref(raw, default_kind="group", default_namespace=entity.namespace)
        except ValueError as exc:
            self.reject(entity, f"spec.owner: {exc}.", *path)
        cached = self.teams_by_ref.get(str(ref))
        if cached is not None:
            return cached
        team = self._team_for(entity, raw, ref, *path)
        self.teams_by_ref[str(ref)] = team
        return team

    def _team_for(self, entity: Entity, raw: str, ref, *path: str) -> Team:
        if ref.kind == "user":
            group_ref = f"group:{ref.namespace}/user-{ref.name}"
            label = f"{ref.name} (personal)"
        elif ref.kind == "group":
            group_ref, label = str(ref), ref.name
        else:
            self.reject(entity, f"spec.owner “{raw}” must be a group or a user.", *path)
        identity = ExternalIdentity.objects.select_related("team").filter(ref=group_ref).first()
        if identity is not None:
            return identity.team
        name = group_ref.split("/", 1)[1]
        slug = mapping.team_slug(name, group_ref.split(":", 1)[1].split("/")[0])
        team = Team.objects.filter(slug=slug).first()
        if team is None or hasattr(team, "backstage_identity"):
            team = Team.objects.create(
                name=self.free_team_name(label),
                slug=self.free_team_slug(slug),
                description="Made by a Backstage import to own imported entries; import its "
                "Group to complete it.",
            )
            ExternalIdentity.objects.create(ref=group_ref, team=team, placeholder=True)
            self.note(
                entity,
                f"Owner {raw} is not in the catalogue: team “{team.name}” was made for it.",
                *path,
            )
        else:
            ExternalIdentity.objects.create(ref=group_ref, team=team)
        return team

    def free_team_name(self, name: str, exclude_pk: int | None = None) -> str:
        name = name[:100]
        candidate, n = name, 2
        while Team.objects.filter(name=candidate).exclude(pk=exclude_pk).exists():
            candidate, n = f"{name[:95]} ({n})", n + 1
        return candidate

    def free_team_slug(self, slug: str) -> str:
        candidate, n = slug, 2
        while Team.objects.filter(slug=candidate).exists():
            candidate, n = f"{slug[:95]}-{n}", n + 1
        return candidate

    def write_group(self, entity: Entity) -> None:
        ref = str(entity.ref)
        spec, meta = entity.spec, entity.metadata
        profile = spec.get("profile") or {}
        display = profile.get("displayName") if isinstance(profile.get("displayName"), str) else ""
        wanted_name = (display or meta.get("title") or entity.name).strip()[:100]
        email = profile.get("email") if isinstance(profile.get("email"), str) else ""
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.reject(
                    entity,
                    f"spec.profile.email: “{email[:80]}” is not an e-mail address.",
                    "spec",
                    "profile",
                )
        data = mapping.group_data(entity)
        identity = ExternalIdentity.objects.select_related("team").filter(ref=ref).first()
        if identity is None:
            slug = mapping.team_slug(entity.name, entity.namespace)
            team = Team.objects.filter(slug=slug).first()
            if team is not None and not hasattr(team, "backstage_identity"):
                identity = ExternalIdentity.objects.create(ref=ref, team=team, data={})
            else:
                clash = Team.objects.filter(name=wanted_name).first()
                if clash is not None:
                    self.reject(
                        entity,
                        f"A team named “{wanted_name}” already exists (slug {clash.slug}) with "
                        "another Backstage identity; rename one of them.",
                        "metadata",
                        "name",
                    )
                team = Team.objects.create(
                    name=wanted_name,
                    slug=self.free_team_slug(slug),
                    description=meta.get("description", "")[:5000],
                    email=email,
                )
                ExternalIdentity.objects.create(ref=ref, team=team, data=data)
                self.count("created")
                return
        team = identity.team
        changes = {
            "name": wanted_name,
            "description": meta.get("description", "")[:5000],
            "email": email,
        }
        changed = [k for k, v in changes.items() if getattr(team, k) != v]
        if "name" in changed and Team.objects.filter(name=wanted_name).exclude(pk=team.pk).exists():
            self.reject(
                entity,
                f"A team named “{wanted_name}” already exists; rename one of them.",
                "metadata",
                "name",
            )
        for key in changed:
            setattr(team, key, changes[key])
        if changed:
            team.save()
        if identity.data != data or identity.placeholder:
            identity.data, identity.placeholder = data, False
            identity.save()
            changed.append("backstage")
        self.count("updated" if changed else "unchanged")

    def link_parent(self, entity: Entity) -> None:
        parent_raw = entity.spec.get("parent")
        team = ExternalIdentity.objects.get(ref=str(entity.ref)).team
        parent = None
        if parent_raw:
            try:
                ref = parse_ref(
                    parent_raw, default_kind="group", default_namespace=entity.namespace
                )
            except ValueError as exc:
                self.reject(entity, f"spec.parent: {exc}.", "spec", "parent")
            identity = ExternalIdentity.objects.select_related("team").filter(ref=str(ref)).first()
            if identity is None:
                self.note(
                    entity,
                    f"Parent {parent_raw} is not in the catalogue: kept, not linked.",
                    "spec",
                    "parent",
                )
                return
            parent = identity.team
            if parent.pk == team.pk:
                self.reject(entity, "A group cannot be its own parent.", "spec", "parent")
        if parent is not None and team.parent_id != parent.pk:
            team.parent = parent
            team.save(update_fields=["parent"])

    # -- people ---------------------------------------------------------------------------

    def write_user(self, entity: Entity) -> None:
        ref = str(entity.ref)
        profile = entity.spec.get("profile") or {}
        display = profile.get("displayName") if isinstance(profile.get("displayName"), str) else ""
        email = profile.get("email") if isinstance(profile.get("email"), str) else ""
        data = mapping.user_data(entity)
        identity = ExternalIdentity.objects.select_related("user").filter(ref=ref).first()
        created = False
        if identity is None:
            username = mapping.username(entity.name, entity.namespace)
            user = self.user_model.objects.filter(username=username).first()
            if user is not None and hasattr(user, "backstage_identity"):
                self.reject(
                    entity,
                    f"The account “{username}” already stands for another Backstage user.",
                    "metadata",
                    "name",
                )
            if user is None:
                user = self.user_model(username=username)
                user.set_unusable_password()
                created = True
            identity = ExternalIdentity(ref=ref, user=user, data=data)
        user = identity.user
        changes = {"first_name": display[:150], "email": email[:254]}
        changed = [k for k, v in changes.items() if getattr(user, k) != v]
        for key in changed:
            setattr(user, key, changes[key])
        if created or changed:
            user.save()
        if identity.pk is None:
            identity.user = user
            identity.save()
        elif identity.data != data:
            identity.data = data
            identity.save()
            changed.append("backstage")
        teams = []
        for raw in entity.spec.get("memberOf", []):
            team = self.known_team(entity, raw, "spec", "memberOf")
            if team is not None:
                teams.append(team)
        existing = set(TeamMembership.objects.filter(user=user).values_list("team_id", flat=True))
        new = [t for t in {t.pk: t for t in teams}.values() if t.pk not in existing]
        TeamMembership.objects.bulk_create(TeamMembership(user=user, team=t) for t in new)
        if new:
            changed.append("memberships")
        self.count("created" if created else ("updated" if changed else "unchanged"))

    def known_team(self, entity: Entity, raw: str, *path: str) -> Team | None:
        try:
            ref = parse_ref(raw, default_kind="group", default_namespace=entity.namespace)
        except ValueError as exc:
            self.reject(entity, f"{'.'.join(path)}: {exc}.", *path)
        identity = ExternalIdentity.objects.select_related("team").filter(ref=str(ref)).first()
        if identity is None or identity.team is None:
            self.note(entity, f"Group {raw} is not in the catalogue: membership not made.", *path)
            return None
        return identity.team

    def link_members(self, entity: Entity) -> None:
        team = ExternalIdentity.objects.get(ref=str(entity.ref)).team
        for raw in entity.spec.get("members", []) or []:
            try:
                ref = parse_ref(raw, default_kind="user", default_namespace=entity.namespace)
            except ValueError as exc:
                self.reject(entity, f"spec.members: {exc}.", "spec", "members")
            identity = ExternalIdentity.objects.filter(ref=str(ref)).first()
            if identity is None or identity.user_id is None:
                self.note(entity, f"Member {raw} is not in the catalogue.", "spec", "members")
                continue
            TeamMembership.objects.get_or_create(team=team, user_id=identity.user_id)

    # -- systems and domains ------------------------------------------------------------

    def write_system(self, entity: Entity) -> None:
        team = self.team_for_ref(entity, entity.spec["owner"], "spec", "owner")
        values = {
            "kind": entity.kind,
            "title": (entity.metadata.get("title") or "")[:200],
            "description": entity.metadata.get("description", ""),
            "owner_team": team,
            "data": mapping.system_data(entity),
        }
        system = System.objects.filter(ref=str(entity.ref)).first()
        if system is None:
            System.objects.create(ref=str(entity.ref), **values)
            self.count("created")
            return
        changed = [k for k, v in values.items() if getattr(system, k) != v]
        for key in changed:
            setattr(system, key, values[key])
        if changed:
            system.save()
        self.count("updated" if changed else "unchanged")

    # -- components -------------------------------------------------------------------

    def write_component(self, entity: Entity) -> Component:
        ref = str(entity.ref)
        meta, spec = entity.metadata, entity.spec
        team = self.team_for_ref(entity, spec["owner"], "spec", "owner")
        description = meta.get("description", "").strip()
        try:
            validate_markdown(description, field="description")
        except DomainError as exc:
            self.reject(entity, f"metadata.description: {exc.message}", "metadata", "description")
        fields = mapping.component_fields(entity)
        lifecycle = fields.pop("lifecycle")
        if fields.get("model_registry_uri") and not mapping.MODEL_URI_OK(
            fields["model_registry_uri"]
        ):
            self.reject(
                entity,
                "The model registry URI annotation is not a models:/ or runs:/ URI.",
                "metadata",
                "annotations",
            )
        values = {
            "name": (meta.get("title") or entity.name)[:200],
            "description": description,
            "owner_team": team,
            **fields,
        }
        tags = sorted(set(meta.get("tags", [])))
        component = self.existing.get(ref)
        if component is None and entity.namespace == "default" and entity.kind == "component":
            component = self.native.get(entity.name.lower())
        if component is None:
            component = Component(
                external_ref=ref,
                slug=self.free_component_slug(
                    mapping.component_slug(entity.name, entity.namespace)
                ),
                lifecycle=lifecycle,
                **values,
            )
            component.save()
            self.set_tags(component, tags, new=True)
            LifecycleTransition.objects.create(
                component=component,
                from_state="",
                to_state=lifecycle,
                actor=self.actor,
                actor_username=self.actor.get_username(),
                reason="Imported from a Backstage catalog-info file",
            )
            if lifecycle == "deprecated":
                component.deprecation_reason = "Deprecated in its Backstage catalog-info file."
                component.save(update_fields=["deprecation_reason"])
            refresh_search_vector(component)
            record_audit_event(
                actor=self.actor,
                action=COMPONENT_CREATE,
                obj=component,
                payload={"slug": component.slug, "source": "backstage", "ref": ref},
            )
            self.count("created")
            component._import_changed = True
            return component
        values["external_ref"] = ref
        if "unresolved_depends_on" in component.backstage:
            # Kept by link_dependencies, which compares it on its own.
            values["backstage"] = {
                **values["backstage"],
                "unresolved_depends_on": component.backstage["unresolved_depends_on"],
            }
        changed = [k for k, v in values.items() if getattr(component, k) != v]
        for key in changed:
            setattr(component, key, values[key])
        if lifecycle != component.lifecycle:
            if lifecycle not in LIFECYCLE_TRANSITIONS[component.lifecycle]:
                self.reject(
                    entity,
                    f"spec.lifecycle: “{component}” is {component.lifecycle} here and cannot "
                    f"become {lifecycle}.",
                    "spec",
                    "lifecycle",
                )
            LifecycleTransition.objects.create(
                component=component,
                from_state=component.lifecycle,
                to_state=lifecycle,
                actor=self.actor,
                actor_username=self.actor.get_username(),
                reason="Changed in its Backstage catalog-info file",
            )
            component.lifecycle = lifecycle
            if lifecycle == "deprecated":
                component.deprecation_reason = "Deprecated in its Backstage catalog-info file."
            changed.append("lifecycle")
        if changed:
            component.save()
        if tags != sorted(t.name for t in component.tags.all()):
            self.set_tags(component, tags)
            changed.append("tags")
        component._import_changed = bool(changed)
        component._import_changes = changed
        return component

    def free_component_slug(self, slug: str) -> str:
        candidate, n = slug, 2
        while candidate in self.taken_slugs:
            candidate, n = f"{slug[:90]}-{n}", n + 1
        self.taken_slugs.add(candidate)
        return candidate

    def preload_components(self, entities: list[Entity]) -> None:
        """The components the file's entities may update, and the slugs in use, read in a
        few queries for the whole file instead of a few per entity."""
        refs = [str(e.ref) for e in entities]
        names = [
            e.name.lower() for e in entities if e.namespace == "default" and e.kind == "component"
        ]
        self.existing = {
            c.external_ref: c
            for c in Component.objects.filter(external_ref__in=refs).prefetch_related("tags")
        }
        self.native = {
            c.slug: c
            for c in Component.objects.filter(
                external_ref__isnull=True, slug__in=names
            ).prefetch_related("tags")
        }
        self.taken_slugs = set(Component.objects.values_list("slug", flat=True))

    def set_tags(self, component: Component, names: list[str], *, new: bool = False) -> None:
        missing = [n for n in names if n not in self.tags]
        if missing:
            Tag.objects.bulk_create([Tag(name=n) for n in missing], ignore_conflicts=True)
            self.tags.update({t.name: t for t in Tag.objects.filter(name__in=missing)})
        if new:
            if names:
                through = Component.tags.through
                through.objects.bulk_create(
                    through(component_id=component.pk, tag_id=self.tags[n].pk) for n in names
                )
            return
        component.tags.set([self.tags[n] for n in names])

    def resolve_component(self, raw: str, entity: Entity) -> Component | None:
        ref = parse_ref(raw, default_kind="component", default_namespace=entity.namespace)
        key = str(ref)
        if key in self.components_by_ref:
            return self.components_by_ref[key]
        found = Component.objects.filter(external_ref=key).first()
        if found is None and ref.namespace == "default" and ref.kind == "component":
            found = Component.objects.filter(external_ref__isnull=True, slug=ref.name).first()
        self.components_by_ref[key] = found
        return found

    def link_dependencies(self, entity: Entity, component: Component) -> None:
        targets, unresolved = [], []
        for raw in entity.spec.get("dependsOn", []) or []:
            try:
                target = self.resolve_component(raw, entity)
            except ValueError as exc:
                self.reject(entity, f"spec.dependsOn: {exc}.", "spec", "dependsOn")
            if target is None:
                unresolved.append(
                    str(
                        parse_ref(raw, default_kind="component", default_namespace=entity.namespace)
                    )
                )
            elif target.pk == component.pk:
                self.reject(entity, "A component cannot depend on itself.", "spec", "dependsOn")
            else:
                targets.append(target)
        if unresolved:
            self.note(
                entity,
                f"dependsOn {', '.join(unresolved)}: not in the catalogue; kept, not linked.",
                "spec",
                "dependsOn",
            )
        data = dict(component.backstage)
        if sorted(unresolved) != data.get("unresolved_depends_on", []):
            if unresolved:
                data["unresolved_depends_on"] = sorted(unresolved)
            else:
                data.pop("unresolved_depends_on", None)
            component.backstage = data
            component.save(update_fields=["backstage"])
            component._import_changed = True
        wanted = {t.pk for t in targets}
        graph = self.dependency_graph()
        current = graph.get(component.pk, set())
        if wanted != current:
            self.check_cycle(entity, component, wanted)
            if current - wanted:
                ComponentDependency.objects.filter(component=component).exclude(
                    target_id__in=wanted
                ).delete()
            ComponentDependency.objects.bulk_create(
                ComponentDependency(component=component, target_id=pk) for pk in wanted - current
            )
            graph[component.pk] = set(wanted)
            component._import_changed = True
        if getattr(component, "_import_changes", None) is not None:
            # An existing component: count it now that its dependencies are known.
            if component._import_changed:
                refresh_search_vector(component)
                record_audit_event(
                    actor=self.actor,
                    action=COMPONENT_UPDATE,
                    obj=component,
                    payload={"source": "backstage", "ref": str(entity.ref)},
                )
                self.count("updated")
            else:
                self.count("unchanged")

    def dependency_graph(self) -> dict[int, set[int]]:
        """component id -> the ids it depends on, read once per file and kept current."""
        if self.graph is None:
            self.graph = {}
            pairs = ComponentDependency.objects.values_list("component_id", "target_id")
            for source, target in pairs:
                self.graph.setdefault(source, set()).add(target)
        return self.graph

    def check_cycle(self, entity: Entity, component: Component, targets: set[int]) -> None:
        """Refuse targets from which `component` is reachable (they would close a cycle)."""
        graph = self.dependency_graph()
        seen: set[int] = set()
        stack = list(targets)
        while stack:
            node = stack.pop()
            if node == component.pk:
                self.reject(
                    entity,
                    "spec.dependsOn makes a cycle: one of these depends on this component "
                    "already, directly or through others.",
                    "spec",
                    "dependsOn",
                )
            if node in seen:
                continue
            seen.add(node)
            stack.extend(graph.get(node, ()))
