"""Reads of teams, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from teams.choices import ROLE_ORDER, MembershipRole
from teams.models import Team, TeamMembership

#: The per-request cache on the user object ({team id: role}); tests that add memberships
#: behind the services' back pop it (`forget_memberships`).
_CACHE = "_registry_team_ids"


def _memberships_of(user: Any) -> dict[int, str]:
    """{team id: role} of the user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = dict(TeamMembership.objects.filter(user=user).values_list("team_id", "role"))
        setattr(user, _CACHE, cached)
    return cached


def team_ids_of(user: Any) -> frozenset[int]:
    """The ids of the teams the user belongs to (one query, cached for the request)."""
    return frozenset(_memberships_of(user))


def lead_team_ids_of(user: Any) -> frozenset[int]:
    """The ids of the teams the user leads (the same cached query as `team_ids_of`)."""
    return frozenset(
        team for team, role in _memberships_of(user).items() if role == MembershipRole.LEAD
    )


def forget_memberships(*users: Any) -> None:
    """Drop the cached memberships of these user objects (after a write changed them), so
    that the next permission check in the same request reads them afresh."""
    for user in users:
        if user is not None and hasattr(user, "__dict__"):
            user.__dict__.pop(_CACHE, None)


def team_list(*, user) -> QuerySet[Team]:
    """Teams visible to `user`, with member counts and parents, in one query."""
    return (
        Team.objects.restrict(user, "view")
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def team_detail(*, user) -> QuerySet[Team]:
    """Teams visible to `user` with what their page and API answer show: parent, child
    teams and memberships with their people, in a fixed number of queries."""
    return team_list(user=user).prefetch_related(
        Prefetch("children", queryset=Team.objects.order_by("name")),
        Prefetch(
            "memberships",
            queryset=TeamMembership.objects.select_related("user").order_by("user__username"),
        ),
    )


def sorted_memberships(team: Team) -> list[TeamMembership]:
    """The team's (prefetched) memberships, leads first, then by username."""
    return sorted(
        team.memberships.all(),
        key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.get_username().lower()),
    )


def teams_to_filter_by(*, user) -> QuerySet[Team]:
    """Teams offered as a filter: those the user may see."""
    return Team.objects.restrict(user, "view").order_by("name")
