"""Hostile input on every endpoint that takes input for an export: each case is a 4xx (the
htmx partial: 200 with the error) naming the field, and nothing is stored (exports, audit
events). Add an endpoint to ENDPOINTS or a case to CASES: every pair it can carry runs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.models import PdfExport
from registry.core.models import AuditEvent
from registry.core.testing.api import assert_error_shape
from registry.core.testing.hostile import (
    HOSTILE_STRINGS,
    WRONG_CHOICE_VALUES,
    Deep,
    HostileCase,
    HostileEndpoint,
    assert_refused,
    db_state,
    hostile_params,
    json_text,
    with_changes,
)


def api_errors(response) -> dict[str, list[str]]:
    return assert_error_shape(response, response.status_code)["errors"]


def page_errors(response) -> dict[str, list[str]]:
    return response.context["errors"]


def api_export(ctx, changes):
    body = with_changes({}, changes)
    return ctx.api.post(
        f"/api/designdocs/{ctx.doc.pk}/exports/", json_text(body), content_type="application/json"
    )


def api_subject(ctx, changes):
    body = with_changes({"subject": "portfolio", "key": ""}, changes)
    return ctx.api.post("/api/exports/", json_text(body), content_type="application/json")


def export_page(ctx, changes):
    data = {k: v for k, v in changes.items()}
    return ctx.client.post(f"/exports/designdocs/{ctx.doc.slug}/", data)


ENDPOINTS = [
    HostileEndpoint("api-designdoc-export", "json", ("revision",), api_export, api_errors),
    HostileEndpoint("api-subject-export", "json", ("subject", "key"), api_subject, api_errors),
    HostileEndpoint("designdoc-export-page", "form", ("revision",), export_page, page_errors),
]

CASES = [
    *(
        HostileCase(f"revision-{name}", {"revision": value}, "revision")
        for name, value in HOSTILE_STRINGS.items()
    ),
    *(
        HostileCase(f"revision-{name}", {"revision": value}, "revision", transports={"json"})
        for name, value in WRONG_CHOICE_VALUES.items()
        if value is not None and value != ""
    ),
    HostileCase("revision-negative", {"revision": "-1"}, "revision"),
    HostileCase("revision-huge", {"revision": "9" * 40}, "revision"),
    HostileCase("revision-fraction", {"revision": 1.5}, "revision", transports={"json"}),
    HostileCase("revision-missing-number", {"revision": 99}, "revision", transports={"json"}),
    HostileCase("revision-missing-form", {"revision": "99"}, "revision", transports={"form"}),
    HostileCase("revision-deep", {"revision": Deep(900)}, "revision", transports={"json"}),
    *(
        HostileCase(f"subject-{name}", {"subject": value}, "subject", transports={"json"})
        for name, value in HOSTILE_STRINGS.items()
    ),
    *(
        HostileCase(f"key-{name}", {"key": value}, "key", transports={"json"})
        for name, value in HOSTILE_STRINGS.items()
    ),
    HostileCase("subject-unknown", {"subject": "nope"}, "subject", transports={"json"}),
    HostileCase("subject-too-long", {"subject": "s" * 65}, "subject", transports={"json"}),
    HostileCase("key-too-long", {"key": "k" * 501}, "key", transports={"json"}),
    HostileCase("subject-wrong-type", {"subject": ["portfolio"]}, "subject", transports={"json"}),
]

PARAMS = hostile_params(ENDPOINTS, CASES)


@pytest.fixture
def hostile(client, token_client, alice, doc):
    client.force_login(alice)
    return SimpleNamespace(client=client, api=token_client(alice), doc=doc)


@pytest.mark.django_db
@pytest.mark.embedded
@pytest.mark.parametrize(("endpoint", "case"), PARAMS)
def test_hostile_input_is_refused_naming_the_field_and_nothing_is_stored(endpoint, case, hostile):
    assert_refused(endpoint, case, hostile, state=lambda: db_state(PdfExport, AuditEvent))


def test_every_endpoint_carries_cases_and_every_case_runs_somewhere():
    ids = {p.id for p in PARAMS}
    for endpoint in ENDPOINTS:
        assert any(i.startswith(endpoint.id + "-") for i in ids), endpoint.id
    for case in CASES:
        assert any(i.endswith("-" + case.id) for i in ids), case.id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.7\n" + b"\x00" * 5000, b"%PDF-" + b"(" * 100000, b"\xff\xfe" * 1000,
     b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>"],
    ids=["empty", "nul-body", "deep-parens", "binary", "truncated"],
)  # fmt: skip
def test_verify_hostile_files_answer_a_verdict_never_a_500(token_client, dave, data):
    response = token_client(dave).post(
        "/api/exports/verify/",
        {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")},
        format="multipart",
    )
    if not data:
        assert response.status_code == 400  # an empty upload is no file
        return
    assert response.status_code == 200, response.content[:300]
    assert response.json()["valid"] is False
