"""Registries of page panels: the home dashboard and the pages of shared objects (a team's
page) show what each app contributes, so that no app reaches into another.

    panels.register(Panel("designdocs-needs-action", "designdocs/panels/needs_action.html",
                          context=needs_action, order=10))                 # slot "home"
    panels.register(Panel("designdocs-of-team", "designdocs/panels/team_docs.html",
                          context=docs_of_team, slot="team"))              # context(request, team)

A panel's context function returns a dict for the template (under `panel`), or None to
hide the panel for this request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

HOME = "home"
TEAM = "team"
#: The page of one design document: context(request, doc), shown below its people (the
#: review app's approval state and timeline).
DOC = "doc"
#: Slots of other pages, filled through `{% panel_slot "<slot>" obj %}` in their templates:
#: "designdoc-actions" and "revision-actions" (buttons of a doc and of a revision),
#: "component-badges", "component-actions" and "component" (a component's page: beside
#: its lifecycle badge, among its buttons, a box below its facts), the same three for
#: "architecture-…", and "catalogue-actions" and "portfolio-actions" (buttons of the
#: catalogue's browse page and of the maturity portfolio; their context gets no object).


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]  # (request) on home, (request, obj) else
    order: int = 100
    slot: str = HOME


@dataclass(frozen=True)
class RenderedPanel:
    panel: Panel
    context: dict[str, Any]

    @property
    def template(self) -> str:
        return self.panel.template


_panels: dict[tuple[str, str], Panel] = {}


def register(panel: Panel) -> Panel:
    _panels[(panel.slot, panel.key)] = panel
    return panel


def panels_for(request: HttpRequest, slot: str = HOME, obj: Any = None) -> list[RenderedPanel]:
    shown = []
    for panel in sorted(
        (p for p in _panels.values() if p.slot == slot), key=lambda p: (p.order, p.key)
    ):
        context = panel.context(request) if obj is None else panel.context(request, obj)
        if context is not None:
            shown.append(RenderedPanel(panel=panel, context=context))
    return shown
