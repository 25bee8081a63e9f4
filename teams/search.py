"""What of teams is searchable (registry.core.search)."""

from registry.core.search import Facet, Searchable
from teams.models import Team

TEAMS = Searchable(
    key="teams",
    label="Teams",
    model=Team,
    fields={"name": "A", "description": "B"},
    # What the user may see; no member counts (the result shows name and kind only).
    queryset=lambda user: Team.objects.restrict(user, "view"),
    result_template="teams/search_result.html",
    title_field="name",
    facets=(Facet("kind", "Kind", "kind"),),
    # PostgreSQL only: the vector the database generates (teams migration
    # `*_generated_search_vector`) and the title index of `*_search_indexes`.
    vector_column="search_vector",
    order=90,
)
