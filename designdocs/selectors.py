"""Reads of design documents. Every selector starts from what the user may see and
prefetches what its callers show, so that lists run a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from designdocs.models import DesignDoc, RaciAssignment, Revision, Risk
from registry.catalogue.models import Team


def with_content(queryset: QuerySet[DesignDoc]) -> QuerySet[DesignDoc]:
    """Everything `designdocs.content.content_of` reads, prefetched."""
    return queryset.select_related("owner_team", "product_owner").prefetch_related(
        "co_authors",
        "success_criteria",
        Prefetch(
            "raci_assignments", queryset=RaciAssignment.objects.select_related("person", "team")
        ),
        Prefetch("risks", queryset=Risk.objects.select_related("owner")),
        "monitoring_items",
    )


def designdoc_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[DesignDoc]:
    """Documents visible to `user`, filtered, with what a list row shows."""
    queryset = (
        DesignDoc.objects.visible_to(user)
        .select_related("owner_team", "product_owner")
        .prefetch_related("co_authors")
    )
    filters = filters or {}
    if filters.get("team"):
        queryset = queryset.filter(owner_team__slug=filters["team"])
    for field in ("stage", "risk_tier", "status"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if filters.get("mine"):
        queryset = queryset.filter(
            Q(product_owner=user) | Q(co_authors=user) | Q(owner_team__memberships__user=user)
        ).distinct()
    if filters.get("q"):
        from registry.search import filter_designdocs

        queryset = filter_designdocs(queryset, filters["q"])
    return queryset


def designdoc_detail(*, user, queryset: QuerySet[DesignDoc] | None = None) -> QuerySet[DesignDoc]:
    """Documents visible to `user` with their whole content prefetched, for one-object views."""
    base = queryset if queryset is not None else DesignDoc.objects.all()
    return with_content(base & DesignDoc.objects.visible_to(user)).annotate(
        revision_count=Count("revisions", distinct=True)
    )


def revision_list(*, doc: DesignDoc) -> QuerySet[Revision]:
    return doc.revisions.select_related("author").defer("content").order_by("-number")


def revision_get(*, doc: DesignDoc, number: int) -> Revision:
    return doc.revisions.select_related("author").get(number=number)


def teams_user_may_create_for(*, user) -> list[Team]:
    """The teams `user` may create design docs for, asked of the one policy per team."""
    if not user.has_perm("designdocs.add_designdoc"):
        return []
    candidates = (
        Team.objects.all() if user.is_superuser else Team.objects.filter(memberships__user=user)
    )
    return [
        team
        for team in candidates.order_by("name")
        if user.has_perm("designdocs.add_designdoc", team)
    ]
