"""Factories for the objects every app's tests need: people, roles and teams.

App-specific factories live beside their tests (e.g. `tests/designdocs/factories.py`) and
build on these. Every user made here can log in with the password `demo`.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

from teams.choices import MembershipRole, TeamKind
from teams.models import Team, TeamMembership

DEMO_PASSWORD = "demo"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password `demo`. `roles=[roles.ARCHITECTS, ...]` puts them in those groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.LazyAttribute(lambda user: user.username.capitalize())
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        # get_or_create: the role groups come from a data migration, and a transactional
        # test's flush removes them for the tests that follow it.
        self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.LazyAttribute(lambda team: slugify(team.name))
    kind = TeamKind.FEATURE
    description = factory.LazyAttribute(lambda team: f"{team.name} builds and runs ML solutions.")
    chat_channel = factory.LazyAttribute(lambda team: f"#{team.slug}")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
