"""The catalogue's panels on a team's page: the components and architecture examples the
team owns (registry.core.panels, slot "team")."""

from __future__ import annotations

from catalogue.selectors import architectures_of_team, components_of_team
from registry.core.panels import TEAM, Panel

PANEL_LIMIT = 50


def components_of(request, team) -> dict:
    items = list(components_of_team(team, user=request.user)[: PANEL_LIMIT + 1])
    return {"items": items[:PANEL_LIMIT], "more": len(items) > PANEL_LIMIT, "team": team}


def architectures_of(request, team) -> dict:
    items = list(architectures_of_team(team, user=request.user)[: PANEL_LIMIT + 1])
    return {"items": items[:PANEL_LIMIT], "more": len(items) > PANEL_LIMIT, "team": team}


PANELS = (
    Panel(
        "catalogue-components-of-team",
        "catalogue/panels/team_components.html",
        context=components_of,
        order=30,
        slot=TEAM,
    ),
    Panel(
        "catalogue-architectures-of-team",
        "catalogue/panels/team_architectures.html",
        context=architectures_of,
        order=31,
        slot=TEAM,
    ),
)
