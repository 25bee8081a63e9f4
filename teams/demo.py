"""Demo people and teams for `manage.py seed_demo`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from registry.core import roles
from teams.choices import MembershipRole, TeamKind
from teams.models import Team, TeamMembership

DEMO_PASSWORD = "demo"

USERS = [
    # username, first name, last name, role group (None for superuser), superuser
    ("alice", "Alice", "Martin", roles.PRODUCT_OWNERS, False),
    ("bob", "Bob", "Dupont", roles.ARCHITECTS, False),
    ("carol", "Carol", "Nguyen", roles.ARCHITECTS, False),
    ("dave", "Dave", "Okafor", roles.VIEWERS, False),
    ("erin", "Erin", "Rossi", roles.PRODUCT_OWNERS, False),
    ("admin", "Ada", "Admin", None, True),
]

TEAMS = [
    ("Supply chain ML", "supply-chain-ml", TeamKind.FEATURE,
     "Forecasting and replenishment models for stores and warehouses.", "#supply-chain-ml"),
    ("Pricing ML", "pricing-ml", TeamKind.FEATURE,
     "Price elasticity, markdown and promotion optimisation.", "#pricing-ml"),
    ("Personalisation", "personalisation", TeamKind.FEATURE,
     "Recommendations and search ranking on the e-commerce site.", "#personalisation"),
    ("ML Platform", "ml-platform", TeamKind.PLATFORM,
     "Feature store, training pipelines, model serving and monitoring for every team.",
     "ml-platform@example.com"),
]  # fmt: skip

MEMBERSHIPS = [
    ("alice", "supply-chain-ml", MembershipRole.LEAD),
    ("alice", "pricing-ml", MembershipRole.MEMBER),
    ("erin", "personalisation", MembershipRole.LEAD),
    ("bob", "ml-platform", MembershipRole.LEAD),
    ("carol", "ml-platform", MembershipRole.MEMBER),
    ("dave", "supply-chain-ml", MembershipRole.MEMBER),
]


@transaction.atomic
def seed_people_and_teams() -> dict[str, int]:
    """Create the demo users and teams that are missing; existing ones are left alone."""
    user_model = get_user_model()
    created = {"users": 0, "teams": 0}
    for username, first, last, group, superuser in USERS:
        user, was_created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = superuser
            user.save()
            created["users"] += 1
        if group:
            user.groups.add(Group.objects.get(name=group))
    for name, slug, kind, description, contact in TEAMS:
        _, was_created = Team.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "description": description, "contact": contact},
        )
        created["teams"] += was_created
    for username, slug, role in MEMBERSHIPS:
        TeamMembership.objects.get_or_create(
            user=user_model.objects.get(username=username),
            team=Team.objects.get(slug=slug),
            defaults={"role": role},
        )
    return created


def seed() -> str:
    created = seed_people_and_teams()
    return f"{created['users']} users, {created['teams']} teams"
