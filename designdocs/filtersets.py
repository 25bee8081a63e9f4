"""The one filter definition of the design doc list: the page, the API and the OpenAPI
parameters all read it (registry.core.filtersets)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When

from designdocs.choices import MLStage, RiskTier, WorkflowStatus
from designdocs.models import DesignDoc
from designdocs.rules import mine
from designdocs.search import DESIGNDOCS
from registry.core.filtersets import RegistryFilterSet, SortFilter, StrictBooleanFilter
from registry.core.permissions import matching
from registry.core.search import filter_text
from teams.models import Team


def _rank(field: str, choices) -> Case:
    """Order a choice field by its declared order (lifecycle order, tier severity)."""
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(choices.values)),
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


#: sort parameter -> (label, order_by expressions). A leading "-" reverses.
SORTS: dict[str, tuple[str, Any]] = {
    "title": ("Title", ("title", "id")),
    "team": ("Team", ("owner_team__name", "title")),
    "stage": ("Stage", (_rank("stage", MLStage), "title")),
    "risk": ("Risk tier", (_rank("risk_tier", RiskTier), "title")),
    "updated": ("Updated", ("updated_at", "id")),
}
DEFAULT_SORT = "-updated"
SORT_CHOICES = [
    ("-updated", "Recently updated"),
    ("updated", "Least recently updated"),
    ("title", "Title, A to Z"),
    ("-title", "Title, Z to A"),
    ("team", "Team"),
    ("-team", "Team, Z to A"),
    ("stage", "Lifecycle stage"),
    ("-stage", "Lifecycle stage, last first"),
    ("-risk", "Highest risk tier first"),
    ("risk", "Lowest risk tier first"),
]


def _teams(request) -> QuerySet[Team]:
    user = getattr(request, "user", None)
    return Team.objects.restrict(user, "view").order_by("name")


class DesignDocFilterSet(RegistryFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Text", max_length=200)
    team = django_filters.ModelChoiceFilter(
        label="Team",
        field_name="owner_team",
        to_field_name="slug",
        queryset=_teams,
        empty_label="Any team",
        help_text="Owner team slug.",
    )
    stage = django_filters.ChoiceFilter(
        label="Stage", choices=MLStage.choices, empty_label="Any stage"
    )
    risk_tier = django_filters.ChoiceFilter(
        label="Risk tier", choices=RiskTier.choices, empty_label="Any tier"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=WorkflowStatus.choices, empty_label="Any status"
    )
    mine = StrictBooleanFilter(
        label="Only mine",
        method="filter_mine",
        help_text="Only docs I own, co-author or whose team I am in.",
    )
    sort = SortFilter(
        sorts=SORTS,
        default=DEFAULT_SORT,
        choices=SORT_CHOICES,
        empty_label="Best match, else recently updated",
    )

    class Meta:
        model = DesignDoc
        fields = ["q", "team", "stage", "risk_tier", "status", "mine"]

    def default_sort(self) -> str:
        # A text search keeps its ranking unless a sort is asked for.
        if self.is_valid() and self.form.cleaned_data.get("q"):
            return ""
        return DEFAULT_SORT

    def filter_q(self, queryset, name, value):
        return filter_text(queryset, value, DESIGNDOCS)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return matching(queryset, self.request.user, mine)
