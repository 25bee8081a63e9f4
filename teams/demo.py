"""Demo people and teams for `manage.py seed_demo`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from registry.core import roles
from teams import services
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
    # name, slug, kind, parent slug, description (Markdown), e-mail, chat channel
    ("Retail data science", "retail-data-science", TeamKind.FEATURE, None,
     "The data science teams of the retail business: forecasting, pricing and "
     "personalisation. Ask here when you do not know which team owns a model.",
     "retail-ds@example.com", "#retail-data-science"),
    ("Supply chain ML", "supply-chain-ml", TeamKind.FEATURE, "retail-data-science",
     "Forecasting and replenishment models for **stores and warehouses**.\n\n"
     "- weekly demand forecasts per store and SKU\n- safety-stock recommendations",
     "", "#supply-chain-ml"),
    ("Pricing ML", "pricing-ml", TeamKind.FEATURE, "retail-data-science",
     "Price elasticity, markdown and promotion optimisation.", "pricing-ml@example.com",
     "#pricing-ml"),
    ("Personalisation", "personalisation", TeamKind.FEATURE, "retail-data-science",
     "Recommendations and search ranking on the e-commerce site.", "",
     "https://chat.example.com/channels/personalisation"),
    ("ML Platform", "ml-platform", TeamKind.PLATFORM, None,
     "Feature store, training pipelines, model serving and monitoring for every team. "
     "Office hours on Tuesdays; see the [platform docs](https://docs.example.com/ml-platform).",
     "ml-platform@example.com", "#ml-platform"),
]  # fmt: skip

MEMBERSHIPS = [
    ("erin", "retail-data-science", MembershipRole.LEAD),
    ("alice", "supply-chain-ml", MembershipRole.LEAD),
    ("alice", "pricing-ml", MembershipRole.MEMBER),
    ("erin", "pricing-ml", MembershipRole.LEAD),
    ("erin", "personalisation", MembershipRole.LEAD),
    ("bob", "ml-platform", MembershipRole.LEAD),
    ("carol", "ml-platform", MembershipRole.MEMBER),
    ("carol", "supply-chain-ml", MembershipRole.MEMBER),
    ("dave", "supply-chain-ml", MembershipRole.MEMBER),
]


@transaction.atomic
def seed_people_and_teams() -> dict[str, int]:
    """Create the demo users and teams that are missing, through the team services (as the
    demo administrator); existing teams are left alone."""
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
            user.groups.add(Group.objects.get_or_create(name=group)[0])
    admin = user_model.objects.get(username="admin")
    for name, slug, kind, parent, description, email, channel in TEAMS:
        if Team.objects.filter(slug=slug).exists():
            continue
        services.team_create(
            actor=admin, name=name, slug=slug, kind=kind, parent=parent,
            description=description, email=email, chat_channel=channel,
        )  # fmt: skip
        created["teams"] += 1
    for username, slug, role in MEMBERSHIPS:
        team = Team.objects.get(slug=slug)
        user = user_model.objects.get(username=username)
        if not TeamMembership.objects.filter(team=team, user=user).exists():
            services.membership_add(actor=admin, team=team, user=user, role=role)
    return created


def seed() -> str:
    created = seed_people_and_teams()
    return f"{created['users']} users, {created['teams']} teams"
