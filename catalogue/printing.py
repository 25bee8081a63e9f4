"""What the catalogue prints (registry.core.printing), registered from catalogue/apps.py:

- "architecture": one architecture example (key: its slug): summary, diagram, the problem
  it solves and how it works (Markdown through the product's one pipeline,
  registry.core.markdown, via the `markdown` filter), its components with their roles;
- "catalogue": the whole catalogue, or the part a filter selects (key: the browse page's
  query string, validated by the catalogue's FilterSets: a value or parameter they refuse
  is a DomainError naming the parameter, a 400), as one document: the architecture
  examples, then the components.

Who may print: whoever may see the subject (catalogue.rules, `restrict(user, "view")`).
The printed content does not depend on who asks (the export is cached by its content):
an architecture example is printed whole to whoever may see it; the catalogue, whose
filtered part depends on what one sees, to those who see all of it (a registry role).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from catalogue.choices import DiagramFormat
from catalogue.diagrams import sanitise_svg
from catalogue.filtersets import ArchitectureFilterSet, ComponentFilterSet
from catalogue.models import ArchitectureComponent, ArchitectureExample, Component, ComponentRaci
from registry.core import printing, roles
from registry.core.errors import DomainError
from teams.models import Team

#: A diagram bigger than this is named in the PDF rather than embedded.
MAX_DIAGRAM_BYTES = 5 * 1024 * 1024


def _digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


# --- one architecture example ----------------------------------------------------------------


def _architectures() -> QuerySet[ArchitectureExample]:
    return (
        ArchitectureExample.objects.select_related("owner_team", "replacement")
        .prefetch_related(
            "tags",
            Prefetch(
                "component_roles",
                queryset=ArchitectureComponent.objects.select_related(
                    "component", "component__owner_team"
                ).order_by("position", "id"),
            ),
        )
        .order_by("title", "id")
    )


def may_print_architecture(user, key: str) -> bool:
    return ArchitectureExample.objects.restrict(user, "view").filter(slug=key).exists()


def diagram_of(arch: ArchitectureExample) -> dict[str, str] | None:
    """The diagram as the PDF shows it: an SVG sanitised again on the way and printed
    inline (`svg`: the PDF renderer loads no SVG document from a URL, and an inline one's
    references still go through its fetcher, which serves none), a PNG as a `data:` URI
    (`src`: the only kind of image URL the renderer loads). None without one, or when it
    cannot be read."""
    if not arch.diagram or arch.diagram_format == DiagramFormat.NONE:
        return None
    try:
        with arch.diagram.open("rb") as handle:
            data = handle.read(MAX_DIAGRAM_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_DIAGRAM_BYTES:
        return None
    if arch.diagram_format == DiagramFormat.SVG:
        try:
            clean = sanitise_svg(data).decode("utf-8")
        except DomainError:
            return None
        return {"svg": mark_safe(clean)}  # noqa: S308  (rebuilt from catalogue.diagrams' allowlist)
    return {"src": f"data:image/png;base64,{base64.b64encode(data).decode('ascii')}"}


def render_architecture(key: str, options: dict[str, Any]) -> printing.PrintedBody:
    arch = _architectures().filter(slug=key).first()
    if arch is None:
        raise DomainError(f"There is no architecture example {key!r}.", field="key")
    html = render_to_string(
        "catalogue/print/architecture.html",
        {
            "arch": arch,
            "roles": list(arch.component_roles.all()),
            "diagram": diagram_of(arch),
        },
    )
    toc = [("arch-summary", "Summary")]
    if arch.problem:
        toc.append(("arch-problem", "Problem it solves"))
    if arch.body:
        toc.append(("arch-body", "How it works"))
    toc.append(("arch-components", "Components"))
    return printing.PrintedBody(
        title=arch.title,
        html=html,
        content_hash=_digest(html),
        author=arch.owner_team.name,
        subject=f"Architecture example: {arch.summary}"[:500],
        facts=(
            ("Owner team", arch.owner_team.name),
            ("Lifecycle", arch.get_lifecycle_display()),
            ("Tags", ", ".join(t.name for t in arch.tags.all()) or "None"),
            ("Components", str(len(arch.component_roles.all()))),
            ("Updated", arch.updated_at.strftime("%Y-%m-%d")),
        ),
        toc=tuple(toc),
    )


ARCHITECTURE = printing.PrintableSubject(
    "architecture",
    "Architecture example",
    may_print=may_print_architecture,
    render=render_architecture,
)


# --- the catalogue, whole or filtered ---------------------------------------------------------


def _components() -> QuerySet[Component]:
    return (
        Component.objects.select_related("owner_team")
        .prefetch_related(
            "tags",
            Prefetch("depends_on", queryset=Component.objects.only("id", "slug", "name")),
            Prefetch("raci", queryset=ComponentRaci.objects.select_related("person", "team")),
        )
        .order_by("name", "id")
    )


def _filterset(cls, data: QueryDict, queryset: QuerySet):
    filterset = cls(data, queryset=queryset)
    # The printed part is the same for everyone who may print it (they see every team).
    if "team" in filterset.form.fields:
        filterset.form.fields["team"].queryset = Team.objects.order_by("name")
    return filterset


def catalogue_filter(key: str) -> tuple[Any, Any]:
    """The two FilterSets (architecture examples, components) bound to the query string
    `key`; each takes the parameters it knows. DomainError naming the parameter when a
    parameter is known to neither, or every FilterSet that knows it refuses its value."""
    if "\x00" in key:
        raise DomainError("The filter must not contain NUL characters.", field="key")
    data = QueryDict(key, mutable=False)
    classes = (ArchitectureFilterSet, ComponentFilterSet)
    known = {name for cls in classes for name in cls.base_filters}
    for name in data:
        if name not in known:
            raise DomainError(
                f"{name}: not a catalogue filter (use {', '.join(sorted(known))}).",
                field=name,
                errors={name: [f"Not a catalogue filter (use {', '.join(sorted(known))})."]},
            )
    querysets = (_architectures(), _components())
    bound, refused = [], {}
    for cls, queryset in zip(classes, querysets, strict=True):
        own = data.copy()
        for name in list(own):
            if name not in cls.base_filters:
                del own[name]
        filterset = _filterset(cls, own, queryset)
        bad = dict(filterset.errors) if not filterset.is_valid() else {}
        if bad:
            for name in bad:
                del own[name]
            filterset = _filterset(cls, own, queryset)
        bound.append(filterset)
        for name, messages in bad.items():
            refused.setdefault(name, []).append((cls, list(messages)))
    for name, refusals in refused.items():
        declaring = [cls for cls in classes if name in cls.base_filters]
        if len(refusals) == len(declaring):
            message = refusals[0][1][0]
            raise DomainError(f"{name}: {message}", field=name, errors={name: [message]})
    return bound[0], bound[1]


def may_print_catalogue(user, key: str) -> bool:
    if not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or roles.has_any_role.holds(user, None))


def _describe(data: QueryDict) -> str:
    return ", ".join(f"{k} = {v}" for k in data for v in data.getlist(k) if v) or "none"


def render_catalogue(key: str, options: dict[str, Any]) -> printing.PrintedBody:
    architectures, components = catalogue_filter(key)
    arch_rows = list(architectures.qs)
    component_rows = list(components.qs)
    data = QueryDict(key)
    filtered = _describe(data)
    html = render_to_string(
        "catalogue/print/catalogue.html",
        {"architectures": arch_rows, "components": component_rows, "filter": filtered},
    )
    title = "Catalogue" if filtered == "none" else "Catalogue (filtered)"
    return printing.PrintedBody(
        title=title,
        html=html,
        content_hash=_digest(html),
        author="ML Design Registry",
        subject="Catalogue of components and architecture examples",
        facts=(
            ("Filter", filtered),
            ("Architecture examples", str(len(arch_rows))),
            ("Components", str(len(component_rows))),
        ),
        toc=(("cat-architectures", "Architecture examples"), ("cat-components", "Components")),
    )


CATALOGUE = printing.PrintableSubject(
    "catalogue", "Catalogue", may_print=may_print_catalogue, render=render_catalogue
)


def register() -> None:
    printing.register_subject(ARCHITECTURE)
    printing.register_subject(CATALOGUE)
