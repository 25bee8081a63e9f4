"""Hostile input on every review endpoint that takes input: each case refused with a 4xx
naming the field, nothing stored (documents, review requests, decisions, comments,
notifications, audit events); generated input never fails the server."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from designdocs.models import DesignDoc
from registry.core.models import AuditEvent
from registry.core.testing.api import assert_error_shape
from registry.core.testing.hostile import (
    HOSTILE_STRINGS,
    Deep,
    HostileCase,
    HostileEndpoint,
    assert_generated_input_handled,
    assert_refused,
    db_state,
    hostile_params,
    json_text,
    with_changes,
)
from registry.core.testing.strategies import hostile_json
from reviews import services
from reviews.models import Comment, Notification, Review, ReviewRequest
from tests.reviews.factories import classified_doc, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def api_errors(response) -> dict[str, list[str]]:
    return assert_error_shape(response, response.status_code)["errors"]


def _post(path_of, base_of, user="alice"):
    def send(ctx, changes):
        body = with_changes(base_of(ctx), changes)
        client = ctx.clients[user]
        return client.generic(
            "POST", path_of(ctx), json_text(body), content_type="application/json"
        )

    return send


def _stored_nothing_checked(ctx, response):
    return {}  # accepted writes are checked by the API tests; here: no 5xx, no half-write


ENDPOINTS = [
    HostileEndpoint(
        "api-submit",
        "json",
        ("reviewers", "due_date"),
        _post(lambda c: f"/api/designdocs/{c.draft.pk}/submit/", lambda c: {"reviewers": ["bob"]}),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
    HostileEndpoint(
        "api-decide",
        "json",
        ("decision", "body", "revision", "content_hash"),
        _post(
            lambda c: f"/api/designdocs/{c.doc.pk}/reviews/",
            lambda c: {
                "decision": "comment",
                "body": "A remark.",
                "revision": fresh(c.doc).revision_number,
            },
            user="bob",
        ),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
    HostileEndpoint(
        "api-comment",
        "json",
        ("section", "body", "quote"),
        _post(
            lambda c: f"/api/designdocs/{c.doc.pk}/comments/",
            lambda c: {"section": "risks", "body": "Owner?"},
            user="bob",
        ),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
    HostileEndpoint(
        "api-reply",
        "json",
        ("body",),
        _post(
            lambda c: f"/api/designdocs/{c.doc.pk}/comments/{c.thread.pk}/replies/",
            lambda c: {"body": "Me."},
        ),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
    HostileEndpoint(
        "api-supersede",
        "json",
        ("superseded_by",),
        _post(
            lambda c: f"/api/designdocs/{c.draft.pk}/supersede/",
            lambda c: {"superseded_by": c.other.slug},
        ),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
    HostileEndpoint(
        "api-notifications-read",
        "json",
        ("ids",),
        _post(lambda c: "/api/notifications/read/", lambda c: {"ids": []}, user="bob"),
        api_errors,
        read_back=_stored_nothing_checked,
    ),
]

FIELDS = (
    "reviewers",
    "due_date",
    "decision",
    "body",
    "revision",
    "content_hash",
    "section",
    "quote",
    "superseded_by",
    "ids",
)


def _cases() -> list[HostileCase]:
    cases = []
    for name in FIELDS:
        for kind, text in HOSTILE_STRINGS.items():
            value: Any = [text] if name in ("reviewers", "ids") else text
            cases.append(HostileCase(f"{name}-{kind}", {name: value}, name, transports={"json"}))
        cases.append(HostileCase(f"{name}-deep", {name: Deep(900)}, name, transports={"json"}))
        cases.append(HostileCase(f"{name}-object", {name: {"a": 1}}, name, transports={"json"}))
    cases += [
        HostileCase(
            "reviewers-huge-count", {"reviewers": ["bob"] * 5000}, "reviewers", transports={"json"}
        ),
        HostileCase("reviewers-number", {"reviewers": 7}, "reviewers", transports={"json"}),
        HostileCase(
            "due-date-nonsense", {"due_date": "2026-02-31"}, "due_date", transports={"json"}
        ),
        HostileCase("revision-huge", {"revision": 10**30}, "revision", transports={"json"}),
        HostileCase("revision-bool", {"revision": True}, "revision", transports={"json"}),
        HostileCase("decision-empty", {"decision": ""}, "decision", transports={"json"}),
        HostileCase("body-huge", {"body": "x" * (300 * 1024)}, "body", transports={"json"}),
        HostileCase("quote-long", {"quote": "q" * 501}, "quote", transports={"json"}),
        HostileCase("ids-huge-count", {"ids": list(range(1, 5002))}, "ids", transports={"json"}),
    ]
    return cases


CASES = _cases()
PARAMS = hostile_params(ENDPOINTS, CASES)


@pytest.fixture
def ctx(world, token_client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high", title="In review")
    services.designdoc_submit(doc=doc, actor=alice)
    draft = classified_doc(team=world["team"], product_owner=alice, title="Draft")
    other = classified_doc(team=world["team"], product_owner=alice, title="Other")
    thread = services.comment_add(doc=doc, actor=bob, section="risks", body="Owner?")
    clients = {"alice": token_client(alice), "bob": token_client(bob)}
    return SimpleNamespace(doc=doc, draft=draft, other=other, thread=thread, clients=clients)


def _state(ctx):
    return db_state(
        DesignDoc,
        ReviewRequest,
        Review,
        Comment,
        Notification,
        AuditEvent,
        objects=[ctx.doc, ctx.draft],
        fields=("status", "superseded_by_id"),
    )


@pytest.mark.parametrize(("endpoint", "case"), PARAMS)
def test_hostile_input_is_refused_naming_the_field_and_nothing_is_stored(endpoint, case, ctx):
    assert_refused(endpoint, case, ctx, state=lambda: _state(ctx))


def test_every_endpoint_carries_cases():
    ids = {p.id for p in PARAMS}
    for endpoint in ENDPOINTS:
        assert any(i.startswith(endpoint.id + "-") for i in ids), endpoint.id


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_generated_hostile_input_never_fails_the_server(endpoint, ctx):
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=st.data())
    def run(data):
        path = data.draw(st.sampled_from(endpoint.fields_to_generate()), label="path")
        value = data.draw(hostile_json(), label="value")
        assert_generated_input_handled(endpoint, ctx, path, value, state=lambda: _state(ctx))

    run()
