"""The team pages beyond the shared cases: who sees which controls, a lead's edit, the
conflict view of a stale save, the refused delete, membership management with and without
htmx, the Markdown description, and query counts flat in members and sub-teams."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.core.testing.pages import assert_error_next_to_field
from teams import services
from teams.choices import MembershipRole
from teams.models import Team, TeamMembership
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lead(db):
    return UserFactory(username="lena", first_name="Lena")


@pytest.fixture
def led_team(lead, alice):
    team = TeamFactory(name="Forecasting", slug="forecasting")
    TeamMembershipFactory(team=team, user=lead, role=MembershipRole.LEAD)
    TeamMembershipFactory(team=team, user=alice)
    return team


def _page(client, user, team):
    client.force_login(user)
    return client.get(team.get_absolute_url())


def test_a_lead_sees_edit_and_member_controls(client, lead, led_team):
    html = _page(client, lead, led_team).content.decode()
    assert reverse("teams:team_edit", kwargs={"slug": "forecasting"}) in html
    assert reverse("teams:membership_add", kwargs={"slug": "forecasting"}) in html
    assert "Change role" in html and "Delete" not in html.split("page-bar__actions")[1][:300]


def test_a_member_sees_members_with_roles_but_no_controls(client, alice, led_team):
    html = _page(client, alice, led_team).content.decode()
    assert "badge--role-lead" in html
    assert reverse("teams:team_edit", kwargs={"slug": "forecasting"}) not in html
    assert "Change role" not in html


def test_an_outsider_without_role_gets_404_and_a_member_403_on_edit(
    client, user_without_role, alice, led_team
):
    assert _page(client, user_without_role, led_team).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("teams:team_edit", kwargs={"slug": "forecasting"})).status_code == 403


def test_the_description_is_markdown_through_the_one_sanitiser(client, dave, led_team):
    Team.objects.filter(pk=led_team.pk).update(
        description="**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    html = _page(client, dave, led_team).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html and 'href="javascript' not in html


def test_a_lead_edits_the_team_page(client, lead, led_team):
    client.force_login(lead)
    response = client.post(
        reverse("teams:team_edit", kwargs={"slug": "forecasting"}),
        {"name": "Forecasting", "kind": "platform", "description": "We forecast.",
         "email": "", "chat_channel": "#fc", "parent": "", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    led_team.refresh_from_db()
    assert (led_team.kind, led_team.chat_channel, led_team.version) == ("platform", "#fc", 2)


def test_a_stale_save_shows_the_stored_version_and_keeps_the_input(client, lead, led_team):
    services.team_update(actor=lead, team=led_team, expected_version=1, changes={"name": "Theirs"})
    client.force_login(lead)
    response = client.post(
        reverse("teams:team_edit", kwargs={"slug": "forecasting"}),
        {"name": "Mine", "kind": "feature", "description": "", "email": "",
         "chat_channel": "", "parent": "", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this team" in html and "Theirs" in html
    assert 'value="Mine"' in html and 'name="version" value="2"' in html
    led_team.refresh_from_db()
    assert led_team.name == "Theirs"


def test_a_cycle_on_the_edit_page_is_an_error_next_to_parent(client, superuser):
    top = TeamFactory(name="Top", slug="top")
    TeamFactory(name="Child", slug="child", parent=top)
    client.force_login(superuser)
    response = client.post(
        reverse("teams:team_edit", kwargs={"slug": "top"}),
        {"name": "Top", "kind": "feature", "description": "", "email": "",
         "chat_channel": "", "parent": "child", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert_error_next_to_field(response.content.decode(), "parent", "its own ancestor")


def test_deleting_a_team_that_owns_a_sub_team_is_refused_in_words(client, superuser, led_team):
    TeamFactory(name="Sub", slug="sub", parent=led_team)
    client.force_login(superuser)
    response = client.post(reverse("teams:team_delete", kwargs={"slug": "forecasting"}))
    assert response.status_code == 409
    assert "still owns 1 sub-team" in response.content.decode()
    assert Team.objects.filter(pk=led_team.pk).exists()


# --- memberships --------------------------------------------------------------------------------


def test_htmx_add_returns_the_members_section_with_the_new_member(client, lead, led_team, bob):
    client.force_login(lead)
    response = client.post(
        reverse("teams:membership_add", kwargs={"slug": "forecasting"}),
        {"user": "bob", "role": "lead"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="section" id="members"')
    assert "Bob added as lead." in html
    assert TeamMembership.objects.get(team=led_team, user=bob).role == "lead"


def test_plain_add_redirects_back_to_the_team(client, lead, led_team, bob):
    client.force_login(lead)
    response = client.post(
        reverse("teams:membership_add", kwargs={"slug": "forecasting"}),
        {"user": "bob"} | {"role": "member"},
    )
    assert response.status_code == 302 and response["Location"].endswith(
        "/teams/forecasting/#members"
    )


def test_adding_an_unknown_person_shows_the_error_next_to_the_field(client, lead, led_team):
    client.force_login(lead)
    url = reverse("teams:membership_add", kwargs={"slug": "forecasting"})
    response = client.post(url, {"user": "ghost", "role": "member"})
    assert response.status_code == 400
    assert_error_next_to_field(response.content.decode(), "user", "no person")
    partial = client.post(url, {"user": "ghost", "role": "member"}, **HTMX)
    assert partial.status_code == 200
    assert_error_next_to_field(partial.content.decode(), "user", "no person")


def test_a_member_may_not_add_change_or_remove(client, alice, led_team, bob):
    client.force_login(alice)
    membership = TeamMembership.objects.get(team=led_team, user=alice)
    urls = [
        (reverse("teams:membership_add", kwargs={"slug": "forecasting"}), {"user": "bob"}),
        (reverse("teams:membership_change", kwargs={"slug": "forecasting", "membership_id": membership.pk}), {"role": "lead"}),
        (reverse("teams:membership_remove", kwargs={"slug": "forecasting", "membership_id": membership.pk}), {}),
    ]  # fmt: skip
    for url, data in urls:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert TeamMembership.objects.filter(team=led_team).count() == 2
    membership.refresh_from_db()
    assert membership.role == "member"


def test_change_and_remove_through_htmx_and_the_last_lead_kept(client, lead, led_team, alice):
    client.force_login(lead)
    alice_membership = TeamMembership.objects.get(team=led_team, user=alice)
    own = TeamMembership.objects.get(team=led_team, user=lead)
    change = reverse(
        "teams:membership_change", kwargs={"slug": "forecasting", "membership_id": own.pk}
    )
    refused = client.post(change, {"role": "member"}, **HTMX)
    assert refused.status_code == 200 and "only lead" in refused.content.decode()
    plain = client.post(change, {"role": "member"})
    assert plain.status_code == 409 and "only lead" in plain.content.decode()
    bad = client.post(change, {"role": "owner"}, **HTMX)
    assert "Choose a role" in bad.content.decode()
    remove = reverse(
        "teams:membership_remove",
        kwargs={"slug": "forecasting", "membership_id": alice_membership.pk},
    )
    removed = client.post(remove, **HTMX)
    assert "removed from Forecasting" in removed.content.decode()
    assert not TeamMembership.objects.filter(pk=alice_membership.pk).exists()
    own.refresh_from_db()
    assert own.role == "lead"


def test_a_team_without_members_teaches_its_lead_what_to_do(client, superuser):
    team = TeamFactory(name="Empty", slug="empty")
    html = _page(client, superuser, team).content.decode()
    assert "No members yet" in html and "make at least one of them lead" in html


def test_the_team_page_runs_the_same_queries_whatever_its_members_and_sub_teams(
    client, lead, led_team
):
    client.force_login(lead)
    url = led_team.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        TeamMembershipFactory(team=led_team, user=UserFactory(username=f"member{n}"))
        TeamFactory(name=f"Sub {n}", slug=f"sub-{n}", parent=led_team)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
