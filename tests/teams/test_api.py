"""/api/teams/: the shared API cases (superuser writes, a viewer is refused), leads edit
through If-Match or `version`, 412/428, 409 on a delete of a team that owns things, and the
memberships sub-resource."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.core.testing import APIViewTestCases
from registry.core.testing.api import assert_error_shape
from teams.choices import MembershipRole
from teams.models import Team, TeamMembership
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory


class TestTeamAPI(APIViewTestCases.APIViewTestCase):
    basename = "team"
    model = Team
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "superuser"
    forbidden_writer = "viewer"
    create_action = "team.create"
    update_action = "team.update"
    delete_action = "team.delete"
    invalid_field = "name"
    invalid_create_data = {"name": ""}
    update_data = {"name": "Renamed team", "chat_channel": "#renamed"}

    def make_object(self):
        return TeamFactory()

    def create_data(self):
        return {"name": "Churn analytics", "email": "churn@example.com"}

    def update_headers(self, obj):
        return {"HTTP_IF_MATCH": obj.etag}


pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return UserFactory(username="lena")


@pytest.fixture
def led_team(lead, alice):
    team = TeamFactory(name="Forecasting", slug="forecasting")
    TeamMembershipFactory(team=team, user=lead, role=MembershipRole.LEAD)
    TeamMembershipFactory(team=team, user=alice)
    return team


def _detail(team):
    return reverse("api:team-detail", kwargs={"pk": team.pk})


def _memberships(team):
    return reverse("api:team-memberships", kwargs={"pk": team.pk})


def _membership(team, membership):
    return reverse("api:team-membership", kwargs={"pk": team.pk, "membership_id": membership.pk})


def test_detail_shows_members_leads_first_children_and_etag(token_client, dave, led_team):
    TeamFactory(name="Sub", slug="sub", parent=led_team)
    response = token_client(dave).get(_detail(led_team))
    assert response.status_code == 200
    assert response["ETag"] == led_team.etag
    body = response.json()
    assert [m["user"] for m in body["memberships"]] == ["lena", "alice"]
    assert body["memberships"][0]["role"] == "lead"
    assert [c["slug"] for c in body["children"]] == ["sub"]
    assert body["web_url"].endswith("/teams/forecasting/")


def test_a_lead_patches_with_if_match_and_gets_the_new_etag(token_client, lead, led_team):
    response = token_client(lead).patch(
        _detail(led_team), {"description": "We forecast."}, format="json",
        HTTP_IF_MATCH=led_team.etag,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"{led_team.pk}-2"'


def test_a_lead_patches_with_a_version_field(token_client, lead, led_team):
    response = token_client(lead).patch(
        _detail(led_team), {"version": 1, "email": "fc@example.com"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "fc@example.com"


def test_an_update_without_a_version_is_428_and_a_stale_one_412(token_client, lead, led_team):
    client = token_client(lead)
    assert_error_shape(client.patch(_detail(led_team), {"name": "X"}, format="json"), 428)
    body = assert_error_shape(
        client.patch(_detail(led_team), {"name": "X", "version": 9}, format="json"), 412
    )
    assert body["current_version"] == 1
    weak = client.patch(
        _detail(led_team), {"name": "X"}, format="json", HTTP_IF_MATCH=f'W/"{led_team.pk}-1"'
    )
    assert_error_shape(weak, 412)
    led_team.refresh_from_db()
    assert led_team.name == "Forecasting"


def test_a_member_may_not_patch_403_and_an_outsider_without_role_gets_404(
    token_client, alice, user_without_role, led_team
):
    assert_error_shape(
        token_client(alice).patch(
            _detail(led_team), {"name": "X"}, format="json", HTTP_IF_MATCH=led_team.etag
        ),
        403,
    )
    assert_error_shape(
        token_client(user_without_role).patch(
            _detail(led_team), {"name": "X"}, format="json", HTTP_IF_MATCH=led_team.etag
        ),
        404,
    )


def test_a_cycle_is_a_400_naming_parent(token_client, superuser):
    top = TeamFactory(slug="top")
    child = TeamFactory(slug="child", parent=top)
    response = token_client(superuser).patch(
        _detail(top), {"parent": child.slug}, format="json", HTTP_IF_MATCH=top.etag
    )
    body = assert_error_shape(response, 400)
    assert "parent" in body["errors"]


def test_deleting_a_team_with_sub_teams_is_409_in_the_error_shape(token_client, superuser):
    top = TeamFactory(slug="top")
    TeamFactory(slug="child", parent=top)
    body = assert_error_shape(token_client(superuser).delete(_detail(top)), 409)
    assert "1 sub-team" in body["message"]
    assert Team.objects.filter(pk=top.pk).exists()


def test_create_refuses_wrong_types_and_unknown_fields_naming_them(token_client, superuser):
    client = token_client(superuser)
    body = assert_error_shape(
        client.post(reverse("api:team-list"), {"name": 5}, format="json"), 400
    )
    assert "name" in body["errors"]
    body = assert_error_shape(
        client.post(reverse("api:team-list"), {"name": "A", "colour": "red"}, format="json"), 400
    )
    assert "colour" in body["errors"]
    assert_error_shape(client.post(reverse("api:team-list"), [1, 2], format="json"), 400)
    body = assert_error_shape(
        client.post(reverse("api:team-list"), {"slug": "nameless"}, format="json"), 400
    )
    assert "name" in body["errors"]
    assert Team.objects.count() == 0


def test_list_filters_by_parent_and_kind_and_sorts(token_client, dave):
    top = TeamFactory(name="Top", slug="top")
    TeamFactory(name="B child", slug="b-child", parent=top)
    TeamFactory(name="A child", slug="a-child", parent=top, kind="platform")
    client = token_client(dave)
    rows = client.get(reverse("api:team-list"), {"parent": "top", "sort": "-name"}).json()
    assert [r["slug"] for r in rows["results"]] == ["b-child", "a-child"]
    rows = client.get(reverse("api:team-list"), {"kind": "platform"}).json()
    assert [r["slug"] for r in rows["results"]] == ["a-child"]
    assert_error_shape(client.get(reverse("api:team-list"), {"parent": "nope"}), 400)


# --- memberships -------------------------------------------------------------------------------


def test_memberships_list_add_change_remove_by_a_lead(token_client, lead, led_team, bob):
    client = token_client(lead)
    listed = client.get(_memberships(led_team))
    assert [m["user"] for m in listed.json()["results"]] == ["alice", "lena"]
    added = client.post(_memberships(led_team), {"user": "bob", "role": "member"}, format="json")
    assert added.status_code == 201, added.content
    membership = TeamMembership.objects.get(team=led_team, user=bob)
    changed = client.patch(_membership(led_team, membership), {"role": "lead"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "lead"
    assert client.delete(_membership(led_team, membership)).status_code == 204
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()


def test_membership_writes_refused_for_members_403_and_hidden_404(
    token_client, alice, user_without_role, led_team, bob
):
    alice_membership = TeamMembership.objects.get(team=led_team, user=alice)
    client = token_client(alice)
    assert_error_shape(client.post(_memberships(led_team), {"user": "bob"}, format="json"), 403)
    assert_error_shape(
        client.patch(_membership(led_team, alice_membership), {"role": "lead"}, format="json"), 403
    )
    assert_error_shape(client.delete(_membership(led_team, alice_membership)), 403)
    outsider = token_client(user_without_role)
    assert_error_shape(outsider.get(_memberships(led_team)), 404)
    assert TeamMembership.objects.filter(team=led_team).count() == 2


def test_membership_errors_name_the_field_and_state_conflicts(token_client, lead, led_team):
    client = token_client(lead)
    body = assert_error_shape(
        client.post(_memberships(led_team), {"user": "ghost"}, format="json"), 400
    )
    assert "user" in body["errors"]
    body = assert_error_shape(
        client.post(_memberships(led_team), {"user": "alice"}, format="json"), 409
    )
    assert "already a member" in body["message"]
    own = TeamMembership.objects.get(team=led_team, user=lead)
    body = assert_error_shape(
        client.patch(_membership(led_team, own), {"role": "member"}, format="json"), 409
    )
    assert "only lead" in body["message"]
    body = assert_error_shape(
        client.patch(_membership(led_team, own), {"role": 1}, format="json"), 400
    )
    assert "role" in body["errors"]
    other_team = TeamFactory()
    stranger = TeamMembershipFactory(team=other_team)
    assert_error_shape(client.delete(_membership(led_team, stranger)), 404)
