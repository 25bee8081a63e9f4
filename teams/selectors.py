"""Reads of teams, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from teams.models import Team, TeamMembership


def team_ids_of(user: Any) -> frozenset[int]:
    """The ids of the teams the user belongs to, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_registry_team_ids", None)
    if cached is None:
        cached = frozenset(
            TeamMembership.objects.filter(user=user).values_list("team_id", flat=True)
        )
        user._registry_team_ids = cached
    return cached


def team_list(*, user) -> QuerySet[Team]:
    """Teams visible to `user`, with member counts, in a fixed number of queries."""
    return (
        Team.objects.restrict(user, "view")
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def teams_to_filter_by(*, user) -> QuerySet[Team]:
    """Teams offered as a filter: those the user may see."""
    return Team.objects.restrict(user, "view").order_by("name")
