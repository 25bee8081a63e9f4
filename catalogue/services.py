"""Every write to the catalogue. Each service checks the permission rule, runs in one
transaction, validates the whole entry (the model's `full_clean`, the RACI rules, the
dependency graph), records the audit event and refreshes the search vector.

Lifecycle moves only through `component_transition` / `architecture_transition`: the
allowed moves are `catalogue.choices.LIFECYCLE_TRANSITIONS` (retired is final); deprecating
names a reason and, where one exists, the replacement; every move is recorded in
`LifecycleTransition` (who, when, why).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from catalogue.audit import (
    ARCHITECTURE_CREATE,
    ARCHITECTURE_DELETE,
    ARCHITECTURE_TRANSITION,
    ARCHITECTURE_UPDATE,
    COMPONENT_CREATE,
    COMPONENT_DELETE,
    COMPONENT_TRANSITION,
    COMPONENT_UPDATE,
)
from catalogue.choices import LIFECYCLE_TRANSITIONS, Lifecycle, RaciActivity, RaciRole
from catalogue.diagrams import checked_diagram
from catalogue.models import (
    TAG_MAX_LENGTH,
    TAG_RE,
    ArchitectureComponent,
    ArchitectureExample,
    Component,
    ComponentDependency,
    ComponentRaci,
    LifecycleTransition,
    Tag,
)
from registry.core.audit import record_audit_event
from registry.core.errors import ConflictError, DomainError
from registry.core.markdown import validate_markdown
from registry.core.permissions import require as require_permission
from registry.core.raci import raci_errors
from registry.core.search import refresh_search_vector
from registry.core.text import refuse_hostile_data
from teams.models import Team

MAX_TAGS = 30
MAX_DEPENDENCIES = 100
MAX_RACI_ROWS = 60
MAX_ARCHITECTURE_COMPONENTS = 100
#: Design doc stages whose solutions no longer use anything (designdocs.choices.MLStage).
ENDED_DOC_STAGES = ("retired",)

COMPONENT_FIELDS = (
    "name", "slug", "kind", "description", "owner_team", "repository_url", "docs_url",
    "dashboard_url", "model_registry_uri",
)  # fmt: skip
ARCHITECTURE_FIELDS = ("title", "slug", "summary", "problem", "body", "owner_team")
RESERVED_SLUGS = frozenset({"new", "import", "export", "components", "architectures"})


@dataclass(frozen=True)
class TransitionResult:
    obj: Component | ArchitectureExample
    transition: LifecycleTransition
    #: Live design docs that use the entry (a deprecation's warning), "title (slug)".
    warnings: list[str] = field(default_factory=list)
    using_docs: list[Any] = field(default_factory=list)


# --- validation helpers ------------------------------------------------------------------------


def _raise_validation(exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    key, messages = next(iter(errors.items()))
    field_name = None if key == "__all__" else key
    raise DomainError(
        messages[0],
        field=field_name,
        errors={("non_field_errors" if k == "__all__" else k): v for k, v in errors.items()},
    )


def clean_tags(values: Any, *, field_name: str = "tags") -> list[str]:
    """Tags as Backstage writes them (lower-case words of `[a-z0-9:+#]` joined by `-`, at
    most 63 characters), deduplicated and sorted. Anything else is refused, never changed."""
    if values is None:
        return []
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise DomainError("Tags must be a list of texts.", field=field_name)
    if len(values) > MAX_TAGS:
        raise DomainError(f"At most {MAX_TAGS} tags.", field=field_name)
    tags = set()
    for value in values:
        value = value.strip()
        if len(value) > TAG_MAX_LENGTH or not TAG_RE.match(value):
            raise DomainError(
                f"Tag “{value[:80]}” is not a valid tag: lower-case letters, digits and : + # "
                f"in words joined by hyphens, at most {TAG_MAX_LENGTH} characters.",
                field=field_name,
            )
        tags.add(value)
    return sorted(tags)


def _set_tags(obj, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    obj.tags.set([existing[n] for n in names])


def _unique_slug(model, base: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:90] or model._meta.model_name
    slug, n = base, 2
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while slug in RESERVED_SLUGS or others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_markdown(data: Mapping[str, Any], *names: str) -> None:
    for name in names:
        if name in data:
            value = data[name]
            if not isinstance(value, str):
                raise DomainError(f"{name.capitalize()} must be Markdown text.", field=name)
            validate_markdown(value, field=name)


def _refuse_lifecycle_in_edit(data: Mapping[str, Any]) -> None:
    if "lifecycle" in data:
        raise DomainError(
            "The lifecycle changes through a transition (POST …/transition/), which records "
            "who moved it and why.",
            field="lifecycle",
        )


def _initial_lifecycle(value: Any) -> str:
    value = value or Lifecycle.EXPERIMENTAL
    if value not in (Lifecycle.EXPERIMENTAL, Lifecycle.PRODUCTION):
        raise DomainError(
            "A new entry starts as experimental or production; deprecate or retire it "
            "afterwards with a transition.",
            field="lifecycle",
        )
    return value


def _owner_team(value: Any) -> Team:
    if not isinstance(value, Team):
        raise DomainError("Owner team is required.", field="owner_team")
    return value


# --- RACI and dependencies -------------------------------------------------------------------


def validate_component_raci(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The component's RACI rows, checked by the registry's one RACI rule
    (`registry.core.raci`) plus the component's own: activities are design, deploy, run.
    Rows hold `activity`, `person` (a user or None), `team` (a Team or None), `role`."""
    rows = list(rows)
    if len(rows) > MAX_RACI_ROWS:
        raise DomainError(f"A RACI holds at most {MAX_RACI_ROWS} rows.", field="raci")
    errors: dict[str, list[str]] = {}
    named = []
    for index, row in enumerate(rows):
        if row.get("activity") not in RaciActivity.values:
            errors.setdefault(f"raci.{index}.activity", []).append(
                f"RACI row {index + 1}: the activity is one of {', '.join(RaciActivity.values)}."
            )
        if row.get("role") not in RaciRole.values:
            errors.setdefault(f"raci.{index}.role", []).append(
                f"RACI row {index + 1}: the role is one of R, A, C, I."
            )
        person, team = row.get("person"), row.get("team")
        named.append(
            {
                "activity": row.get("activity") or "",
                "person": person.get_username() if person is not None else "",
                "team": team.slug if team is not None else "",
                "role": row.get("role") or "",
            }
        )
    for key, message in raci_errors(named, prefix="raci"):
        errors.setdefault(key, []).append(message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    return rows


def _write_raci(component: Component, rows: list[Mapping[str, Any]]) -> None:
    component.raci.all().delete()
    ComponentRaci.objects.bulk_create(
        ComponentRaci(
            component=component,
            activity=row["activity"],
            person=row.get("person"),
            team=row.get("team"),
            role=row["role"],
            position=position,
        )
        for position, row in enumerate(rows)
    )


def _check_dependencies(component: Component | None, targets: list[Component]) -> None:
    """No self-dependency and no cycle: no target may (transitively) depend on `component`."""
    if len(targets) > MAX_DEPENDENCIES:
        raise DomainError(
            f"A component depends on at most {MAX_DEPENDENCIES} others.", field="depends_on"
        )
    if component is None or component.pk is None:
        return
    if any(t.pk == component.pk for t in targets):
        raise DomainError("A component cannot depend on itself.", field="depends_on")
    # Walk what depends on `component` (its dependants, transitively), one query per level.
    reached, frontier = set(), {component.pk}
    while frontier:
        upstream = set(
            ComponentDependency.objects.filter(target_id__in=frontier).values_list(
                "component_id", flat=True
            )
        )
        frontier = upstream - reached
        reached |= upstream
    loops = [t for t in targets if t.pk in reached]
    if loops:
        raise DomainError(
            f"“{component.name}” cannot depend on “{loops[0].name}”: "
            f"“{loops[0].name}” already depends on it, directly or through others (a cycle).",
            field="depends_on",
        )


def _write_dependencies(component: Component, targets: list[Component]) -> None:
    ComponentDependency.objects.filter(component=component).delete()
    ComponentDependency.objects.bulk_create(
        ComponentDependency(component=component, target=t)
        for t in {t.pk: t for t in targets}.values()
    )


# --- components ------------------------------------------------------------------------------


def _apply(obj, data: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    changed = []
    for name in names:
        if name in data and getattr(obj, name, None) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed


def _full_clean(obj, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=True)
    except ValidationError as exc:
        _raise_validation(exc)


def component_create(*, actor, data: Mapping[str, Any]) -> Component:
    """A new component owned by `data["owner_team"]` (a team the actor is in, unless a
    superuser), with its tags, links, dependencies and RACI, and the first lifecycle
    history row. Refused whole on any invalid field."""
    refuse_hostile_data(dict(data))
    team = _owner_team(data.get("owner_team"))
    require_permission(actor, "catalogue.add_component")
    require_permission(actor, "catalogue.add_component_for", team)
    _check_markdown(data, "description")
    lifecycle = _initial_lifecycle(data.get("lifecycle"))
    tags = clean_tags(data.get("tags"))
    raci = validate_component_raci(data.get("raci") or [])
    depends_on = list(data.get("depends_on") or [])
    _check_dependencies(None, depends_on)
    with transaction.atomic():
        component = Component(lifecycle=lifecycle)
        _apply(component, data, COMPONENT_FIELDS)
        component.slug = data.get("slug") or _unique_slug(Component, data.get("name") or "")
        for name in ("external_ref", "backstage"):
            if name in data:
                setattr(component, name, data[name])
        _full_clean(component)
        component.save()
        _set_tags(component, tags)
        _write_raci(component, raci)
        _write_dependencies(component, depends_on)
        _record_transition(component, "", lifecycle, actor=actor, reason="Created")
        refresh_search_vector(component)
        record_audit_event(
            actor=actor,
            action=COMPONENT_CREATE,
            obj=component,
            payload={"slug": component.slug, "owner_team": team.slug, "lifecycle": lifecycle},
        )
    return component


def component_update(*, actor, component: Component, data: Mapping[str, Any]) -> Component:
    """Change any of the component's fields, tags, dependencies or RACI. Moving it to
    another team needs the right to create components there. The lifecycle is not changed
    here (component_transition)."""
    require_permission(actor, "catalogue.change_component", component)
    refuse_hostile_data(dict(data))
    _refuse_lifecycle_in_edit(data)
    _check_markdown(data, "description")
    if "owner_team" in data:
        team = _owner_team(data["owner_team"])
        if team.pk != component.owner_team_id:
            require_permission(actor, "catalogue.add_component_for", team)
    tags = clean_tags(data["tags"]) if "tags" in data else None
    raci = validate_component_raci(data["raci"]) if "raci" in data else None
    depends_on = list(data["depends_on"]) if "depends_on" in data else None
    with transaction.atomic():
        locked = Component.objects.select_for_update().get(pk=component.pk)
        if depends_on is not None:
            _check_dependencies(locked, depends_on)
        changed = _apply(locked, data, COMPONENT_FIELDS)
        for name in ("external_ref", "backstage"):
            if name in data and getattr(locked, name) != data[name]:
                setattr(locked, name, data[name])
                changed.append(name)
        _full_clean(locked)
        locked.save()
        if tags is not None and tags != sorted(t.name for t in locked.tags.all()):
            _set_tags(locked, tags)
            changed.append("tags")
        if raci is not None:
            _write_raci(locked, raci)
            changed.append("raci")
        if depends_on is not None:
            before = set(locked.depends_on.values_list("pk", flat=True))
            if before != {t.pk for t in depends_on}:
                _write_dependencies(locked, depends_on)
                changed.append("depends_on")
        refresh_search_vector(locked)
        record_audit_event(
            actor=actor, action=COMPONENT_UPDATE, obj=locked, payload={"changed": sorted(changed)}
        )
    return locked


def component_delete(*, actor, component: Component) -> None:
    """Delete a component no architecture example uses; the audit log keeps the record."""
    require_permission(actor, "catalogue.delete_component", component)
    with transaction.atomic():
        if component.architecture_roles.exists():
            raise ConflictError(
                "Architecture examples use this component; remove it from them or deprecate "
                "it instead.",
            )
        record_audit_event(
            actor=actor, action=COMPONENT_DELETE, obj=component, payload={"slug": component.slug}
        )
        component.delete()


def live_docs_using(component: Component) -> list[Any]:
    """The design docs using `component` whose solution has not ended (any stage but
    retired), by title. The link lives on the doc (designdocs.DesignDoc.components_used)."""
    related = getattr(component, "using_design_docs", None)
    if related is None:
        return []
    return list(related.exclude(stage__in=ENDED_DOC_STAGES).order_by("title"))


def _check_move(obj, to: str, reason: str, replacement) -> None:
    if to not in Lifecycle.values:
        raise DomainError(
            f"The lifecycle is one of: {', '.join(Lifecycle.values)}.", field="lifecycle"
        )
    current = obj.lifecycle
    if to == current:
        raise ConflictError(f"It is already {Lifecycle(current).label.lower()}.")
    if to not in LIFECYCLE_TRANSITIONS[current]:
        if current == Lifecycle.RETIRED:
            raise ConflictError("It is retired, and retired is final: it cannot move again.")
        allowed = ", ".join(sorted(LIFECYCLE_TRANSITIONS[current])) or "nothing"
        raise ConflictError(
            f"A {Lifecycle(current).label.lower()} entry cannot become "
            f"{Lifecycle(to).label.lower()}; it can become: {allowed}."
        )
    if to == Lifecycle.DEPRECATED and not (reason or "").strip():
        raise DomainError("Say why it is deprecated (and what replaces it).", field="reason")
    if replacement is not None:
        if replacement.pk == obj.pk:
            raise DomainError("It cannot replace itself.", field="replacement")
        if replacement.lifecycle in (Lifecycle.DEPRECATED, Lifecycle.RETIRED):
            raise DomainError(
                f"“{replacement}” is {replacement.lifecycle} itself: name a live replacement.",
                field="replacement",
            )


def _record_transition(obj, from_state: str, to: str, *, actor, reason: str, replacement=None):
    subject = {"component": obj} if isinstance(obj, Component) else {"architecture": obj}
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return LifecycleTransition.objects.create(
        **subject,
        from_state=from_state,
        to_state=to,
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        reason=reason,
        replacement_name=str(replacement) if replacement is not None else "",
    )


def _transition(obj, model, *, actor, to, reason, replacement, permission, action):
    require_permission(actor, permission, obj)
    refuse_hostile_data({"lifecycle": to, "reason": reason})
    if not isinstance(reason, str):
        raise DomainError("The reason must be text.", field="reason")
    if replacement is not None and not isinstance(replacement, model):
        raise DomainError("The replacement must be of the same kind.", field="replacement")
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        _check_move(locked, to, reason, replacement)
        before = locked.lifecycle
        locked.lifecycle = to
        if to == Lifecycle.DEPRECATED:
            locked.deprecation_reason = reason.strip()
            locked.replacement = replacement
        elif to == Lifecycle.PRODUCTION:
            locked.deprecation_reason = ""
            locked.replacement = None
        locked.save()
        transition = _record_transition(
            locked, before, to, actor=actor, reason=reason.strip(), replacement=replacement
        )
        docs = live_docs_using(locked) if isinstance(locked, Component) else []
        warnings = []
        if to in (Lifecycle.DEPRECATED, Lifecycle.RETIRED) and docs:
            listed = ", ".join(f"“{d.title}”" for d in docs[:20])
            more = f" and {len(docs) - 20} more" if len(docs) > 20 else ""
            warnings.append(
                f"{len(docs)} live design doc{'s' if len(docs) != 1 else ''} use "
                f"“{locked}”: {listed}{more}. Tell their teams about the replacement."
            )
        record_audit_event(
            actor=actor,
            action=action,
            obj=locked,
            payload={
                "from": before,
                "to": to,
                "replacement": str(replacement) if replacement is not None else "",
                "docs_warned": len(docs) if warnings else 0,
            },
        )
    return TransitionResult(obj=locked, transition=transition, warnings=warnings, using_docs=docs)


def component_transition(
    *, actor, component: Component, to: str, reason: str = "", replacement: Component | None = None
) -> TransitionResult:
    """Move the component in its lifecycle (catalogue.choices.LIFECYCLE_TRANSITIONS).
    Deprecating needs a reason; the replacement is optional. Deprecating or retiring a
    component that live design docs use succeeds and returns their list as a warning."""
    return _transition(
        component,
        Component,
        actor=actor,
        to=to,
        reason=reason,
        replacement=replacement,
        permission="catalogue.transition_component",
        action=COMPONENT_TRANSITION,
    )


# --- architecture examples ----------------------------------------------------------------


def _component_roles(rows: Any) -> list[tuple[Component, str]]:
    """[(component, role)], each component once, each with a role."""
    rows = list(rows or [])
    if len(rows) > MAX_ARCHITECTURE_COMPONENTS:
        raise DomainError(
            f"An architecture example lists at most {MAX_ARCHITECTURE_COMPONENTS} components.",
            field="components",
        )
    seen, result = set(), []
    for index, row in enumerate(rows):
        component, role = row.get("component"), (row.get("role") or "").strip()
        if not isinstance(component, Component):
            raise DomainError(f"Component {index + 1}: name a component.", field="components")
        if not role:
            raise DomainError(
                f"Component {index + 1} (“{component}”): say its role in the architecture.",
                field="components",
            )
        if len(role) > 200:
            raise DomainError(
                f"Component {index + 1}: the role is at most 200 characters.", field="components"
            )
        if component.pk in seen:
            raise DomainError(
                f"“{component}” is listed twice; list each component once.", field="components"
            )
        seen.add(component.pk)
        result.append((component, role))
    return result


def _write_component_roles(architecture, roles: list[tuple[Component, str]]) -> None:
    architecture.component_roles.all().delete()
    ArchitectureComponent.objects.bulk_create(
        ArchitectureComponent(architecture=architecture, component=c, role=r, position=i)
        for i, (c, r) in enumerate(roles)
    )


def _forget_diagram_on_commit(arch: ArchitectureExample, name: str) -> None:
    """The file of a replaced, removed or deleted diagram goes once the change is committed
    (never before: a rolled-back change still needs it)."""
    if name:
        storage = arch.diagram.storage
        transaction.on_commit(lambda: storage.delete(name))


def architecture_create(*, actor, data: Mapping[str, Any]) -> ArchitectureExample:
    """A new architecture example (architects), with its components and their roles, tags
    and an optional diagram (PNG or sanitised SVG; catalogue.diagrams)."""
    require_permission(actor, "catalogue.add_architectureexample")
    refuse_hostile_data({k: v for k, v in data.items() if k != "diagram"})
    _owner_team(data.get("owner_team"))
    _check_markdown(data, "problem", "body")
    lifecycle = _initial_lifecycle(data.get("lifecycle"))
    tags = clean_tags(data.get("tags"))
    roles = _component_roles(data.get("components"))
    diagram = checked_diagram(data["diagram"]) if data.get("diagram") else None
    with transaction.atomic():
        arch = ArchitectureExample(lifecycle=lifecycle)
        _apply(arch, data, ARCHITECTURE_FIELDS)
        arch.slug = data.get("slug") or _unique_slug(ArchitectureExample, data.get("title") or "")
        _full_clean(arch, exclude=["diagram"])
        if diagram is not None:
            arch.diagram.save(diagram.name, diagram.content, save=False)
            arch.diagram_format = diagram.format
        arch.save()
        _set_tags(arch, tags)
        _write_component_roles(arch, roles)
        _record_transition(arch, "", lifecycle, actor=actor, reason="Created")
        refresh_search_vector(arch)
        record_audit_event(
            actor=actor,
            action=ARCHITECTURE_CREATE,
            obj=arch,
            payload={"slug": arch.slug, "owner_team": arch.owner_team.slug},
        )
    return arch


def architecture_update(
    *, actor, architecture: ArchitectureExample, data: Mapping[str, Any]
) -> ArchitectureExample:
    """Change any field, the tags, the components with their roles, or the diagram
    (`diagram: None` removes it)."""
    require_permission(actor, "catalogue.change_architectureexample", architecture)
    refuse_hostile_data({k: v for k, v in data.items() if k != "diagram"})
    _refuse_lifecycle_in_edit(data)
    if "owner_team" in data:
        _owner_team(data["owner_team"])
    _check_markdown(data, "problem", "body")
    tags = clean_tags(data["tags"]) if "tags" in data else None
    roles = _component_roles(data["components"]) if "components" in data else None
    diagram = checked_diagram(data["diagram"]) if data.get("diagram") else None
    with transaction.atomic():
        locked = ArchitectureExample.objects.select_for_update().get(pk=architecture.pk)
        changed = _apply(locked, data, ARCHITECTURE_FIELDS)
        _full_clean(locked, exclude=["diagram"])
        old_diagram = locked.diagram.name
        if diagram is not None:
            locked.diagram.save(diagram.name, diagram.content, save=False)
            locked.diagram_format = diagram.format
            changed.append("diagram")
            _forget_diagram_on_commit(locked, old_diagram)
        elif "diagram" in data and data["diagram"] is None and locked.diagram:
            _forget_diagram_on_commit(locked, old_diagram)
            locked.diagram = ""
            locked.diagram_format = ""
            changed.append("diagram")
        locked.save()
        if tags is not None and tags != sorted(t.name for t in locked.tags.all()):
            _set_tags(locked, tags)
            changed.append("tags")
        if roles is not None:
            _write_component_roles(locked, roles)
            changed.append("components")
        refresh_search_vector(locked)
        record_audit_event(
            actor=actor,
            action=ARCHITECTURE_UPDATE,
            obj=locked,
            payload={"changed": sorted(changed)},
        )
    return locked


def architecture_delete(*, actor, architecture: ArchitectureExample) -> None:
    require_permission(actor, "catalogue.delete_architectureexample", architecture)
    with transaction.atomic():
        record_audit_event(
            actor=actor,
            action=ARCHITECTURE_DELETE,
            obj=architecture,
            payload={"slug": architecture.slug},
        )
        _forget_diagram_on_commit(architecture, architecture.diagram.name)
        architecture.delete()


def architecture_transition(
    *,
    actor,
    architecture: ArchitectureExample,
    to: str,
    reason: str = "",
    replacement: ArchitectureExample | None = None,
) -> TransitionResult:
    return _transition(
        architecture,
        ArchitectureExample,
        actor=actor,
        to=to,
        reason=reason,
        replacement=replacement,
        permission="catalogue.transition_architectureexample",
        action=ARCHITECTURE_TRANSITION,
    )
