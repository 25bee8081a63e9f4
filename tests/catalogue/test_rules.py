"""The catalogue's permission rules: both faces equal for every cast member and object,
and the decided roles (architects curate examples, team members edit components)."""

import pytest

from catalogue import rules
from catalogue.models import ArchitectureExample, Component, System
from registry.core import permissions, roles
from registry.core.testing.permissions import permission_mismatches
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.factories import SuperuserFactory, TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def world():
    platform, supply = TeamFactory(slug="platform"), TeamFactory(slug="supply")
    alice = UserFactory(username="alice", roles=[roles.PRODUCT_OWNERS])
    bob = UserFactory(username="bob", roles=[roles.ARCHITECTS])
    dave = UserFactory(username="dave", roles=[roles.VIEWERS])
    nora = UserFactory(username="nora")  # no role, in a team
    stranger = UserFactory(username="stranger")  # no role, no team
    admin = SuperuserFactory(username="admin")
    TeamMembershipFactory(user=alice, team=supply)
    TeamMembershipFactory(user=bob, team=platform)
    TeamMembershipFactory(user=nora, team=platform)
    objects = [
        ComponentFactory(owner_team=platform),
        ComponentFactory(owner_team=supply),
        ArchitectureFactory(owner_team=platform),
        ArchitectureFactory(owner_team=supply),
        System.objects.create(kind="system", ref="system:default/s", owner_team=platform),
        platform,
        supply,
    ]
    return [alice, bob, dave, nora, stranger, admin], objects


def test_every_catalogue_rule_answers_alike_for_queryset_and_object(world):
    users, objects = world
    mine = [r for r in permissions.all_rules() if r.permission.startswith("catalogue.")]
    assert len(mine) >= 12
    assert permission_mismatches(users, objects, mine) == []
    assert rules.in_owner_team is not None


def test_decided_roles_hold(world):
    (alice, bob, dave, nora, stranger, admin), objects = world
    platform_component, supply_component, platform_arch = objects[0], objects[1], objects[2]
    assert alice.has_perm("catalogue.change_component", supply_component)
    assert not alice.has_perm("catalogue.change_component", platform_component)
    assert nora.has_perm("catalogue.change_component", platform_component)  # a member, no role
    assert not dave.has_perm("catalogue.change_component", supply_component)
    assert dave.has_perm("catalogue.view_component", platform_component)
    assert bob.has_perm("catalogue.change_architectureexample", platform_arch)
    assert not alice.has_perm("catalogue.change_architectureexample", platform_arch)
    assert not stranger.has_perm("catalogue.view_component", platform_component)
    assert not Component.objects.restrict(stranger, "view").exists()
    assert ArchitectureExample.objects.restrict(dave, "view").count() == 2
    assert admin.has_perm("catalogue.import_catalog") and not bob.has_perm(
        "catalogue.import_catalog"
    )
