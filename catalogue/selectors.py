"""Reads of the catalogue, restricted to what the user may see, with what their callers
show prefetched so that lists run a fixed number of queries whatever their length."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from catalogue.models import (
    ArchitectureComponent,
    ArchitectureExample,
    Component,
    ComponentRaci,
    LifecycleTransition,
)

LIVE_DOC = ~Q(stage="retired")


def component_list(*, user) -> QuerySet[Component]:
    """Components visible to `user`, with owner team and tags, and how many design docs
    use each (filter with catalogue.filtersets.ComponentFilterSet)."""
    return (
        Component.objects.restrict(user, "view")
        .select_related("owner_team")
        .prefetch_related(
            "tags",
            Prefetch("depends_on", queryset=Component.objects.only("id", "slug", "name")),
            Prefetch("dependants", queryset=Component.objects.only("id", "slug", "name")),
            Prefetch("raci", queryset=ComponentRaci.objects.select_related("person", "team")),
        )
        .annotate(used_by_count=Count("using_design_docs", distinct=True))
        # An aggregate drops the model's default ordering: pages need a stable one.
        .order_by("name", "id")
    )


def component_detail(*, user) -> QuerySet[Component]:
    """Components visible to `user` with everything the component page and API show."""
    return (
        Component.objects.restrict(user, "view")
        .select_related("owner_team", "replacement")
        .prefetch_related(
            "tags",
            Prefetch("raci", queryset=ComponentRaci.objects.select_related("person", "team")),
            Prefetch(
                "lifecycle_history",
                queryset=LifecycleTransition.objects.select_related("actor"),
            ),
            Prefetch("depends_on", queryset=Component.objects.select_related("owner_team")),
            Prefetch("dependants", queryset=Component.objects.select_related("owner_team")),
            Prefetch(
                "architecture_roles",
                queryset=ArchitectureComponent.objects.select_related("architecture"),
            ),
        )
        .annotate(used_by_count=Count("using_design_docs", distinct=True))
    )


def architecture_list(*, user) -> QuerySet[ArchitectureExample]:
    """Architecture examples visible to `user`, with owner, tags and how many design docs
    adopted each."""
    return (
        ArchitectureExample.objects.restrict(user, "view")
        .select_related("owner_team")
        .prefetch_related(
            "tags",
            Prefetch(
                "component_roles",
                queryset=ArchitectureComponent.objects.select_related("component"),
            ),
        )
        .annotate(used_by_count=Count("adopting_design_docs", distinct=True))
        .order_by("title", "id")
    )


def architecture_detail(*, user) -> QuerySet[ArchitectureExample]:
    return (
        ArchitectureExample.objects.restrict(user, "view")
        .select_related("owner_team", "replacement")
        .prefetch_related(
            "tags",
            Prefetch(
                "component_roles",
                queryset=ArchitectureComponent.objects.select_related(
                    "component", "component__owner_team"
                ),
            ),
            Prefetch(
                "lifecycle_history",
                queryset=LifecycleTransition.objects.select_related("actor"),
            ),
        )
        .annotate(used_by_count=Count("adopting_design_docs", distinct=True))
    )


def design_docs_using(component: Component, *, user):
    """The design docs using `component` that `user` may see (the link lives on the doc;
    its own rules decide visibility)."""
    return component.using_design_docs.restrict(user, "view").select_related("owner_team")


def design_docs_adopting(architecture: ArchitectureExample, *, user):
    return architecture.adopting_design_docs.restrict(user, "view").select_related("owner_team")


def components_of_team(team, *, user) -> QuerySet[Component]:
    return component_list(user=user).filter(owner_team=team).order_by("name")


def architectures_of_team(team, *, user) -> QuerySet[ArchitectureExample]:
    return architecture_list(user=user).filter(owner_team=team).order_by("title")
