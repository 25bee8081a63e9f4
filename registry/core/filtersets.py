"""The base of every list's one filter definition (django-filter), shared by its page, its
API endpoint and the OpenAPI parameters.

An invalid value (an unknown choice, a NUL, an over-long text) is an error in both places:
the API answers 400 naming the parameter (DjangoFilterBackend raises), the page shows the
error next to the filter and lists nothing, so the two never disagree.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

TRUE_VALUES = frozenset({"true", "1", "yes", "on"})
FALSE_VALUES = frozenset({"false", "0", "no", "off"})


def _is_true(value) -> bool:
    return value is True or str(value).strip().lower() in TRUE_VALUES


class StrictCheckbox(forms.CheckboxInput):
    """A checkbox that hands the field the raw value (the stock one turns any text into
    True), so that a hand-edited value is an error instead of a guess."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, check_test=_is_true)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictBooleanField(forms.Field):
    """true/1/yes/on or false/0/no/off (a checkbox sends "on"); anything else is an error,
    never silently "no filter"."""

    widget = StrictCheckbox

    def to_python(self, value):
        if value in (None, "", False):
            return None
        if value is True:
            return True
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError("Must be true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class SortFilter(django_filters.ChoiceFilter):
    """`?sort=key` or `?sort=-key` over declared sorts: key -> (label, order expressions).
    Expressions are field names or expressions (for a lifecycle order, say)."""

    def __init__(self, *, sorts: dict[str, tuple[str, tuple[Any, ...]]], default: str, **kwargs):
        self.sorts = sorts
        self.default = default
        choices = []
        for key, (label, _) in sorts.items():
            choices += [(key, label), (f"-{key}", f"{label}, reversed")]
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", "Default order")
        super().__init__(choices=kwargs.pop("choices", choices), method=self.sort_by, **kwargs)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, by RegistryFilterSet.filter_queryset

    def order(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value or value.lstrip("-") not in self.sorts:
            return queryset
        descending = value.startswith("-")
        ordered = []
        for expr in self.sorts[value.lstrip("-")][1]:
            if isinstance(expr, str):
                ordered.append(f"-{expr}" if descending else expr)
            else:
                ordered.append(expr.desc() if descending else expr.asc())
        return queryset.order_by(*ordered)


class RegistryFilterSet(django_filters.FilterSet):
    #: parameters that narrow the list (the rest, such as sort, only order it)
    sort_param = "sort"

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.form.label_suffix = ""

    @property
    def _sort_filter(self) -> SortFilter | None:
        sort = self.filters.get(self.sort_param)
        return sort if isinstance(sort, SortFilter) else None

    @property
    def active(self) -> bool:
        """Whether any filter (not the sort) narrows the list."""
        if not self.is_bound or not self.is_valid():
            return bool(self.data and any(self.data.get(n) for n in self.filters))
        return any(
            self.form.cleaned_data.get(name) not in (None, "", False, [])
            for name in self.filters
            if name != self.sort_param
        )

    def default_sort(self) -> str:
        sort = self._sort_filter
        return sort.default if sort else ""

    @property
    def current_sort(self) -> str:
        sort = self._sort_filter
        if sort is None:
            return ""
        value = self.form.cleaned_data.get(self.sort_param) if self.is_valid() else ""
        return value or self.default_sort()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        sort = self._sort_filter
        return sort.order(queryset, self.current_sort) if sort else queryset

    def sort_links(self) -> dict[str, dict[str, Any]]:
        """For column headers: each sort's next value and its aria-sort state."""
        sort = self._sort_filter
        if sort is None:
            return {}
        current = self.current_sort
        links = {}
        for key, (label, _) in sort.sorts.items():
            if current == key:
                state, next_value = "ascending", f"-{key}"
            elif current == f"-{key}":
                state, next_value = "descending", key
            else:
                state, next_value = "none", key
            links[key] = {"label": label, "state": state, "next": next_value}
        return links

    def result(self) -> QuerySet:
        """The filtered, ordered queryset; nothing when a value is invalid (its error shows)."""
        return self.qs if self.is_valid() else self.queryset.none()
