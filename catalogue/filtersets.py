"""The one filter definition of each catalogue list: the browse page, the API and the
OpenAPI parameters all read it (registry.core.filtersets). Facets go through the URL."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from catalogue.choices import ComponentKind, Lifecycle
from catalogue.models import ArchitectureExample, Component, Tag
from catalogue.search import ARCHITECTURES, COMPONENTS
from registry.core.filtersets import RegistryFilterSet, SortFilter
from registry.core.search import filter_text
from teams.models import Team


def _teams(request) -> QuerySet[Team]:
    return Team.objects.restrict(getattr(request, "user", None), "view").order_by("name")


def _tags(request) -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


class _CatalogueFilterSet(RegistryFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Text", max_length=200)
    team = django_filters.ModelChoiceFilter(
        label="Owner team",
        field_name="owner_team",
        to_field_name="slug",
        queryset=_teams,
        empty_label="Any team",
        help_text="Owner team slug.",
    )
    lifecycle = django_filters.ChoiceFilter(
        label="Lifecycle", choices=Lifecycle.choices, empty_label="Any lifecycle"
    )
    tag = django_filters.ModelChoiceFilter(
        label="Tag",
        field_name="tags",
        to_field_name="name",
        queryset=_tags,
        empty_label="Any tag",
        distinct=True,
    )
    searchable = None

    def default_sort(self) -> str:
        if self.is_valid() and self.form.cleaned_data.get("q"):
            return ""
        return super().default_sort()

    def filter_q(self, queryset, name, value):
        return filter_text(queryset, value, self.searchable)


class ComponentFilterSet(_CatalogueFilterSet):
    kind = django_filters.ChoiceFilter(
        label="Type", choices=ComponentKind.choices, empty_label="Any type"
    )
    sort = SortFilter(
        sorts={
            "name": ("Name", ("name", "id")),
            "team": ("Owner team", ("owner_team__name", "name")),
            "updated": ("Updated", ("updated_at", "id")),
        },
        default="name",
    )
    searchable = COMPONENTS

    class Meta:
        model = Component
        fields = ["q", "kind", "team", "lifecycle", "tag"]


class ArchitectureFilterSet(_CatalogueFilterSet):
    component = django_filters.CharFilter(
        label="Uses component",
        field_name="components__slug",
        max_length=100,
        distinct=True,
        help_text="Component slug.",
    )
    sort = SortFilter(
        sorts={
            "title": ("Title", ("title", "id")),
            "team": ("Owner team", ("owner_team__name", "title")),
            "updated": ("Updated", ("updated_at", "id")),
        },
        default="title",
    )
    searchable = ARCHITECTURES

    class Meta:
        model = ArchitectureExample
        fields = ["q", "team", "lifecycle", "tag", "component"]
