"""The team services: permissions (superuser, lead, member, outsider), validation naming the
field, the hierarchy without cycles (service and database), optimistic versions, deletion
refused while the team owns things, memberships and the last lead, and the import upsert."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from registry.core.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    PreconditionRequiredError,
    StaleVersionError,
)
from registry.core.models import AuditEvent
from teams import services
from teams.choices import MembershipRole
from teams.models import Team, TeamMembership
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def lead(db):
    return UserFactory(username="lena")


@pytest.fixture
def led_team(lead, alice):
    team = TeamFactory(name="Forecasting", slug="forecasting")
    TeamMembershipFactory(team=team, user=lead, role=MembershipRole.LEAD)
    TeamMembershipFactory(team=team, user=alice, role=MembershipRole.MEMBER)
    return team


def _events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code))


# --- create ----------------------------------------------------------------------------------


def test_superuser_creates_a_team_with_a_slug_from_its_name_and_an_audit_event(superuser):
    parent = TeamFactory(slug="retail")
    team = services.team_create(
        actor=superuser,
        name="Demand Forecasting",
        description="Weekly **forecasts**.",
        email="forecast@example.com",
        chat_channel="#forecasting",
        parent="retail",
    )
    assert (team.slug, team.parent, team.version) == ("demand-forecasting", parent, 1)
    (event,) = _events("team.create")
    assert event.object_id == str(team.pk) and event.actor == superuser


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "user_without_role", "lead"])
def test_nobody_but_a_superuser_creates_a_team(request, who, led_team):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        services.team_create(actor=actor, name="Sneaky")
    assert not Team.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "\u200b"}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 12}, "name"),
        ({"name": "Ok", "slug": "Not A Slug"}, "slug"),
        ({"name": "Ok", "slug": "new"}, "slug"),
        ({"name": "Ok", "kind": "squad"}, "kind"),
        ({"name": "Ok", "kind": True}, "kind"),
        ({"name": "Ok", "email": "not-an-address"}, "email"),
        ({"name": "Ok", "chat_channel": "#has space"}, "chat_channel"),
        ({"name": "Ok", "chat_channel": "http://insecure.example.com"}, "chat_channel"),
        ({"name": "Ok", "chat_channel": "javascript:alert(1)"}, "chat_channel"),
        ({"name": "Ok", "parent": "no-such-team"}, "parent"),
        ({"name": "Ok", "parent": 3}, "parent"),
        ({"name": "Ok", "description": "> " * 100 + "deep"}, "description"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(superuser, values, field):
    with pytest.raises(DomainError) as raised:
        services.team_create(actor=superuser, **values)
    assert field in raised.value.errors, raised.value.errors
    assert Team.objects.count() == 0
    assert not _events("team.create")


def test_names_are_unique_whatever_their_case(superuser):
    services.team_create(actor=superuser, name="Pricing ML")
    with pytest.raises(DomainError) as raised:
        services.team_create(actor=superuser, name="pricing ml", slug="pricing-2")
    assert "name" in raised.value.errors


def test_the_database_refuses_a_duplicate_name_in_another_case(superuser):
    TeamFactory(name="Pricing ML", slug="pricing")
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="PRICING ML", slug="pricing-2")


# --- update and versions -------------------------------------------------------------------------


def test_a_lead_edits_the_team_and_the_version_moves_on(lead, led_team):
    team = services.team_update(
        actor=lead,
        team=led_team,
        expected_version=1,
        changes={"description": "We forecast.", "chat_channel": "https://chat.example.com/c/1"},
    )
    assert (team.version, team.description) == (2, "We forecast.")
    (event,) = _events("team.update")
    assert event.payload["changed"] == ["description", "chat_channel"]


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "user_without_role"])
def test_members_and_outsiders_may_not_edit_a_team(request, who, led_team):
    with pytest.raises(PermissionDeniedError):
        services.team_update(
            actor=request.getfixturevalue(who),
            team=led_team,
            expected_version=1,
            changes={"name": "Taken over"},
        )
    led_team.refresh_from_db()
    assert (led_team.name, led_team.version) == ("Forecasting", 1)


def test_an_update_without_a_version_is_refused_with_428(lead, led_team):
    with pytest.raises(PreconditionRequiredError):
        services.team_update(actor=lead, team=led_team, expected_version=None, changes={})


def test_a_stale_update_is_refused_and_changes_nothing(lead, led_team):
    services.team_update(actor=lead, team=led_team, expected_version=1, changes={"name": "A"})
    with pytest.raises(StaleVersionError) as raised:
        services.team_update(actor=lead, team=led_team, expected_version=1, changes={"name": "B"})
    assert raised.value.current_version == 2
    led_team.refresh_from_db()
    assert led_team.name == "A"


def test_an_update_that_changes_nothing_keeps_the_version_and_records_nothing(lead, led_team):
    team = services.team_update(
        actor=lead, team=led_team, expected_version=1, changes={"name": "Forecasting"}
    )
    assert team.version == 1
    assert not _events("team.update")


def test_the_slug_cannot_change(lead, led_team):
    with pytest.raises(DomainError) as raised:
        services.team_update(
            actor=lead, team=led_team, expected_version=1, changes={"slug": "renamed"}
        )
    assert "slug" in raised.value.errors


def test_an_unknown_field_is_refused_by_name(lead, led_team):
    with pytest.raises(DomainError) as raised:
        services.team_update(actor=lead, team=led_team, expected_version=1, changes={"nme": "x"})
    assert "nme" in raised.value.errors


# --- hierarchy ---------------------------------------------------------------------------------


def test_a_team_cannot_be_its_own_parent(superuser, led_team):
    with pytest.raises(DomainError, match="its own parent") as raised:
        services.team_update(
            actor=superuser, team=led_team, expected_version=1, changes={"parent": "forecasting"}
        )
    assert "parent" in raised.value.errors


def test_a_team_cannot_move_under_one_of_its_sub_teams(superuser):
    top = TeamFactory(name="Top", slug="top")
    middle = TeamFactory(name="Middle", slug="middle", parent=top)
    TeamFactory(name="Bottom", slug="bottom", parent=middle)
    with pytest.raises(DomainError, match="its own ancestor") as raised:
        services.team_update(
            actor=superuser, team=top, expected_version=1, changes={"parent": "bottom"}
        )
    assert "parent" in raised.value.errors
    top.refresh_from_db()
    assert top.parent is None


def test_moving_a_team_elsewhere_in_the_tree_is_accepted(superuser):
    top = TeamFactory(name="Top", slug="top")
    other = TeamFactory(name="Other", slug="other")
    child = TeamFactory(name="Child", slug="child", parent=top)
    services.team_update(
        actor=superuser, team=child, expected_version=1, changes={"parent": "other"}
    )
    child.refresh_from_db()
    assert child.parent == other
    services.team_update(actor=superuser, team=child, expected_version=2, changes={"parent": None})
    child.refresh_from_db()
    assert child.parent is None


def test_the_database_refuses_a_team_as_its_own_parent():
    team = TeamFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=team.pk).update(parent=team)


# --- delete --------------------------------------------------------------------------------------


def test_a_superuser_deletes_an_empty_team_and_its_memberships(superuser, led_team):
    services.team_delete(actor=superuser, team=led_team)
    assert not Team.objects.filter(slug="forecasting").exists()
    assert not TeamMembership.objects.filter(team_id=led_team.pk).exists()
    assert len(_events("team.delete")) == 1


def test_a_lead_may_not_delete_the_team(lead, led_team):
    with pytest.raises(PermissionDeniedError):
        services.team_delete(actor=lead, team=led_team)
    assert Team.objects.filter(pk=led_team.pk).exists()


def test_deleting_a_team_that_owns_things_is_a_409_naming_them(superuser, led_team):
    TeamFactory(name="Sub", slug="sub", parent=led_team)
    from tests.designdocs.factories import DesignDocFactory

    DesignDocFactory(owner_team=led_team)
    with pytest.raises(ConflictError) as raised:
        services.team_delete(actor=superuser, team=led_team)
    assert "1 design document" in raised.value.message or "1 design doc" in raised.value.message
    assert "1 sub-team" in raised.value.message
    assert Team.objects.filter(pk=led_team.pk).exists()
    assert not _events("team.delete")


def test_deleting_with_a_stale_version_is_refused(superuser, led_team):
    with pytest.raises(StaleVersionError):
        services.team_delete(actor=superuser, team=led_team, expected_version=7)
    assert Team.objects.filter(pk=led_team.pk).exists()


# --- memberships --------------------------------------------------------------------------------


def test_a_lead_adds_changes_and_removes_members(lead, led_team, bob):
    membership = services.membership_add(actor=lead, team=led_team, user="bob", role="member")
    membership = services.membership_change(actor=lead, membership=membership, role="lead")
    assert membership.role == MembershipRole.LEAD
    services.membership_remove(actor=lead, membership=membership)
    assert not TeamMembership.objects.filter(team=led_team, user=bob).exists()
    assert [
        len(_events(code))
        for code in ("team.member_add", "team.member_change", "team.member_remove")
    ] == [1, 1, 1]


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "user_without_role"])
def test_members_and_outsiders_may_not_manage_memberships(request, who, led_team, carol):
    actor = request.getfixturevalue(who)
    alice_membership = TeamMembership.objects.get(team=led_team, user__username="alice")
    with pytest.raises(PermissionDeniedError):
        services.membership_add(actor=actor, team=led_team, user=carol)
    with pytest.raises(PermissionDeniedError):
        services.membership_change(actor=actor, membership=alice_membership, role="lead")
    with pytest.raises(PermissionDeniedError):
        services.membership_remove(actor=actor, membership=alice_membership)
    assert TeamMembership.objects.filter(team=led_team).count() == 2


def test_adding_someone_twice_is_a_409(lead, led_team):
    with pytest.raises(ConflictError, match="already a member"):
        services.membership_add(actor=lead, team=led_team, user="alice")


@pytest.mark.parametrize(
    ("user", "role", "field"),
    [("nobody-here", "member", "user"), ("", "member", "user"), ("bob", "owner", "role"),
     ("bob", 1, "role"), (42, "member", "user")],
)  # fmt: skip
def test_adding_an_unknown_person_or_role_is_refused_naming_the_field(
    lead, led_team, bob, user, role, field
):
    with pytest.raises(DomainError) as raised:
        services.membership_add(actor=lead, team=led_team, user=user, role=role)
    assert field in raised.value.errors


def test_a_deactivated_person_cannot_join(lead, led_team):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(DomainError, match="deactivated"):
        services.membership_add(actor=lead, team=led_team, user="gone")


def test_a_lead_cannot_demote_or_remove_the_last_lead(lead, led_team):
    own = TeamMembership.objects.get(team=led_team, user=lead)
    with pytest.raises(ConflictError, match="only lead"):
        services.membership_change(actor=lead, membership=own, role="member")
    with pytest.raises(ConflictError, match="only lead"):
        services.membership_remove(actor=lead, membership=own)
    own.refresh_from_db()
    assert own.role == MembershipRole.LEAD


def test_a_lead_may_step_down_once_another_lead_exists_and_then_loses_the_rights(
    lead, led_team, alice
):
    alice_membership = TeamMembership.objects.get(team=led_team, user=alice)
    services.membership_change(actor=lead, membership=alice_membership, role="lead")
    own = TeamMembership.objects.get(team=led_team, user=lead)
    services.membership_change(actor=lead, membership=own, role="member")
    # The same user object: its cached memberships were refreshed by the service.
    assert not lead.has_perm("teams.change_team", led_team)
    with pytest.raises(PermissionDeniedError):
        services.team_update(actor=lead, team=led_team, expected_version=1, changes={"name": "X"})


def test_a_superuser_may_leave_a_team_without_a_lead(superuser, lead, led_team):
    own = TeamMembership.objects.get(team=led_team, user=lead)
    services.membership_remove(actor=superuser, membership=own)
    assert not TeamMembership.objects.filter(team=led_team, role="lead").exists()


def test_the_database_refuses_an_unknown_role():
    membership = TeamMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.filter(pk=membership.pk).update(role="owner")


# --- upsert (imports) --------------------------------------------------------------------------


def test_upsert_creates_then_updates_by_slug_and_is_idempotent(superuser, bob):
    TeamFactory(name="Data", slug="data")
    first = services.team_upsert(
        actor=superuser,
        slug="team-x",
        name="Team X",
        description="From Backstage.",
        email="x@example.com",
        parent="data",
        members=["bob", "ghost"],
    )
    assert first.created and first.team.parent.slug == "data"
    assert (first.added_members, first.unknown_members) == (("bob",), ("ghost",))
    again = services.team_upsert(
        actor=superuser,
        slug="team-x",
        name="Team X",
        description="From Backstage.",
        email="x@example.com",
        parent="data",
        members=["bob", "ghost"],
    )
    assert (again.created, again.changed, again.added_members) == (False, (), ())
    assert Team.objects.filter(slug="team-x").count() == 1
    changed = services.team_upsert(actor=superuser, slug="team-x", description="Edited upstream.")
    assert changed.changed == ("description",)
    team = Team.objects.get(slug="team-x")
    assert (team.email, team.description, team.version) == (
        "x@example.com",
        "Edited upstream.",
        2,
    )
    assert [e.payload.get("source") for e in AuditEvent.objects.filter(action__startswith="team.")
            .exclude(action="team.member_add").order_by("pk")] == ["import", "import"]  # fmt: skip


def test_upsert_of_a_new_team_needs_a_name_and_permission(alice, superuser):
    with pytest.raises(DomainError) as raised:
        services.team_upsert(actor=superuser, slug="nameless")
    assert "name" in raised.value.errors
    with pytest.raises(PermissionDeniedError):
        services.team_upsert(actor=alice, slug="alices", name="Alice's")
    with pytest.raises(DomainError) as raised:
        services.team_upsert(actor=superuser, slug="Bad Slug", name="Bad")
    assert "slug" in raised.value.errors
    assert Team.objects.count() == 0


def test_a_lead_may_upsert_their_own_team(lead, led_team):
    result = services.team_upsert(actor=lead, slug="forecasting", chat_channel="#fc")
    assert result.changed == ("chat_channel",)
