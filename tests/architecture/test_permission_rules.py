"""Every permission rule answers alike for a queryset and for one object, for every demo
user and fixture object; and the check catches a rule whose two sides disagree."""

import pytest

from designdocs.models import DesignDoc
from registry.core import permissions, roles
from registry.core.permissions import FieldIsUser, ManyIncludesUser, Rule, UserIs
from registry.core.testing.permissions import permission_mismatches
from teams.models import Team
from tests.designdocs.factories import DesignDocFactory
from tests.factories import SuperuserFactory, TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def world():
    """The demo's cast (product owners, architects, a viewer, people without a role, an
    inactive product owner, a superuser) and documents of several teams."""
    supply, pricing, platform = (TeamFactory(slug=s) for s in ("supply", "pricing", "platform"))
    alice = UserFactory(username="alice", roles=[roles.PRODUCT_OWNERS])
    erin = UserFactory(username="erin", roles=[roles.PRODUCT_OWNERS])
    bob = UserFactory(username="bob", roles=[roles.ARCHITECTS])
    carol = UserFactory(username="carol", roles=[roles.ARCHITECTS])
    dave = UserFactory(username="dave", roles=[roles.VIEWERS])
    nora = UserFactory(username="nora")  # no role, in a team
    otto = UserFactory(username="otto")  # no role, co-author of one doc
    gone = UserFactory(username="gone", roles=[roles.PRODUCT_OWNERS], is_active=False)
    admin = SuperuserFactory(username="admin")
    memberships = [
        TeamMembershipFactory(user=user, team=team, role=role)
        for user, team, role in (
            (alice, supply, "lead"), (alice, pricing, "member"), (erin, pricing, "member"),
            (bob, platform, "lead"), (carol, supply, "member"), (dave, supply, "member"),
            (nora, supply, "lead"), (gone, supply, "lead"),
        )
    ]  # fmt: skip
    docs = [
        DesignDocFactory(title="Forecast", product_owner=alice, owner_team=supply),
        DesignDocFactory(
            title="Prices", product_owner=erin, owner_team=pricing, content={"co_authors": ["otto"]}
        ),
        DesignDocFactory(
            title="Ranking",
            product_owner=alice,
            owner_team=pricing,
            content={"co_authors": ["dave"]},
        ),
    ]
    users = [alice, erin, bob, carol, dave, nora, otto, gone, admin]
    return users, [*docs, supply, pricing, platform, *memberships]


def test_every_rule_gives_the_same_answer_for_a_queryset_and_for_one_object(world):
    users, objects = world
    declared = {rule.permission for rule in permissions.all_rules()}
    assert {"designdocs.view_designdoc", "designdocs.change_designdoc",
            "designdocs.delete_designdoc", "designdocs.transfer_designdoc",
            "designdocs.add_designdoc", "teams.view_team", "teams.change_team",
            "teams.add_teammembership", "teams.change_teammembership",
            "teams.delete_teammembership", "teams.view_teammembership"} <= declared  # fmt: skip
    assert permission_mismatches(users, objects) == []


def test_decided_roles_hold(world):
    users, objects = world
    by_name = {u.username: u for u in users}
    forecast, prices, _ranking = objects[:3]
    editors = set(
        DesignDoc.objects.restrict(by_name["dave"], "change").values_list("title", flat=True)
    )
    assert editors == {"Ranking"}  # a viewer edits only the doc naming them co-author
    assert by_name["carol"].has_perm("designdocs.change_designdoc", forecast)  # architect in team
    assert not by_name["carol"].has_perm("designdocs.delete_designdoc", forecast)
    assert not by_name["nora"].has_perm("designdocs.view_designdoc", forecast)  # no role
    assert by_name["otto"].has_perm("designdocs.change_designdoc", prices)
    assert not by_name["gone"].has_perm("designdocs.view_designdoc", forecast)


class _Lying(FieldIsUser):
    """A predicate whose object side says the opposite of its queryset side."""

    def holds(self, user, obj):
        return not super().holds(user, obj)


class _Narrow(ManyIncludesUser):
    """A predicate whose queryset side selects nothing while its object side is right."""

    def as_q(self, user, model):
        return permissions.NONE


@pytest.mark.parametrize(
    "predicate", [_Lying("product_owner"), _Narrow("co_authors")], ids=["object", "queryset"]
)
def test_the_check_fails_when_one_side_of_a_rule_changes_alone(world, predicate):
    users, objects = world
    rule = Rule(permission="designdocs.probe_designdoc", model=DesignDoc, predicate=predicate)
    assert permission_mismatches(users, objects, rules=[rule])


def test_a_consistent_rule_passes_the_check(world):
    users, objects = world
    rule = Rule(
        permission="designdocs.probe_designdoc",
        model=DesignDoc,
        predicate=UserIs(lambda u: False) | ManyIncludesUser("co_authors"),
    )
    assert permission_mismatches(users, objects, rules=[rule]) == []


def test_restrict_refuses_an_action_no_rule_declares(world):
    with pytest.raises(LookupError, match="No permission rule"):
        Team.objects.restrict(world[0][0], "approve")
