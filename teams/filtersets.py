"""The one filter definition of the team list, shared by the page and the API."""

import django_filters

from registry.core.filtersets import RegistryFilterSet, SortFilter
from registry.core.search import filter_text
from teams.choices import TeamKind
from teams.models import Team
from teams.search import TEAMS

TEAM_SORTS = {
    "name": ("Name", ("name",)),
    "members": ("Members", ("member_count", "name")),
    "kind": ("Kind", ("kind", "name")),
}


class TeamFilterSet(RegistryFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Text", max_length=200)
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=TeamKind.choices, empty_label="Any kind"
    )
    sort = SortFilter(sorts=TEAM_SORTS, default="name")

    class Meta:
        model = Team
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        return filter_text(queryset, value, TEAMS)
