"""Hostile input on every endpoint that writes a team or a membership: each case is a 4xx
naming the field (pages: the form error), in debug and production mode, and nothing is
stored (teams, memberships, audit events; the target team's version). Generated input:
never a 5xx, refused unchanged, or stored as sent.

Add an endpoint to ENDPOINTS, or a case to CASES: every pair the endpoint can carry runs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from registry.core.models import AuditEvent
from registry.core.testing.api import assert_error_shape
from registry.core.testing.hostile import (
    HOSTILE_STRINGS,
    INVISIBLE_STRINGS,
    ROOT,
    WRONG_CHOICE_VALUES,
    Deep,
    HostileCase,
    HostileEndpoint,
    ManyKeys,
    assert_generated_input_handled,
    assert_refused,
    db_state,
    hostile_params,
    json_text,
    with_changes,
)
from registry.core.testing.strategies import form_safe, hostile_json, hostile_text
from teams.models import Team, TeamMembership
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

TEAM_FIELDS = ("name", "kind", "description", "email", "chat_channel", "parent")


def api_errors(response) -> dict[str, list[str]]:
    return assert_error_shape(response, response.status_code)["errors"]


def form_errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {("non_field_errors" if k == "__all__" else k): v for k, v in form.errors.items()}


def add_form_errors(response) -> dict[str, list[str]]:
    form = response.context["add_form"]
    return {("non_field_errors" if k == "__all__" else k): v for k, v in form.errors.items()}


def api_create(ctx, changes):
    body = with_changes({"name": "Hostile team"}, changes)
    return ctx.api.post(reverse("api:team-list"), json_text(body), content_type="application/json")


def api_patch(ctx, changes):
    ctx.team.refresh_from_db()
    return ctx.api.patch(
        reverse("api:team-detail", kwargs={"pk": ctx.team.pk}),
        json_text(with_changes({}, changes)),
        content_type="application/json",
        HTTP_IF_MATCH=ctx.team.etag,
    )


def api_member_add(ctx, changes):
    body = with_changes({"user": ctx.newcomer.username, "role": "member"}, changes)
    return ctx.api.post(
        reverse("api:team-memberships", kwargs={"pk": ctx.team.pk}),
        json_text(body),
        content_type="application/json",
    )


def api_member_change(ctx, changes):
    body = with_changes({"role": "lead"}, changes)
    url = reverse(
        "api:team-membership", kwargs={"pk": ctx.team.pk, "membership_id": ctx.membership.pk}
    )
    return ctx.api.patch(url, json_text(body), content_type="application/json")


def _form(ctx, **changes) -> dict[str, Any]:
    team = Team.objects.get(pk=ctx.team.pk)
    data = {name: getattr(team, name) for name in TEAM_FIELDS if name != "parent"}
    data.update(parent="", version=str(team.version))
    data.update(changes)
    return data


def create_page(ctx, changes):
    data = {"name": "Hostile team", "kind": "feature", **changes}
    return ctx.client.post(reverse("teams:team_add"), data)


def edit_page(ctx, changes):
    return ctx.client.post(
        reverse("teams:team_edit", kwargs={"slug": ctx.team.slug}), _form(ctx, **changes)
    )


def member_add_page(ctx, changes):
    data = {"user": ctx.newcomer.username, "role": "member", **changes}
    return ctx.client.post(reverse("teams:membership_add", kwargs={"slug": ctx.team.slug}), data)


def _team_values(team: Team) -> dict[str, Any]:
    team = Team.objects.select_related("parent").get(pk=team.pk)
    values = {name: getattr(team, name) for name in TEAM_FIELDS if name != "parent"}
    values["parent"] = team.parent.slug if team.parent else None
    return values


def read_created(ctx, response):
    if response.status_code >= 300 and response.status_code != 302:
        return None
    if response.status_code == 302:
        slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        return _team_values(Team.objects.get(slug=slug))
    return _team_values(Team.objects.get(pk=response.json()["id"]))


def read_target(ctx, response):
    return _team_values(ctx.team)


def read_membership(ctx, response):
    membership = TeamMembership.objects.filter(team=ctx.team).order_by("-pk").first()
    return {"user": membership.user.username, "role": membership.role}


ENDPOINTS = [
    HostileEndpoint("api-create", "json", ("*",), api_create, api_errors,
                    generated_fields=TEAM_FIELDS, read_back=read_created),
    HostileEndpoint("api-patch", "json", ("*",), api_patch, api_errors,
                    generated_fields=TEAM_FIELDS, read_back=read_target),
    HostileEndpoint("api-member-add", "json", ("user", "role", ROOT), api_member_add,
                    api_errors, generated_fields=("user", "role"), read_back=read_membership),
    HostileEndpoint("api-member-change", "json", ("role", ROOT), api_member_change,
                    api_errors, generated_fields=("role",), read_back=read_membership),
    HostileEndpoint("create-page", "form", TEAM_FIELDS, create_page, form_errors,
                    read_back=read_created),
    HostileEndpoint("edit-page", "form", TEAM_FIELDS, edit_page, form_errors,
                    read_back=read_target),
    HostileEndpoint("member-add-page", "form", ("user", "role"), member_add_page,
                    add_form_errors, read_back=read_membership),
]  # fmt: skip

S = HOSTILE_STRINGS
JSON = {"json"}
TEXT_FIELDS = ("name", "description", "email", "chat_channel", "parent", "user")

CASES = [
    *(
        HostileCase(f"{name}-in-{field}", {field: text}, field)
        for name, text in S.items()
        for field in TEXT_FIELDS
    ),
    HostileCase("surrogate-in-key", {S["lone-surrogate"]: "x"}, "a\\ud800b", JSON),
    HostileCase("nul-in-key", {"a\x00b": "x"}, "a\\x00b", JSON),
    HostileCase("json-900-deep", {"description": Deep(900)}, "description", JSON),
    HostileCase("deep-role", {"role": Deep(900)}, "role", JSON),
    HostileCase("200000-keys", {ROOT: ManyKeys(200_000)}, "non_field_errors", JSON),
    *(
        HostileCase(f"kind-{name}", {"kind": value}, "kind")
        for name, value in {**WRONG_CHOICE_VALUES, "unknown": "squad"}.items()
    ),
    *(
        HostileCase(f"role-{name}", {"role": value}, "role")
        for name, value in {**WRONG_CHOICE_VALUES, "unknown": "owner"}.items()
    ),
    *(
        HostileCase(f"name-{name}", {"name": text}, "name")
        for name, text in INVISIBLE_STRINGS.items()
    ),
    HostileCase("name-bidi-override", {"name": "\u202eevil"}, "name"),
    HostileCase("name-newline", {"name": "two\nlines"}, "name"),
    HostileCase("name-number", {"name": 12345}, "name", JSON),
    HostileCase("name-1000-chars", {"name": "n" * 1000}, "name"),
    HostileCase("email-not-an-address", {"email": "a@@b"}, "email"),
    HostileCase("channel-javascript", {"chat_channel": "javascript:alert(1)"}, "chat_channel"),
    HostileCase("channel-list", {"chat_channel": ["#a"]}, "chat_channel", JSON),
    HostileCase("parent-unknown", {"parent": "no-such-team"}, "parent"),
    HostileCase("parent-object", {"parent": {"slug": "x"}}, "parent", JSON),
    HostileCase("description-200kb", {"description": "x" * 300_000}, "description"),
    HostileCase("description-quotes-100-deep", {"description": "> " * 100 + "x"}, "description"),
    HostileCase("user-unknown", {"user": "ghost"}, "user"),
    HostileCase("user-number", {"user": 7}, "user", JSON),
]

PARAMS = hostile_params(ENDPOINTS, CASES)


@pytest.fixture
def hostile(client, token_client, superuser):
    team = TeamFactory(name="Target", slug="target")
    newcomer = UserFactory(username="newcomer")
    membership = TeamMembershipFactory(team=team, user=UserFactory(username="member1"))
    client.force_login(superuser)
    return SimpleNamespace(
        client=client, api=token_client(superuser), team=team, newcomer=newcomer,
        membership=membership,
    )  # fmt: skip


def _state(ctx):
    return db_state(
        Team, TeamMembership, AuditEvent, objects=[ctx.team], fields=("version", "name")
    )


@pytest.mark.django_db
@pytest.mark.embedded
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize(("endpoint", "case"), PARAMS)
def test_hostile_input_is_refused_naming_the_field_and_nothing_is_stored(
    endpoint, case, debug, hostile, settings
):
    settings.DEBUG = debug
    assert_refused(endpoint, case, hostile, state=lambda: _state(hostile))


def test_every_endpoint_carries_cases_and_every_case_runs_somewhere():
    ids = {p.id for p in PARAMS}
    for endpoint in ENDPOINTS:
        assert any(i.startswith(endpoint.id + "-") for i in ids), endpoint.id
    for case in CASES:
        assert any(i.endswith("-" + case.id) for i in ids), case.id


GENERATED_EXAMPLES = 30


@pytest.mark.django_db
@pytest.mark.embedded
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_generated_hostile_input_never_fails_the_server_and_is_stored_as_sent_or_not_at_all(
    endpoint, hostile
):
    def values(path: str):
        if endpoint.transport == "form":
            return hostile_text().map(form_safe)
        return hostile_json()

    @settings(
        max_examples=GENERATED_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=st.data())
    def run(data):
        path = data.draw(st.sampled_from(endpoint.fields_to_generate()), label="path")
        value = data.draw(values(path), label="value")
        # Each example starts from the same state: no team made by an earlier one.
        Team.objects.exclude(pk=hostile.team.pk).delete()
        TeamMembership.objects.exclude(pk=hostile.membership.pk).delete()
        TeamMembership.objects.filter(pk=hostile.membership.pk).update(role="member")
        assert_generated_input_handled(
            endpoint, hostile, path, value, state=lambda: _state(hostile)
        )

    run()
