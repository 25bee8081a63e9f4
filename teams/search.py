"""What of teams is searchable (registry.core.search)."""

from registry.core.search import Facet, Searchable
from teams.models import Team
from teams.selectors import team_list

TEAMS = Searchable(
    key="teams",
    label="Teams",
    model=Team,
    fields={"name": "A", "description": "B"},
    queryset=lambda user: team_list(user=user),
    result_template="teams/search_result.html",
    title_field="name",
    facets=(Facet("kind", "Kind", "kind"),),
    order=90,
)
