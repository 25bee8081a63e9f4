"""The one filter definition of the team list, shared by the page and the API."""

import django_filters
from django.db.models import QuerySet

from registry.core.filtersets import RegistryFilterSet, SortFilter, StrictBooleanFilter
from registry.core.permissions import matching
from registry.core.search import filter_text
from teams.choices import TeamKind
from teams.models import Team
from teams.rules import is_member
from teams.search import TEAMS

TEAM_SORTS = {
    "name": ("Name", ("name",)),
    "members": ("Members", ("member_count", "name")),
    "kind": ("Kind", ("kind", "name")),
    "updated": ("Last changed", ("updated_at", "name")),
}


def _teams(request) -> QuerySet[Team]:
    return Team.objects.restrict(getattr(request, "user", None), "view").order_by("name")


class TeamFilterSet(RegistryFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Text", max_length=200)
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=TeamKind.choices, empty_label="Any kind"
    )
    parent = django_filters.ModelChoiceFilter(
        label="Part of",
        field_name="parent",
        to_field_name="slug",
        queryset=_teams,
        empty_label="Any team",
        help_text="Parent team slug: its direct sub-teams.",
    )
    mine = StrictBooleanFilter(
        label="Only my teams", method="filter_mine", help_text="Only the teams I am in."
    )
    sort = SortFilter(sorts=TEAM_SORTS, default="name")

    class Meta:
        model = Team
        fields = ["q", "kind", "parent", "mine"]

    def filter_q(self, queryset, name, value):
        return filter_text(queryset, value, TEAMS)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return matching(queryset, self.request.user, is_member)
