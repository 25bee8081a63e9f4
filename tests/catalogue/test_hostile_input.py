"""Hostile input on every catalogue endpoint that writes: each case is a 4xx naming the
field, and nothing is stored (components, architectures, history, audit events)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import ArchitectureExample, Component, LifecycleTransition
from registry.core.models import AuditEvent
from registry.core.testing.api import api_token_key, assert_error_shape
from registry.core.testing.hostile import (
    HOSTILE_STRINGS,
    ROOT,
    WRONG_CHOICE_VALUES,
    Deep,
    HostileCase,
    HostileEndpoint,
    ManyKeys,
    assert_refused,
    db_state,
    hostile_params,
    json_text,
    with_changes,
)
from tests.catalogue.factories import ComponentFactory

pytestmark = pytest.mark.django_db


def api_errors(response):
    return assert_error_shape(response, response.status_code)["errors"]


def _json(method: str, url, base):
    def send(ctx, changes):
        body = json_text(with_changes(base(ctx), changes))
        return getattr(ctx.api, method)(url(ctx), body, content_type="application/json")

    return send


ENDPOINTS = [
    HostileEndpoint(
        "component-create", "json", fields=("*",), errors=api_errors,
        send=_json("post", lambda ctx: reverse("api:component-list"),
                   lambda ctx: {"name": "Hostile", "owner_team": ctx.team.slug}),
    ),
    HostileEndpoint(
        "component-patch", "json", fields=("*",), errors=api_errors,
        send=_json("patch", lambda ctx: reverse("api:component-detail", kwargs={"slug": ctx.component.slug}),
                   lambda ctx: {}),
    ),
    HostileEndpoint(
        "architecture-create", "json", fields=("title", "summary", "tags", "owner_team", "lifecycle"),
        errors=api_errors,
        send=_json("post", lambda ctx: reverse("api:architecture-list"),
                   lambda ctx: {"title": "Hostile", "summary": "S", "owner_team": ctx.team.slug}),
    ),
    HostileEndpoint(
        "component-transition", "json", fields=("to", "reason", "replacement"), errors=api_errors,
        send=_json("post", lambda ctx: reverse("api:component-transition", kwargs={"slug": ctx.component.slug}),
                   lambda ctx: {"to": "deprecated", "reason": "ok"}),
    ),
]  # fmt: skip

CASES = [
    *(HostileCase(f"{name}-in-name", {"name": value}, "name") for name, value in HOSTILE_STRINGS.items()),
    *(HostileCase(f"{name}-in-title", {"title": value}, "title") for name, value in HOSTILE_STRINGS.items()),
    HostileCase("nul-in-description", {"description": "a\x00b"}, "description"),
    HostileCase("nul-in-reason", {"reason": "a\x00b"}, "reason"),
    HostileCase("surrogate-in-tag", {"tags": ["ok", "\ud800"]}, "tags"),
    HostileCase("space-in-tag", {"tags": ["two words"]}, "tags"),
    HostileCase("tags-not-a-list", {"tags": "batch"}, "tags"),
    HostileCase("too-many-tags", {"tags": [f"t{n}" for n in range(31)]}, "tags"),
    HostileCase("deep-tags", {"tags": Deep(900)}, "tags"),
    HostileCase("many-keys", {ROOT: ManyKeys(200_000)}, "non_field_errors"),
    HostileCase("javascript-link", {"repository_url": "javascript:alert(1)"}, "repository_url"),
    HostileCase("model-uri-as-web-link", {"model_registry_uri": "https://x/y"}, "model_registry_uri"),
    HostileCase("unknown-team", {"owner_team": "no-such-team"}, "owner_team"),
    HostileCase("unknown-dependency", {"depends_on": ["no-such-component"]}, "depends_on"),
    *(HostileCase(f"kind-{name}", {"kind": value}, "kind") for name, value in WRONG_CHOICE_VALUES.items()),
    *(HostileCase(f"to-{name}", {"to": value}, "to") for name, value in WRONG_CHOICE_VALUES.items()),
    HostileCase("raci-two-accountable", {"raci": [{"activity": "run", "team": "hostile-team", "role": "A"},
                                                  {"activity": "run", "person": "alice", "role": "A"}]}, "raci"),
    HostileCase("raci-row-not-object", {"raci": ["A"]}, "raci"),
]  # fmt: skip


@pytest.fixture
def context(alice, team, bob):
    bob.team_memberships.create(team=team)
    return SimpleNamespace(
        team=team,
        component=ComponentFactory(owner_team=team, slug="target"),
        api=_client(alice),
        architect_api=_client(bob),
    )


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


@pytest.mark.parametrize(("endpoint", "case"), hostile_params(ENDPOINTS, CASES))
def test_hostile_input_is_refused(endpoint, case, context):
    if endpoint.id == "architecture-create":
        context.api = context.architect_api
    assert_refused(
        endpoint,
        case,
        context,
        state=lambda: db_state(
            Component,
            ArchitectureExample,
            LifecycleTransition,
            AuditEvent,
            objects=[context.component],
            fields=("name", "lifecycle", "updated_at"),
        ),
    )
