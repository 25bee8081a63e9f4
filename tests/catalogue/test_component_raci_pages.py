"""The component form's RACI rows (design, deploy, run, each by a team or a person): checked by
the registry's one RACI rule through the service, each error beside the row it is about,
nothing half-written; and who may edit (a member of another team may not)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Component, ComponentRaci
from registry.core import roles
from registry.core.testing.api import _last_audit_id, assert_audit_event
from registry.core.testing.pages import PageViewTestCases, assert_error_next_to_field
from tests.catalogue.factories import ComponentFactory
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def raci(*rows: tuple[str, str, str, str], initial: int = 0) -> dict:
    """(activity, team slug, username, role) rows as the form posts them."""
    data = {"raci-TOTAL_FORMS": str(len(rows)), "raci-INITIAL_FORMS": str(initial)}
    for index, (activity, team, person, role) in enumerate(rows):
        data.update(
            {
                f"raci-{index}-activity": activity,
                f"raci-{index}-team": team,
                f"raci-{index}-person": person,
                f"raci-{index}-role": role,
            }
        )
    return data


def stored(component) -> list[tuple]:
    return [
        (
            r.activity,
            r.team.slug if r.team_id else "",
            r.person.username if r.person_id else "",
            r.role,
        )
        for r in ComponentRaci.objects.filter(component=component).select_related("team", "person")
    ]


@pytest.fixture
def component(team, alice):
    component = ComponentFactory(name="Feature store", owner_team=team)
    component.raci.create(activity="run", team=team, role="A")
    return component


def edit_url(component) -> str:
    return reverse("catalogue:component_edit", kwargs={"slug": component.slug})


def base(component) -> dict:
    return {"name": component.name, "kind": component.kind, "owner_team": component.owner_team.slug}


class TestComponentRaciEditPage(PageViewTestCases.EditPageTestCase):
    """The shared edit cases with the RACI in the post: the invalid data is two
    Accountable for one activity, the error sits next to the second one's role."""

    model = Component
    write_url_name = "catalogue:component_edit"
    writer = "alice"
    forbidden_writer = "dave"
    invalid_field = "raci-1-role"
    invalid_message = "2 Accountable"
    audit_action = "component.update"
    edited_values = {"name": "Feature store v2"}
    snapshot_fields = ("name",)

    @pytest.fixture(autouse=True)
    def _team(self, team, alice):
        self.team, self.alice = team, alice

    def make_object(self):
        component = ComponentFactory(owner_team=self.team)
        component.raci.create(activity="run", team=self.team, role="A")
        return component

    def valid_data(self, obj):
        return {
            **base(obj),
            "name": "Feature store v2",
            **raci(
                ("design", "", "alice", "A"),
                ("deploy", self.team.slug, "", "A"),
                ("run", self.team.slug, "", "R"),
                ("run", "", "alice", "A"),
            ),
        }

    def invalid_data(self, obj):
        return {**base(obj), **raci(("run", self.team.slug, "", "A"), ("run", "", "alice", "A"))}

    def state(self, obj=None):
        return (*super().state(obj), stored(obj) if obj is not None else None)

    def assert_written(self, obj, data):
        super().assert_written(obj, data)
        assert stored(obj) == [
            ("design", "", "alice", "A"),
            ("deploy", self.team.slug, "", "A"),
            ("run", self.team.slug, "", "R"),
            ("run", "", "alice", "A"),
        ]


def _refused(client, component, data, field, message=None):
    before, last = (
        (stored(component), Component.objects.get(pk=component.pk).name),
        _last_audit_id(),
    )
    response = client.post(edit_url(component), data)
    assert response.status_code == 400, response.status_code
    text = assert_error_next_to_field(response.content.decode(), field, message)
    assert (stored(component), Component.objects.get(pk=component.pk).name) == before
    assert _last_audit_id() == last
    return text


def test_edit_form_shows_the_stored_raci_rows(client, alice, component, team):
    client.force_login(alice)
    html = client.get(edit_url(component)).content.decode()
    assert 'name="raci-0-team"' in html and f'value="{team.slug}"' in html
    assert 'name="raci-TOTAL_FORMS"' in html and 'data-row-template="raci"' in html
    assert '<option value="alice">' in html  # the usernames datalist


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ((("run", "fraud-detection", "alice", "A"),), "raci-0-person", "exactly one"),
        ((("run", "", "", "A"),), "raci-0-person", "exactly one"),
        ((("run", "no-such-team", "", "A"),), "raci-0-team", "no team “no-such-team”"),
        ((("run", "", "nobody", "A"),), "raci-0-person", "no person “nobody”"),
        ((("run", "fraud-detection", "", "R"),), "raci-0-role", "no Accountable"),
        ((("run", "fraud-detection", "", "A"), ("run", "fraud-detection", "", "C")), "raci-1-role", "one letter per party"),
        ((("launch", "fraud-detection", "", "A"),), "raci-0-activity", "valid choice"),
        ((("run", "fraud-detection", "", "Z"),), "raci-0-role", "valid choice"),
        ((("run", "fraud-detection", "", ""),), "raci-0-role", None),
        ((("run", "fraud\x00detection", "", "A"),), "raci-0-team", "Null characters"),
        ((("run", "", "a" * 151, "A"),), "raci-0-person", "at most 150"),
    ],
    ids=["team-and-person", "no-party", "unknown-team", "unknown-person", "no-accountable",
         "two-letters-one-party", "unknown-activity", "unknown-role", "no-role", "nul", "too-long"],
)  # fmt: skip
def test_bad_raci_row_is_an_error_beside_it_and_nothing_changes(
    client, alice, component, rows, field, message
):
    client.force_login(alice)
    _refused(client, component, {**base(component), **raci(*rows)}, field, message)


def test_errors_skip_blank_rows_when_numbering(client, alice, component, team):
    client.force_login(alice)
    data = {**base(component), **raci(("", "", "", ""), ("run", team.slug, "", "A"),
                                      ("run", "", "alice", "A"))}  # fmt: skip
    # The service sees rows 0 and 1; the error of its row 1 belongs to the form's row 2.
    _refused(client, component, data, "raci-2-role", "2 Accountable")


def test_too_many_rows_are_refused_without_building_them(client, alice, component):
    client.force_login(alice)
    data = {**base(component), **raci(("run", "", "alice", "A")), "raci-TOTAL_FORMS": "1000000"}
    response = client.post(edit_url(component), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 60 rows" in html and html.count('name="raci-') < 40
    assert stored(component) == [("run", "fraud-detection", "", "A")]


@pytest.mark.parametrize("count", ["abc", "-1", "1e9", "²", "9" * 40, ""])
def test_a_row_count_that_is_no_number_is_refused(client, alice, component, count):
    client.force_login(alice)
    data = {**base(component), **raci(("run", "", "alice", "A")), "raci-TOTAL_FORMS": count}
    response = client.post(edit_url(component), data)
    assert response.status_code == 400
    assert stored(component) == [("run", "fraud-detection", "", "A")]


def test_without_rows_in_the_post_the_raci_stays(client, alice, component):
    client.force_login(alice)
    assert client.post(edit_url(component), {**base(component), "name": "Kept"}).status_code == 302
    assert stored(component) == [("run", "fraud-detection", "", "A")]


def test_all_rows_removed_clears_the_raci(client, alice, component):
    client.force_login(alice)
    assert (
        client.post(edit_url(component), {**base(component), **raci(initial=1)}).status_code == 302
    )
    assert stored(component) == []


def test_create_with_raci(client, alice, team):
    client.force_login(alice)
    last = _last_audit_id()
    data = {"name": "Online serving", "kind": "service", "owner_team": team.slug,
            "lifecycle": "production", **raci(("run", team.slug, "", "A"), ("run", "", "alice", "R"))}  # fmt: skip
    response = client.post(reverse("catalogue:component_add"), data)
    assert response.status_code == 302
    created = Component.objects.get(name="Online serving")
    assert stored(created) == [("run", team.slug, "", "A"), ("run", "", "alice", "R")]
    assert_audit_event(action="component.create", obj=created, actor=alice, since_id=last)
    page = client.get(created.get_absolute_url()).content.decode()
    assert ("Accountable" in page and "Alice" in page) or "alice" in page


def test_create_with_bad_raci_creates_nothing(client, alice, team):
    client.force_login(alice)
    count, last = Component.objects.count(), _last_audit_id()
    data = {"name": "Online serving", "kind": "service", "owner_team": team.slug,
            "lifecycle": "production", **raci(("run", team.slug, "", "A"), ("run", "", "alice", "A"))}  # fmt: skip
    response = client.post(reverse("catalogue:component_add"), data)
    assert response.status_code == 400
    assert_error_next_to_field(response.content.decode(), "raci-1-role", "2 Accountable")
    assert Component.objects.count() == count and _last_audit_id() == last


def test_a_member_of_another_team_may_not_edit(client, component):
    # A product owner (sees the catalogue) in another team: may read, not edit.
    outsider = UserFactory(username="oscar", first_name="Oscar", roles=[roles.PRODUCT_OWNERS])
    TeamMembershipFactory(team=TeamFactory(slug="other-team"), user=outsider)
    client.force_login(outsider)
    assert client.get(component.get_absolute_url()).status_code == 200
    assert client.get(edit_url(component)).status_code == 403
    data = {**base(component), "name": "Taken over", **raci(("run", "", "oscar", "A"))}
    assert client.post(edit_url(component), data).status_code == 403
    assert Component.objects.get(pk=component.pk).name == "Feature store"
    assert stored(component) == [("run", "fraud-detection", "", "A")]


def test_a_component_of_a_hidden_team_is_not_found(client, user_without_role, component):
    client.force_login(user_without_role)
    assert client.get(edit_url(component)).status_code == 404


def test_edit_form_starts_from_the_stored_values(client, alice, component, team):
    component.description = "Serves **features**."
    component.repository_url = "https://git.example/store"
    component.save()
    client.force_login(alice)
    html = client.get(edit_url(component)).content.decode()
    assert 'name="name" value="Feature store"' in html
    assert 'value="https://git.example/store"' in html
    assert "Serves **features**." in html
