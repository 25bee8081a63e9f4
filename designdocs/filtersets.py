"""The list page's URL parameters: filters, text, sort.

The filtering itself belongs to `designdocs.selectors.designdoc_list`, so that pages and
the API agree on what a filter means; this module only parses and validates the query
string (an unknown value is dropped rather than failing the page) and orders the result.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.forms.utils import ErrorDict

from designdocs.choices import MLStage, RiskTier, WorkflowStatus
from registry.catalogue.models import Team


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


class DesignDocFilterForm(forms.Form):
    q = forms.CharField(label="Text", required=False, max_length=200)
    team = forms.ChoiceField(label="Team", required=False)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *MLStage.choices]
    )
    risk_tier = forms.ChoiceField(
        label="Risk tier", required=False, choices=[("", "Any tier"), *RiskTier.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *WorkflowStatus.choices]
    )
    mine = forms.BooleanField(label="Only mine", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("", "Best match, else recently updated"),
            ("-updated", "Recently updated"),
            ("updated", "Least recently updated"),
            ("title", "Title, A to Z"),
            ("-title", "Title, Z to A"),
            ("team", "Team"),
            ("stage", "Lifecycle stage"),
            ("-risk", "Highest risk tier first"),
            ("risk", "Lowest risk tier first"),
        ],
    )

    def __init__(self, data, *, teams: QuerySet[Team]) -> None:
        super().__init__(data, label_suffix="")
        self.fields["team"].choices = [("", "Any team"), *((t.slug, t.name) for t in teams)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A stale or hand-edited URL shows the unfiltered list for the bad parameter only.
        for name in list(self.errors):
            cleaned[name] = self.fields[name].initial or ("" if name != "mine" else False)
        self._errors = ErrorDict()
        return cleaned

    @property
    def filters(self) -> dict[str, Any]:
        """The selector's filters; empty ones left out."""
        if not self.is_valid():
            return {}
        keys = ("q", "team", "stage", "risk_tier", "status", "mine")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k)}

    @property
    def active(self) -> bool:
        return bool(self.filters)

    @property
    def current_sort(self) -> str:
        value = (self.cleaned_data.get("sort") if self.is_valid() else "") or ""
        if value.lstrip("-") in SORTS:
            return value
        return "" if self.filters.get("q") else DEFAULT_SORT

    def order(self, queryset: QuerySet) -> QuerySet:
        """Order by the sort parameter; without one a text search keeps its ranking."""
        sort = self.current_sort
        if not sort:
            return queryset
        descending = sort.startswith("-")
        expressions = SORTS[sort.lstrip("-")][1]
        ordered = []
        for expr in expressions:
            if isinstance(expr, str):
                ordered.append(f"-{expr}" if descending else expr)
            else:
                ordered.append(expr.desc() if descending else expr.asc())
        return queryset.order_by(*ordered)

    def sort_links(self) -> dict[str, dict[str, Any]]:
        """For the column headers: each sortable column's next sort value and aria-sort."""
        current = self.current_sort
        links = {}
        for key, (label, _) in SORTS.items():
            if current == key:
                state, next_value = "ascending", f"-{key}"
            elif current == f"-{key}":
                state, next_value = "descending", key
            else:
                state, next_value = "none", f"-{key}" if key == "updated" else key
            links[key] = {"label": label, "state": state, "next": next_value}
        return links
