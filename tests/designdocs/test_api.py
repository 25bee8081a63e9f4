"""/api/designdocs/ through HTTP: CRUD, preconditions (no lost edits), validation with dotted
field names, permissions, revisions and diffs, Markdown export/import, query counts, audit
events and the OpenAPI schema.

The standard checks every model's API gets (anonymous 401, hidden 404/empty list, forbidden
403, invalid 400 naming the field, audit event written) come from the shared mixins in
`registry.core.testing`; the tests below prove what is particular to design documents.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from designdocs.content import CONTENT_KEYS, canonical_json, completeness, content_of
from designdocs.markdown_io import export_markdown
from designdocs.models import DesignDoc, Revision
from designdocs.risk import risk_level, risk_score
from designdocs.selectors import with_content
from registry.core import roles
from registry.core.models import AuditEvent
from registry.core.testing import APIViewTestCases, assert_audit_event, assert_error_shape
from tests.designdocs.factories import (
    DesignDocFactory,
    FullDesignDocFactory,
    criterion_row,
    full_content,
    monitoring_row,
    raci_row,
    risk_row,
)
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/designdocs/"
IMPORT_URL = "/api/designdocs/import/"
#: What the detail representation adds to the canonical content.
DETAIL_META_KEYS = {
    "id", "url", "html_url", "slug", "status", "version", "revision_number", "content_hash",
    "approved_revision", "is_approved", "superseded_by", "completeness", "created_at",
    "updated_at", "stage", "facts",
}  # fmt: skip


# --- helpers --------------------------------------------------------------------------------


def detail_url(doc: DesignDoc | int, suffix: str = "") -> str:
    pk = doc if isinstance(doc, int) else doc.pk
    return f"/api/designdocs/{pk}/{suffix}"


def etag(doc: DesignDoc) -> str:
    return f'"{doc.pk}-{doc.version}"'


def stored(doc: DesignDoc | int) -> dict[str, Any]:
    """The document's content as the database holds it now."""
    pk = doc if isinstance(doc, int) else doc.pk
    return content_of(with_content(DesignDoc.objects.filter(pk=pk)).get())


def stored_json(doc: DesignDoc | int) -> str:
    return canonical_json(stored(doc))


def writes() -> tuple[int, int, int]:
    """(documents, revisions, audit events): what any write changes."""
    return DesignDoc.objects.count(), Revision.objects.count(), AuditEvent.objects.count()


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def results(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}


def with_derived_risk_figures(content: dict[str, Any]) -> dict[str, Any]:
    content = copy.deepcopy(content)
    for row in content["risks"]:
        row["score"] = risk_score(row["likelihood"], row["impact"])
        row["level"] = risk_level(row["likelihood"], row["impact"]).value
    return content


def session_client(user) -> tuple[APIClient, str]:
    """A client signed in by session, with CSRF enforced as in a browser; returns the client
    and the CSRF token to send as X-CSRFToken."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    secret = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    return client, secret


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def doc(team, alice) -> DesignDoc:
    """alice's document in `team`, every section filled, at version 1 / revision 1."""
    return FullDesignDocFactory(title="Demand forecasting", owner_team=team, product_owner=alice)


@pytest.fixture
def alice_api(token_client, alice):
    return token_client(alice)


@pytest.fixture
def other_team():
    return TeamFactory(name="Pricing", slug="pricing")


@pytest.fixture
def frank(other_team):
    """A product owner of another team (`pricing`), not a member of `team`."""
    user = UserFactory(username="frank", roles=[roles.PRODUCT_OWNERS])
    TeamMembershipFactory(team=other_team, user=user)
    return user


# --- the shared checks every model's API gets ------------------------------------------------


class TestDesignDocAPIStandardChecks(APIViewTestCases.APIViewTestCase):
    """Anonymous 401, no role 404/empty, viewer reads, viewer's writes 403, invalid 400 naming
    the field, each write one audit event, list queries constant: for design documents."""

    basename = "designdoc"
    model = DesignDoc
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "alice"
    forbidden_writer = "viewer"
    create_action = "designdoc.create"
    update_action = "designdoc.update"
    delete_action = "designdoc.delete"
    invalid_field = "title"
    invalid_create_data = {"title": "", "owner_team": "fraud-detection"}
    invalid_update_data = {"title": ""}
    update_data = {"title": "Churn model v2"}

    @pytest.fixture(autouse=True)
    def _owner(self, team, alice):
        self.team, self.alice = team, alice

    def make_object(self):
        return FullDesignDocFactory(owner_team=self.team, product_owner=self.alice)

    def create_data(self):
        return {"title": "Churn model", "owner_team": self.team.slug}

    def update_headers(self, obj):
        return {"HTTP_IF_MATCH": etag(obj)}


# --- create and read ------------------------------------------------------------------------


@pytest.mark.embedded
def test_create_answers_201_with_location_etag_and_revision_1(alice_api, alice, team):
    content = full_content(title="Price elasticity", team=team.slug, product_owner="alice")
    since = last_audit_id()

    response = alice_api.post(LIST_URL, {**content, "message": "First draft"}, format="json")

    assert response.status_code == 201, response.content[:800]
    body = response.json()
    assert response["Location"] == body["url"] == f"http://testserver{detail_url(body['id'])}"
    assert response["ETag"] == f'"{body["id"]}-1"'
    assert (body["version"], body["revision_number"]) == (1, 1)
    doc = DesignDoc.objects.get(pk=body["id"])
    assert doc.slug == body["slug"] == "price-elasticity"
    assert stored_json(doc) == canonical_json(content)
    revision = doc.revisions.get()
    assert (revision.number, revision.message, revision.author) == (1, "First draft", alice)
    assert revision.content == content
    assert_audit_event(action="designdoc.create", obj=doc, actor=alice, since_id=since)


def test_create_makes_the_caller_product_owner_and_fills_defaults(alice_api, team):
    response = alice_api.post(
        LIST_URL, {"title": "Churn model", "owner_team": team.slug}, format="json"
    )

    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["product_owner"] == "alice"
    # Nobody chose a stage or a tier yet: the doc claims neither.
    assert (body["stage"], body["risk_tier"], body["status"]) == (
        "unclassified",
        "unclassified",
        "draft",
    )
    assert body["risks"] == [] and body["problem_statement"] == ""
    assert body["completeness"]["filled"] == 0
    assert "problem_statement" in body["completeness"]["missing"]


def test_detail_is_the_canonical_content_plus_risk_figures_and_completeness(alice_api, doc):
    response = alice_api.get(detail_url(doc))

    assert response.status_code == 200, response.content[:500]
    assert response["ETag"] == etag(doc) == f'"{doc.pk}-1"'
    body = response.json()
    assert set(body) == set(CONTENT_KEYS) | DETAIL_META_KEYS
    content = stored(doc)
    assert {key: body[key] for key in CONTENT_KEYS} == with_derived_risk_figures(content)
    # The promotions-calendar risk is likelihood 4 x impact 4: Table I-2 says High.
    assert (body["risks"][1]["score"], body["risks"][1]["level"]) == (16, "high")
    filled, missing = completeness(content)
    assert body["completeness"] == {
        "filled": len(filled),
        "required": len(filled) + len(missing),
        "missing": missing,
    }
    assert body["completeness"]["missing"] == []  # every section of full_content is filled
    assert body["url"] == f"http://testserver{detail_url(doc)}"
    assert body["html_url"] == f"http://testserver{doc.get_absolute_url()}"
    assert (body["version"], body["revision_number"]) == (1, 1)
    assert body["content_hash"] == doc.revisions.get().content_hash


def test_detail_of_unknown_id_is_404_in_error_shape(alice_api, doc):
    assert_error_shape(alice_api.get(detail_url(doc.pk + 1000)), 404)


# --- list: filters and pagination ------------------------------------------------------------


@pytest.fixture
def catalogue_of_docs(team, other_team, alice, frank, bob):
    """Four docs: alice's two in `team`, frank's two in `pricing` (bob co-authors one)."""
    forecasting = DesignDocFactory(
        title="Demand forecasting",
        owner_team=team,
        product_owner=alice,
        content={"stage": "deployment", "risk_tier": "limited",
                 "problem_statement": "Stores over-order fresh produce."},
    )  # fmt: skip
    fraud = DesignDocFactory(
        title="Card fraud scoring",
        owner_team=team,
        product_owner=alice,
        content={"stage": "model_training", "risk_tier": "high"},
    )
    elasticity = DesignDocFactory(
        title="Price elasticity",
        owner_team=other_team,
        product_owner=frank,
        content={"stage": "model_training", "risk_tier": "minimal",
                 "business_value": "Margin up through elasticity-aware markdowns."},
    )  # fmt: skip
    recommender = DesignDocFactory(
        title="Product recommendation",
        owner_team=other_team,
        product_owner=frank,
        content={"stage": "monitoring", "risk_tier": "limited", "co_authors": ["bob"]},
    )
    return {"forecasting": forecasting, "fraud": fraud, "elasticity": elasticity,
            "recommender": recommender}  # fmt: skip


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"team": "no-such-team"}, "team"),
        ({"status": "signed_off"}, "status"),
        ({"stage": "nonsense"}, "stage"),
        ({"mine": "perhaps"}, "mine"),
        ({"sort": "colour"}, "sort"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter(
    token_client, dave, catalogue_of_docs, query, field
):
    body = assert_error_shape(token_client(dave).get(LIST_URL, query), 400)
    assert field in body["errors"], body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"forecasting", "fraud", "elasticity", "recommender"}),
        ({"team": "fraud-detection"}, {"forecasting", "fraud"}),
        ({"team": "pricing"}, {"elasticity", "recommender"}),
        ({"stage": "model_training"}, {"fraud", "elasticity"}),
        ({"risk_tier": "limited"}, {"forecasting", "recommender"}),
        ({"status": "draft"}, {"forecasting", "fraud", "elasticity", "recommender"}),
        ({"stage": "model_training", "team": "pricing"}, {"elasticity"}),
        ({"q": "elasticity"}, {"elasticity"}),
        ({"q": "produce"}, {"forecasting"}),
        # Both words in one doc; each other doc has neither (PostgreSQL's ts_rank still
        # scores those above 0, so matching must use @@, not the rank).
        pytest.param({"q": "fraud scoring"}, {"fraud"}, id="q-two-words"),
        ({"q": "zeppelin"}, set()),
    ],
)
def test_list_filters(token_client, dave, catalogue_of_docs, query, expected):
    response = token_client(dave).get(LIST_URL, query)

    assert ids(response) == {catalogue_of_docs[name].pk for name in expected}
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("alice", {"forecasting", "fraud"}),  # product owner / member of team
        ("frank", {"elasticity", "recommender"}),
        ("bob", {"recommender"}),  # co-author only
        ("dave", set()),  # reads everything, owns nothing
    ],
)
def test_list_mine_is_what_i_own_co_author_or_my_team_owns(
    request, token_client, catalogue_of_docs, user, expected
):
    client = token_client(request.getfixturevalue(user))

    response = client.get(LIST_URL, {"mine": "true"})

    assert ids(response) == {catalogue_of_docs[name].pk for name in expected}
    assert response.json()["count"] == len(expected)  # no duplicates from the joins
    assert ids(client.get(LIST_URL, {"mine": "false"})) == {
        d.pk for d in catalogue_of_docs.values()
    }


def test_list_rows_are_the_brief_form(alice_api, doc):
    row = results(alice_api.get(LIST_URL))[0]

    assert set(row) == {
        "id", "url", "html_url", "slug", "title", "owner_team", "product_owner", "status",
        "stage", "risk_tier", "version", "revision_number", "approved_revision", "is_approved",
        "facts", "created_at", "updated_at",
    }  # fmt: skip
    assert (row["owner_team"], row["product_owner"]) == ("fraud-detection", "alice")
    assert row["url"] == f"http://testserver{detail_url(doc)}"


def test_list_paginates_with_limit_and_offset_and_caps_the_limit(settings, alice_api, team, alice):
    settings.API_MAX_PAGE_SIZE = 3
    docs = [DesignDocFactory(owner_team=team, product_owner=alice) for _ in range(5)]
    newest_first = [d.pk for d in reversed(docs)]

    capped = alice_api.get(LIST_URL, {"limit": 100}).json()
    assert capped["count"] == 5
    assert [row["id"] for row in capped["results"]] == newest_first[:3]
    assert "limit=3" in capped["next"] and "offset=3" in capped["next"]

    page = alice_api.get(LIST_URL, {"limit": 2, "offset": 2}).json()
    assert [row["id"] for row in page["results"]] == newest_first[2:4]
    assert page["previous"] and page["next"]


# --- update and delete -----------------------------------------------------------------------


@pytest.mark.embedded
def test_patch_with_if_match_changes_only_the_given_sections(alice_api, alice, doc):
    before = stored(doc)
    since = last_audit_id()
    new_risks = [risk_row("Holiday demand spikes", likelihood=3, impact=2)]

    response = alice_api.patch(
        detail_url(doc),
        {"title": "Demand forecasting v2", "risks": new_risks, "message": "Re-scoped risks"},
        format="json",
        HTTP_IF_MATCH=etag(doc),
    )

    assert response.status_code == 200, response.content[:800]
    assert response["ETag"] == f'"{doc.pk}-2"'
    body = response.json()
    assert (body["version"], body["revision_number"]) == (2, 2)
    expected = {**before, "title": "Demand forecasting v2", "risks": new_risks}
    assert stored_json(doc) == canonical_json(expected)
    revision = doc.revisions.get(number=2)
    assert (revision.author, revision.message, revision.content) == (
        alice,
        "Re-scoped risks",
        expected,
    )
    event = assert_audit_event(action="designdoc.update", obj=doc, actor=alice, since_id=since)
    assert event.payload["changed"] == ["risks", "title"]


def test_patch_with_version_in_body(alice_api, doc):
    response = alice_api.patch(
        detail_url(doc), {"version": 1, "open_questions": "None left."}, format="json"
    )

    assert response.status_code == 200, response.content[:500]
    assert response.json()["version"] == 2
    assert stored(doc)["open_questions"] == "None left."


def test_if_match_wins_over_version_in_body(alice_api, doc):
    response = alice_api.patch(
        detail_url(doc),
        {"version": 7, "open_questions": "None left."},
        format="json",
        HTTP_IF_MATCH=etag(doc),
    )

    assert response.status_code == 200, response.content[:500]


def test_patch_with_a_weak_etag_is_412_and_changes_nothing(alice_api, doc):
    # RFC 9110: If-Match compares strongly, and a weak ETag never matches for a write.
    before = stored(doc)
    response = alice_api.patch(
        detail_url(doc), {"open_questions": "x"}, format="json", HTTP_IF_MATCH=f"W/{etag(doc)}"
    )

    body = assert_error_shape(response, 412, code="stale_version")
    assert "weak ETags never match for a write" in body["message"]
    assert body["current_version"] == doc.version
    assert stored(doc) == before


@pytest.mark.parametrize("precondition", ["if-match", "version"])
def test_put_replaces_the_whole_content(alice_api, alice, doc, precondition):
    replacement = {
        "title": "Demand forecasting (rewritten)",
        "owner_team": "fraud-detection",
        "problem_statement": "Only this section is left.",
        "success_criteria": [criterion_row("Waste as share of sales", target="6%")],
    }
    headers = {"HTTP_IF_MATCH": etag(doc)} if precondition == "if-match" else {}
    body = replacement if headers else {**replacement, "version": doc.version}
    since = last_audit_id()

    response = alice_api.put(detail_url(doc), body, format="json", **headers)

    assert response.status_code == 200, response.content[:800]
    content = stored(doc)
    # Everything not sent is back to empty; the product owner stays.
    assert content["product_owner"] == "alice"
    assert content["problem_statement"] == "Only this section is left."
    assert content["business_value"] == content["architecture"] == ""
    assert content["risks"] == content["raci"] == content["monitoring"] == []
    assert content["success_criteria"] == [replacement["success_criteria"][0]]
    # The tier is not the edit's to change (a PUT leaving it out keeps it); the stage is
    # not content.
    assert content["risk_tier"] == doc.risk_tier and "stage" not in content
    assert response.json()["version"] == 2
    assert_audit_event(action="designdoc.update", obj=doc, actor=alice, since_id=since)


def test_put_without_required_title_is_400_and_changes_nothing(alice_api, doc):
    before, counts = stored_json(doc), writes()

    response = alice_api.put(
        detail_url(doc), {"owner_team": "fraud-detection"}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    body = assert_error_shape(response, 400)
    assert "title" in body["errors"]
    assert (stored_json(doc), writes()) == (before, counts)


def test_update_that_changes_nothing_makes_no_revision_and_no_audit_event(alice_api, doc):
    counts = writes()

    response = alice_api.patch(
        detail_url(doc), {"title": doc.title}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    assert response.status_code == 200, response.content[:500]
    assert (response.json()["version"], response["ETag"]) == (1, etag(doc))
    assert writes() == counts


@pytest.mark.embedded
def test_delete_answers_204_and_records_designdoc_delete(alice_api, alice, doc):
    since, pk = last_audit_id(), doc.pk

    response = alice_api.delete(detail_url(doc))

    assert response.status_code == 204
    assert response.content == b""
    assert not DesignDoc.objects.filter(pk=pk).exists()
    assert not Revision.objects.filter(design_doc_id=pk).exists()
    event = assert_audit_event(action="designdoc.delete", obj=doc, actor=alice, since_id=since)
    assert event.payload == {"slug": "demand-forecasting", "revision": 1}
    assert_error_shape(alice_api.get(detail_url(pk)), 404)


# --- preconditions: no lost edits ------------------------------------------------------------


@pytest.mark.embedded
@pytest.mark.parametrize("method", ["patch", "put"])
def test_update_without_if_match_or_version_is_428_and_changes_nothing(alice_api, doc, method):
    before, counts = stored_json(doc), writes()
    data = {"title": "Lost?", "owner_team": "fraud-detection"}

    response = getattr(alice_api, method)(detail_url(doc), data, format="json")

    body = assert_error_shape(response, 428, code="precondition_required")
    assert "version" in body["errors"]
    assert "If-Match" in body["message"]
    assert (stored_json(doc), writes()) == (before, counts)


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("precondition", ["if-match", "version"])
def test_stale_update_is_412_with_current_version_and_changes_nothing(
    alice_api, doc, method, precondition
):
    alice_api.patch(
        detail_url(doc), {"open_questions": "v2"}, format="json", HTTP_IF_MATCH=etag(doc)
    )
    before, counts = stored_json(doc), writes()
    data = {"title": "Based on version 1", "owner_team": "fraud-detection"}
    if precondition == "if-match":
        response = getattr(alice_api, method)(
            detail_url(doc), data, format="json", HTTP_IF_MATCH=f'"{doc.pk}-1"'
        )
    else:
        response = getattr(alice_api, method)(
            detail_url(doc), {**data, "version": 1}, format="json"
        )

    body = assert_error_shape(response, 412, code="stale_version")
    assert body["current_version"] == 2
    assert (stored_json(doc), writes()) == (before, counts)


@pytest.mark.parametrize("if_match", ["garbage", '"abc"', '"1"', "12-1", '"1-x"', '""'])
def test_malformed_if_match_is_412_and_changes_nothing(alice_api, doc, if_match):
    before, counts = stored_json(doc), writes()

    response = alice_api.patch(
        detail_url(doc), {"title": "Never saved"}, format="json", HTTP_IF_MATCH=if_match
    )

    body = assert_error_shape(response, 412, code="stale_version")
    assert body["current_version"] == 1
    assert (stored_json(doc), writes()) == (before, counts)


def test_etag_of_another_document_is_412(alice_api, team, alice, doc):
    other = DesignDocFactory(owner_team=team, product_owner=alice)
    before, counts = stored_json(doc), writes()

    response = alice_api.patch(
        detail_url(doc), {"title": "Never saved"}, format="json", HTTP_IF_MATCH=etag(other)
    )

    assert_error_shape(response, 412)
    assert (stored_json(doc), writes()) == (before, counts)


@pytest.mark.parametrize("version", ["1", 1.5, True, None, [1]])
def test_version_that_is_not_a_whole_number_is_refused(alice_api, doc, version):
    counts = writes()

    response = alice_api.patch(
        detail_url(doc), {"version": version, "title": "Never saved"}, format="json"
    )

    if version is None:  # no version stated at all
        assert_error_shape(response, 428)
    else:
        body = assert_error_shape(response, 400)
        assert "version" in body["errors"]
    assert writes() == counts


@pytest.mark.embedded
def test_two_clients_updating_from_the_same_version_one_wins_whole_other_gets_412(
    token_client, alice, bob, team, doc
):
    """The acceptance test: no lost edits, no mixed content."""
    TeamMembershipFactory(team=team, user=bob)  # bob edits as a member of the owner team
    first, second = token_client(alice), token_client(bob)
    seen_by_first, seen_by_second = first.get(detail_url(doc)), second.get(detail_url(doc))
    assert seen_by_first["ETag"] == seen_by_second["ETag"] == f'"{doc.pk}-1"'
    original = stored(doc)
    first_changes = {
        "title": "Demand forecasting (alice)",
        "problem_statement": "Alice's framing of the problem.",
        "risks": [risk_row("Alice's risk", likelihood=2, impact=3)],
    }
    second_changes = {
        "title": "Demand forecasting (bob)",
        "business_value": "Bob's estimate of the value.",
        "raci": [raci_row("Run the model", "A", person="bob")],
    }

    won = first.patch(
        detail_url(doc), first_changes, format="json", HTTP_IF_MATCH=seen_by_first["ETag"]
    )
    lost = second.patch(
        detail_url(doc), second_changes, format="json", HTTP_IF_MATCH=seen_by_second["ETag"]
    )

    assert (won.status_code, lost.status_code) == (200, 412), (won.content, lost.content)
    assert lost.json()["current_version"] == 2
    winner_content = {**original, **first_changes}
    assert stored_json(doc) == canonical_json(winner_content)
    assert doc.revisions.count() == 2
    assert doc.revisions.get(number=2).content == winner_content
    # The loser reloads, reapplies and succeeds on top of the winner's content.
    retry = second.patch(detail_url(doc), second_changes, format="json", HTTP_IF_MATCH=won["ETag"])
    assert retry.status_code == 200, retry.content[:500]
    assert stored(doc) == {**winner_content, **second_changes}


# --- validation: 400 naming the field, nothing written ---------------------------------------


def _two_accountables() -> list[dict[str, str]]:
    return [
        raci_row("Approve design", "A", person="alice"),
        raci_row("Approve design", "A", team="fraud-detection"),
    ]


INVALID_PATCHES = [
    pytest.param(
        {"risks": [risk_row(likelihood=6)]}, "risks.0.likelihood", "between 1 and 5",
        id="likelihood-above-5",
    ),
    pytest.param(
        {"risks": [risk_row(), risk_row(impact=0)]}, "risks.1.impact", "between 1 and 5",
        id="impact-below-1",
    ),
    pytest.param(
        {"risks": [risk_row(likelihood="often")]}, "risks.0.likelihood", "whole number",
        id="likelihood-not-a-number",
    ),
    pytest.param({"raci": _two_accountables()}, "raci.1.role", "Approve design", id="two-accountable"),
    pytest.param(
        {"raci": [raci_row("Run the model", "C", person="alice")]}, "raci.0.role", "Run the model",
        id="no-accountable",
    ),
    pytest.param(
        {"risks": [risk_row("Model leaks PII", likelihood=5, impact=5, owner="alice")]},
        "risks.0.mitigation", "mitigation is required", id="very-high-risk-without-mitigation",
    ),
    pytest.param(
        {"risks": [risk_row(), risk_row("Drift", likelihood=4, impact=4, mitigation="Retrain")]},
        "risks.1.owner", "owner is required", id="high-risk-without-owner",
    ),
    pytest.param(
        {"risks": [risk_row(owner="nobody-here")]}, "risks.0.owner", "no active user",
        id="risk-owner-unknown",
    ),
    pytest.param({"colour": "blue"}, "colour", "Unknown field", id="unknown-field"),
    pytest.param(
        {"risks": [{**risk_row(), "colour": "red"}]}, "risks.0.colour", "unknown field",
        id="unknown-row-field",
    ),
    pytest.param({"title": 42}, "title", "must be text", id="title-as-number"),
    pytest.param({"raci": "alice is accountable"}, "raci", "list of rows", id="raci-not-a-list"),
    pytest.param({"risks": ["a risk"]}, "risks.0", "must be an object", id="row-not-an-object"),
    pytest.param({"problem_statement": 5}, "problem_statement", "Markdown text", id="narrative-as-number"),
    pytest.param({"co_authors": "bob"}, "co_authors", "list of usernames", id="co-authors-not-a-list"),
    pytest.param({"stage": "launched"}, "stage", "not edited with the content", id="stage"),
    pytest.param({"risk_tier": "extreme"}, "risk_tier", "must be one of", id="unknown-risk-tier"),
    pytest.param(
        {"problem_statement": "x" * (200 * 1024 + 1)}, "problem_statement", "at most 200 KB",
        id="section-over-200-KB",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "message"), INVALID_PATCHES)
def test_invalid_update_is_400_naming_the_dotted_field_and_writes_nothing(
    alice_api, doc, changes, field, message
):
    before, counts = stored_json(doc), writes()

    response = alice_api.patch(detail_url(doc), changes, format="json", HTTP_IF_MATCH=etag(doc))

    body = assert_error_shape(response, 400, code="invalid")
    assert field in body["errors"], body["errors"]
    assert any(message in text for text in body["errors"][field]), body["errors"][field]
    assert (stored_json(doc), writes()) == (before, counts)
    assert DesignDoc.objects.get(pk=doc.pk).version == 1


@pytest.mark.embedded
@pytest.mark.parametrize(("changes", "field", "message"), INVALID_PATCHES)
def test_invalid_create_is_400_naming_the_dotted_field_and_creates_nothing(
    alice_api, team, changes, field, message
):
    counts = writes()
    data = {"title": "Churn model", "owner_team": team.slug, **changes}

    response = alice_api.post(LIST_URL, data, format="json")

    body = assert_error_shape(response, 400, code="invalid")
    assert field in body["errors"], body["errors"]
    assert writes() == counts


def test_every_error_is_reported_at_once_with_row_and_field_in_the_message(alice_api, doc):
    changes = {
        "title": "",
        "raci": _two_accountables(),
        "risks": [risk_row("Model leaks PII", likelihood=5, impact=5)],
    }

    response = alice_api.patch(detail_url(doc), changes, format="json", HTTP_IF_MATCH=etag(doc))

    errors = assert_error_shape(response, 400)["errors"]
    assert {"title", "raci.1.role", "risks.0.mitigation", "risks.0.owner"} <= set(errors)
    assert errors["raci.1.role"] == [
        "RACI activity “Approve design” has 2 Accountable (rows 1, 2); exactly one is allowed."
    ]
    assert errors["risks.0.owner"] == [
        "Risks, row 1 (“Model leaks PII”, very high risk): an owner is required."
    ]


def test_section_over_200_kb_is_400_naming_the_field_on_create_too(alice_api, team):
    counts = writes()
    data = {"title": "Big", "owner_team": team.slug, "architecture": "é" * (100 * 1024 + 1)}

    response = alice_api.post(LIST_URL, data, format="json")

    body = assert_error_shape(response, 400)
    assert body["errors"]["architecture"] == [
        "architecture is 200 KB; a section may hold at most 200 KB."
    ]
    assert writes() == counts


@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_malformed_json_body_is_400_and_writes_nothing(alice_api, doc, method):
    counts = writes()
    url = LIST_URL if method == "post" else detail_url(doc)

    response = getattr(alice_api, method)(
        url, '{"title": "unterminated', content_type="application/json", HTTP_IF_MATCH=etag(doc)
    )

    assert_error_shape(response, 400, code="parse_error")
    assert writes() == counts


@pytest.mark.parametrize("body", ["[]", '"a string"', "42"])
def test_json_body_that_is_not_an_object_is_400(alice_api, doc, body):
    counts = writes()

    response = alice_api.patch(
        detail_url(doc), body, content_type="application/json", HTTP_IF_MATCH=etag(doc)
    )

    assert_error_shape(response, 400)
    assert writes() == counts


@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_form_encoded_body_is_415_on_the_json_only_endpoints(alice_api, doc, method):
    counts = writes()
    url = LIST_URL if method == "post" else detail_url(doc)

    response = getattr(alice_api, method)(
        url,
        urlencode({"title": "Form", "owner_team": "fraud-detection"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_IF_MATCH=etag(doc),
    )

    assert_error_shape(response, 415, code="unsupported_media_type")
    assert writes() == counts


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Nul\x00title"}, "title"),
        ({"problem_statement": "a\x00b"}, "problem_statement"),
        ({"risks": [risk_row("Nul\x00risk")]}, "risks.0.title"),
        ({"co_authors": ["bob", "al\x00ice"]}, "co_authors.1"),
    ],
)
@pytest.mark.parametrize("method", ["post", "patch"])
def test_nul_characters_in_text_are_400_naming_the_field(alice_api, doc, changes, field, method):
    """PostgreSQL cannot store NUL in text; the API refuses it on every database alike."""
    counts = writes()
    if method == "post":
        response = alice_api.post(
            LIST_URL, {"title": "x", "owner_team": "fraud-detection", **changes}, format="json"
        )
    else:
        response = alice_api.patch(detail_url(doc), changes, format="json", HTTP_IF_MATCH=etag(doc))

    body = assert_error_shape(response, 400)
    assert field in body["errors"], body["errors"]
    assert writes() == counts


@pytest.mark.parametrize("param", ["team", "stage", "risk_tier", "status", "q"])
def test_nul_character_in_a_list_filter_is_400_naming_it(alice_api, doc, param):
    body = assert_error_shape(alice_api.get(LIST_URL, {param: "a\x00b"}), 400)
    assert list(body["errors"]) == [param]


def test_nul_character_in_an_imported_file_is_400_and_creates_nothing(alice_api, doc):
    counts = writes()
    text = export_markdown(stored(doc)).replace("Stores order", "Stores\x00order")

    response = alice_api.post(IMPORT_URL, {"markdown": text}, format="json")

    body = assert_error_shape(response, 400)
    assert "markdown" in body["errors"]
    assert writes() == counts


def test_create_for_unknown_team_is_400_naming_owner_team(alice_api):
    counts = writes()

    response = alice_api.post(LIST_URL, {"title": "X", "owner_team": "ghosts"}, format="json")

    body = assert_error_shape(response, 400)
    assert "owner_team" in body["errors"]
    assert writes() == counts


# --- permissions ---------------------------------------------------------------------------


READ_SUFFIXES = ["", "revisions/", "revisions/1/", "diff/?from=1&to=1", "markdown/"]


@pytest.mark.parametrize("suffix", READ_SUFFIXES)
def test_anonymous_gets_401_on_every_endpoint(api_client, doc, suffix):
    assert_error_shape(api_client.get(detail_url(doc, suffix)), 401)


def test_anonymous_cannot_import(api_client, doc):
    counts = writes()
    response = api_client.post(
        IMPORT_URL, {"markdown": export_markdown(stored(doc))}, format="json"
    )
    assert_error_shape(response, 401)
    assert writes() == counts


@pytest.mark.parametrize("suffix", READ_SUFFIXES)
def test_user_without_role_gets_404_on_every_document_endpoint(
    token_client, user_without_role, doc, suffix
):
    client = token_client(user_without_role)

    assert_error_shape(client.get(detail_url(doc, suffix)), 404)
    assert results(client.get(LIST_URL)) == []


@pytest.mark.parametrize("reader", ["viewer", "architect"])
@pytest.mark.parametrize("suffix", READ_SUFFIXES)
def test_viewers_and_architects_read_everything(request, token_client, doc, reader, suffix):
    client = token_client(request.getfixturevalue(reader))

    response = client.get(detail_url(doc, suffix))

    assert response.status_code == 200, response.content[:500]
    assert doc.pk in ids(client.get(LIST_URL))


@pytest.mark.parametrize("reader", ["viewer", "architect"])
def test_viewers_and_architects_cannot_write(request, token_client, team, doc, reader):
    client = token_client(request.getfixturevalue(reader))
    before, counts = stored_json(doc), writes()

    assert_error_shape(
        client.patch(detail_url(doc), {"title": "x"}, format="json", HTTP_IF_MATCH=etag(doc)), 403
    )
    assert_error_shape(
        client.put(
            detail_url(doc),
            {"title": "x", "owner_team": team.slug},
            format="json",
            HTTP_IF_MATCH=etag(doc),
        ),
        403,
    )
    assert_error_shape(client.delete(detail_url(doc)), 403)
    assert_error_shape(
        client.post(LIST_URL, {"title": "x", "owner_team": team.slug}, format="json"), 403
    )
    assert_error_shape(
        client.post(IMPORT_URL, {"markdown": export_markdown(stored(doc))}, format="json"), 403
    )
    assert (stored_json(doc), writes()) == (before, counts)


@pytest.mark.parametrize(
    "precondition",
    [{}, {"HTTP_IF_MATCH": '"1-99"'}, {"HTTP_IF_MATCH": "garbage"}],
    ids=["no-precondition", "stale", "malformed"],
)
def test_forbidden_write_is_403_whatever_the_precondition(token_client, dave, doc, precondition):
    """A user who may not edit learns nothing more from the precondition checks."""
    response = token_client(dave).patch(
        detail_url(doc), {"title": "x"}, format="json", **precondition
    )

    assert_error_shape(response, 403)


def test_product_owner_cannot_create_for_a_team_they_are_not_in(token_client, frank, team):
    client = token_client(frank)
    counts = writes()

    response = client.post(LIST_URL, {"title": "Not mine", "owner_team": team.slug}, format="json")

    assert_error_shape(response, 403, code="permission_denied")
    assert writes() == counts
    # ... and the same product owner creates for their own team.
    own = client.post(LIST_URL, {"title": "Mine", "owner_team": "pricing"}, format="json")
    assert own.status_code == 201, own.content[:500]


def test_product_owner_cannot_move_a_doc_to_a_team_they_are_not_in(alice_api, doc, other_team):
    before, counts = stored_json(doc), writes()

    response = alice_api.patch(
        detail_url(doc), {"owner_team": other_team.slug}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    assert_error_shape(response, 403)
    assert (stored_json(doc), writes()) == (before, counts)


def test_product_owner_of_another_team_cannot_edit_or_delete(token_client, frank, doc):
    client = token_client(frank)
    counts = writes()

    assert client.get(detail_url(doc)).status_code == 200  # a role reads everything
    assert_error_shape(
        client.patch(detail_url(doc), {"title": "x"}, format="json", HTTP_IF_MATCH=etag(doc)), 403
    )
    assert_error_shape(client.delete(detail_url(doc)), 403)
    assert writes() == counts


def test_co_author_can_patch_but_not_delete(token_client, bob, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice, content={"co_authors": ["bob"]})
    client = token_client(bob)
    since = last_audit_id()

    response = client.patch(
        detail_url(doc), {"open_questions": "Bob asks."}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    assert response.status_code == 200, response.content[:500]
    assert_audit_event(action="designdoc.update", obj=doc, actor=bob, since_id=since)
    assert doc.revisions.get(number=2).author == bob
    assert_error_shape(client.delete(detail_url(doc)), 403)  # only the product owner deletes


@pytest.mark.parametrize("role", [roles.PRODUCT_OWNERS, roles.ARCHITECTS])
def test_owner_team_member_can_patch_but_not_delete(token_client, team, doc, role):
    member = UserFactory(username="gina", roles=[role])
    TeamMembershipFactory(team=team, user=member)
    client = token_client(member)

    response = client.patch(
        detail_url(doc), {"open_questions": "Gina asks."}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    assert response.status_code == 200, response.content[:500]
    assert_error_shape(client.delete(detail_url(doc)), 403)


def test_a_viewer_in_the_owner_team_only_reads_until_named_co_author(token_client, team, doc):
    member = UserFactory(username="gina", roles=[roles.VIEWERS])
    TeamMembershipFactory(team=team, user=member)
    client = token_client(member)
    change = {"open_questions": "Gina asks."}

    assert client.get(detail_url(doc)).status_code == 200
    assert_error_shape(
        client.patch(detail_url(doc), change, format="json", HTTP_IF_MATCH=etag(doc)), 403
    )
    doc.co_authors.add(member)
    response = client.patch(detail_url(doc), change, format="json", HTTP_IF_MATCH=etag(doc))
    assert response.status_code == 200, response.content[:500]


def test_superuser_may_do_everything(token_client, superuser, doc, other_team):
    client = token_client(superuser)
    since = last_audit_id()

    created = client.post(
        LIST_URL, {"title": "Admin's doc", "owner_team": "pricing"}, format="json"
    )
    assert created.status_code == 201, created.content[:500]
    assert created.json()["product_owner"] == superuser.username
    patched = client.patch(
        detail_url(doc), {"owner_team": other_team.slug}, format="json", HTTP_IF_MATCH=etag(doc)
    )
    assert patched.status_code == 200, patched.content[:500]
    assert stored(doc)["owner_team"] == "pricing"
    assert client.get(detail_url(doc, "revisions/")).status_code == 200
    assert client.delete(detail_url(doc)).status_code == 204
    actions = list(
        AuditEvent.objects.filter(id__gt=since).order_by("id").values_list("action", "actor")
    )
    assert actions == [
        ("designdoc.create", superuser.pk),
        ("designdoc.update", superuser.pk),
        ("designdoc.delete", superuser.pk),
    ]


def test_invisible_docs_never_appear_in_list_or_filters(
    token_client, catalogue_of_docs, other_team
):
    """A signed-in user without a role sees only the docs naming them, whatever the filter;
    a team they may not see is answered like a team that does not exist."""
    member = UserFactory(username="hank")
    TeamMembershipFactory(team=other_team, user=member)
    for name in ("elasticity", "recommender"):
        catalogue_of_docs[name].co_authors.add(member)
    client = token_client(member)
    visible = {catalogue_of_docs["elasticity"].pk, catalogue_of_docs["recommender"].pk}
    hidden = catalogue_of_docs["forecasting"]

    for query in ({}, {"q": "produce"}, {"mine": "true"}, {"team": "pricing"},
                  {"stage": "deployment"}, {"limit": 100}):  # fmt: skip
        assert ids(client.get(LIST_URL, query)) <= visible, query
    assert ids(client.get(LIST_URL)) == visible
    invisible_team = client.get(LIST_URL, {"team": "fraud-detection"}).json()
    unknown_team = client.get(LIST_URL, {"team": "no-such-team"}).json()
    assert invisible_team["errors"].keys() == unknown_team["errors"].keys() == {"team"}
    assert_error_shape(client.get(detail_url(hidden)), 404)
    assert_error_shape(
        client.patch(detail_url(hidden), {"title": "x"}, format="json", HTTP_IF_MATCH=etag(hidden)),
        404,
    )
    assert_error_shape(client.delete(detail_url(hidden)), 404)


def test_session_authentication_needs_the_csrf_token_for_writes(alice, doc):
    client, csrf_token = session_client(alice)
    counts = writes()

    assert client.get(detail_url(doc)).status_code == 200
    refused = client.patch(
        detail_url(doc), {"title": "No CSRF"}, format="json", HTTP_IF_MATCH=etag(doc)
    )
    assert_error_shape(refused, 403)
    assert writes() == counts

    accepted = client.patch(
        detail_url(doc),
        {"title": "With CSRF"},
        format="json",
        HTTP_IF_MATCH=etag(doc),
        HTTP_X_CSRFTOKEN=csrf_token,
    )
    assert accepted.status_code == 200, accepted.content[:500]
    assert stored(doc)["title"] == "With CSRF"


# --- revisions and diffs -------------------------------------------------------------------


@pytest.fixture
def doc_with_three_revisions(alice_api, doc):
    """Revision 2 rewords the problem and changes a risk; revision 3 adds a monitoring row."""
    content = stored(doc)
    risks = copy.deepcopy(content["risks"])
    risks[1]["likelihood"] = 5
    risks[1]["status"] = "in_progress"
    second = alice_api.patch(
        detail_url(doc),
        {
            "problem_statement": content["problem_statement"].replace("too much", "far too much"),
            "risks": risks,
            "message": "Sharper problem",
        },
        format="json",
        HTTP_IF_MATCH=etag(doc),
    )
    assert second.status_code == 200, second.content[:500]
    third = alice_api.patch(
        detail_url(doc),
        {"monitoring": [*content["monitoring"], monitoring_row("Stock-outs")]},
        format="json",
        HTTP_IF_MATCH=second["ETag"],
    )
    assert third.status_code == 200, third.content[:500]
    doc.refresh_from_db()
    return doc


def test_revisions_list_is_paginated_newest_first(alice_api, doc_with_three_revisions):
    doc = doc_with_three_revisions

    body = alice_api.get(detail_url(doc, "revisions/")).json()

    assert body["count"] == 3
    assert [r["number"] for r in body["results"]] == [3, 2, 1]
    assert set(body["results"][0]) == {"number", "content_hash", "author", "message", "created_at"}
    assert body["results"][1]["message"] == "Sharper problem"
    assert body["results"][1]["author"] == "alice"
    page = alice_api.get(detail_url(doc, "revisions/"), {"limit": 2, "offset": 1}).json()
    assert [r["number"] for r in page["results"]] == [2, 1]
    assert page["count"] == 3 and page["previous"]


def test_revision_detail_holds_that_revisions_whole_content(alice_api, doc_with_three_revisions):
    doc = doc_with_three_revisions

    body = alice_api.get(detail_url(doc, "revisions/2/")).json()

    revision = doc.revisions.get(number=2)
    assert body["number"] == 2
    # The stored content, each risk also carrying its derived score and level.
    derived = [{k: r.pop(k) for k in ("score", "level")} for r in body["content"]["risks"]]
    assert body["content"] == revision.content
    assert derived == [
        {"score": r["likelihood"] * r["impact"], "level": risk_level(r["likelihood"], r["impact"])}
        for r in revision.content["risks"]
    ]
    assert "far too much" in body["content"]["problem_statement"]
    assert body["content_hash"] == revision.content_hash
    assert set(body["content"]) == set(CONTENT_KEYS)


def test_unknown_revision_number_is_404(alice_api, doc):
    assert_error_shape(alice_api.get(detail_url(doc, "revisions/9/")), 404)


def test_diff_gives_word_ops_for_narratives_and_changed_field_names_for_rows(
    alice_api, doc_with_three_revisions
):
    doc = doc_with_three_revisions

    response = alice_api.get(detail_url(doc, "diff/"), {"from": 1, "to": 2})

    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert (body["from_revision"], body["to_revision"]) == (1, 2)
    assert body["changed_sections"] == ["problem_statement", "risks"]
    sections = {s["key"]: s for s in body["sections"]}
    problem = sections["problem_statement"]
    assert problem["kind"] == "narrative" and problem["changed"]
    inserted = [op["text"] for op in problem["text"] if op["op"] == "insert"]
    assert [text.strip() for text in inserted] == ["far"]  # one word, not the whole line
    assert (
        "".join(op["text"] for op in problem["text"] if op["op"] != "insert")
        == (doc.revisions.get(number=1).content["problem_statement"])
    )
    risks = sections["risks"]
    assert risks["kind"] == "rows"
    assert [row["change"] for row in risks["rows"]] == ["unchanged", "changed"]
    assert sorted(risks["rows"][1]["fields"]) == ["likelihood", "status"]
    assert not sections["business_value"]["changed"]
    assert sections["details"]["kind"] == "metadata" and not sections["details"]["changed"]

    added = alice_api.get(detail_url(doc, "diff/"), {"from": 2, "to": 3}).json()
    monitoring = {s["key"]: s for s in added["sections"]}["monitoring"]
    assert [row["change"] for row in monitoring["rows"]] == ["unchanged", "added"]
    assert added["changed_sections"] == ["monitoring"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": 2}, "from"),
        ({"from": 1}, "to"),
        ({"from": "one", "to": 2}, "from"),
        ({"from": 1, "to": "-2"}, "to"),
        ({"from": 9, "to": 1}, "from"),
        ({"from": 1, "to": 99}, "to"),
        ({"from": 0, "to": 1}, "from"),
        ({"from": "²", "to": 1}, "from"),  # str.isdigit() says yes, int() says no
        ({"from": 1, "to": 99999999999999999999999}, "to"),
    ],
)
def test_diff_with_missing_or_unknown_revision_is_400_naming_from_or_to(
    alice_api, doc_with_three_revisions, query, field
):
    response = alice_api.get(detail_url(doc_with_three_revisions, "diff/"), query)

    body = assert_error_shape(response, 400)
    assert list(body["errors"]) == [field]


# --- Markdown export and import ----------------------------------------------------------------


def test_markdown_export_is_an_attachment_with_front_matter(alice_api, doc):
    response = alice_api.get(detail_url(doc, "markdown/"))

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="demand-forecasting.md"'
    text = response.content.decode("utf-8")
    assert text.startswith("---\nformat: ml-design-registry/design-doc@1\n")
    assert text == export_markdown(stored(doc))
    assert "<!-- section: problem_statement -->\n## Problem statement" in text


@pytest.mark.parametrize(
    "accept", ["text/markdown", "text/markdown, application/json;q=0.5", "*/*"]
)
def test_markdown_export_honours_an_accept_header_for_markdown(alice_api, doc, accept):
    response = alice_api.get(detail_url(doc, "markdown/"), HTTP_ACCEPT=accept)

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/markdown")


def test_markdown_export_errors_keep_the_error_shape_when_markdown_is_accepted(
    token_client, user_without_role, doc
):
    response = token_client(user_without_role).get(
        detail_url(doc, "markdown/"), HTTP_ACCEPT="text/markdown"
    )

    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.embedded
@pytest.mark.parametrize("transport", ["multipart-file", "json-markdown"])
def test_markdown_export_then_import_round_trips_without_loss(alice_api, alice, doc, transport):
    exported = alice_api.get(detail_url(doc, "markdown/")).content
    since = last_audit_id()

    if transport == "multipart-file":
        upload = SimpleUploadedFile("doc.md", exported, content_type="text/markdown")
        # A copy of an existing doc has its title: imported on purpose.
        response = alice_api.post(
            IMPORT_URL, {"file": upload, "allow_duplicate_title": "true"}, format="multipart"
        )
    else:
        response = alice_api.post(
            IMPORT_URL,
            {"markdown": exported.decode("utf-8"), "allow_duplicate_title": True},
            format="json",
        )

    assert response.status_code == 201, response.content[:800]
    imported = DesignDoc.objects.get(pk=response.json()["id"])
    assert imported.pk != doc.pk
    assert response["ETag"] == f'"{imported.pk}-1"'
    assert stored_json(imported) == stored_json(doc)
    assert imported.revisions.get().content_hash == doc.revisions.get().content_hash
    assert_audit_event(action="designdoc.import", obj=imported, actor=alice, since_id=since)


def test_round_trip_keeps_markdown_tables_code_and_unicode(alice_api, alice, team):
    tricky = (
        "| Model | MAPE |\n|---|---|\n| GBM | 12% |\n\n"
        "```python\nprint('---')\n```\n\n"
        "<!-- not a section marker -->\n\nZürich — “quotes” ✓\n\n## A heading inside"
    )
    doc = DesignDocFactory(
        owner_team=team,
        product_owner=alice,
        content={"architecture": tricky, "open_questions": "- one\n- two"},
    )
    exported = alice_api.get(detail_url(doc, "markdown/")).content.decode("utf-8")

    response = alice_api.post(
        IMPORT_URL, {"markdown": exported, "allow_duplicate_title": True}, format="json"
    )

    assert response.status_code == 201, response.content[:800]
    assert stored_json(response.json()["id"]) == stored_json(doc)


MALFORMED_FILES = [
    pytest.param("title: No front matter\n", 1, id="no-front-matter"),
    pytest.param("---\ntitle: Never closed\nowner_team: fraud-detection\n", 3, id="unclosed"),
    pytest.param(
        "---\ntitle: Bad YAML\nowner_team: [fraud-detection\nstage: deployment\n---\n", 4,
        id="invalid-yaml",
    ),
    pytest.param(
        "---\ntitle: Risky\nowner_team: fraud-detection\nrisks:\n- title: Drift\n"
        "  category: data\n  likelihood: 9\n  impact: 2\n---\n", 7, id="likelihood-9-at-its-own-line",
    ),
    pytest.param(
        "---\ntitle: Sections\nowner_team: fraud-detection\n---\n\n<!-- section: conclusions -->\n",
        6, id="unknown-section",
    ),
    pytest.param(
        "---\ntitle: Stray\nowner_team: fraud-detection\n---\nStray text\n", 5, id="stray-text",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line"), MALFORMED_FILES)
@pytest.mark.parametrize("transport", ["multipart-file", "json-markdown"])
def test_malformed_markdown_import_is_400_naming_the_line_and_creates_nothing(
    alice_api, team, text, line, transport
):
    counts = writes()

    if transport == "multipart-file":
        upload = SimpleUploadedFile("bad.md", text.encode(), content_type="text/markdown")
        response = alice_api.post(IMPORT_URL, {"file": upload}, format="multipart")
    else:
        response = alice_api.post(IMPORT_URL, {"markdown": text}, format="json")

    body = assert_error_shape(response, 400)
    assert f"Line {line}" in body["message"], body
    assert writes() == counts


def test_import_refuses_a_file_that_is_not_utf8(alice_api):
    counts = writes()
    upload = SimpleUploadedFile("bad.md", "---\ntitle: é\n---\n".encode("latin-1"))

    response = alice_api.post(IMPORT_URL, {"file": upload}, format="multipart")

    body = assert_error_shape(response, 400)
    assert "file" in body["errors"]
    assert writes() == counts


@pytest.mark.parametrize("data", [{}, {"markdown": ""}, {"markdown": 5}])
def test_import_without_a_file_or_text_is_400_naming_file(alice_api, data):
    counts = writes()

    body = assert_error_shape(alice_api.post(IMPORT_URL, data, format="json"), 400)

    assert "file" in body["errors"]
    assert writes() == counts


def test_product_owner_cannot_import_into_a_team_they_are_not_in(token_client, frank, doc):
    client = token_client(frank)
    counts = writes()

    response = client.post(IMPORT_URL, {"markdown": export_markdown(stored(doc))}, format="json")

    assert_error_shape(response, 403)
    assert writes() == counts


# --- query counts ----------------------------------------------------------------------------


def _queries_for(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


@pytest.mark.parametrize(
    "query", [{}, {"mine": "true"}, {"q": "design"}, {"team": "fraud-detection"}]
)
def test_list_runs_the_same_queries_for_3_and_25_docs(token_client, alice, team, bob, query):
    client = token_client(alice)
    for _ in range(3):
        DesignDocFactory(title="Design doc", owner_team=team, product_owner=alice,
                         content={"co_authors": ["bob"]})  # fmt: skip
    three = _queries_for(client, LIST_URL, **query)
    assert len(results(client.get(LIST_URL, query))) == 3
    for _ in range(22):
        FullDesignDocFactory(title="Design doc", owner_team=team, product_owner=alice,
                             content={**full_content(title="x", team=team.slug,
                                                     product_owner="alice", co_authors=["bob"]),
                                      "title": "Design doc"})  # fmt: skip

    twenty_five = _queries_for(client, LIST_URL, **query)

    assert len(results(client.get(LIST_URL, query))) == 25
    assert twenty_five == three


#: token, roles, the doc, co-authors, criteria, RACI, risks, monitoring.
DETAIL_QUERIES = (
    11  # 7 + the user's roles + the two catalogue links + the facts (maturity: latest assessment);
    # a rule decided by the role part (any role reads) does not read the memberships
)


def test_detail_runs_a_fixed_small_number_of_queries(
    token_client, alice, team, django_assert_num_queries
):
    client = token_client(alice)
    small = DesignDocFactory(owner_team=team, product_owner=alice)
    content = full_content(title="x", team=team.slug, product_owner="alice", co_authors=["bob"])
    content["risks"] = [risk_row(f"Risk {n}", likelihood=2, impact=2) for n in range(30)]
    content["success_criteria"] = [criterion_row(f"Metric {n}") for n in range(30)]
    UserFactory(username="bob")
    big = DesignDocFactory(
        owner_team=team, product_owner=alice, content={k: v for k, v in content.items()
                                                       if k not in ("title", "owner_team")}
    )  # fmt: skip

    client.get(detail_url(small))  # process-wide caches warm (content types)
    for doc in (small, big):
        with django_assert_num_queries(DETAIL_QUERIES):
            assert client.get(detail_url(doc)).status_code == 200


def test_update_runs_a_bounded_number_of_queries_whatever_the_row_count(
    token_client, alice, team, django_assert_max_num_queries
):
    client = token_client(alice)
    many = [risk_row(f"Risk {n}", likelihood=2, impact=2) for n in range(40)]
    doc = DesignDocFactory(owner_team=team, product_owner=alice)

    with django_assert_max_num_queries(40):
        response = client.patch(
            detail_url(doc), {"risks": many}, format="json", HTTP_IF_MATCH=etag(doc)
        )
    assert response.status_code == 200, response.content[:500]


# --- audit trail and schema ------------------------------------------------------------------


def test_every_successful_write_records_exactly_one_audit_event(alice_api, alice, team):
    since = last_audit_id()
    created = alice_api.post(LIST_URL, {"title": "Audited", "owner_team": team.slug}, format="json")
    doc_id = created.json()["id"]
    patched = alice_api.patch(
        detail_url(doc_id), {"open_questions": "?"}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    put = alice_api.put(
        detail_url(doc_id),
        {"title": "Audited", "owner_team": team.slug},
        format="json",
        HTTP_IF_MATCH=patched["ETag"],
    )
    exported = alice_api.get(detail_url(doc_id, "markdown/")).content.decode()
    imported = alice_api.post(
        IMPORT_URL, {"markdown": exported, "allow_duplicate_title": True}, format="json"
    )
    deleted = alice_api.delete(detail_url(doc_id))
    # Reads and refused writes record nothing.
    alice_api.get(detail_url(imported.json()["id"]))
    alice_api.patch(detail_url(imported.json()["id"]), {"title": "x"}, format="json")

    assert [r.status_code for r in (created, patched, put, imported, deleted)] == [
        201, 200, 200, 201, 204,
    ]  # fmt: skip
    events = AuditEvent.objects.filter(id__gt=since).order_by("id")
    assert [(e.action, e.actor_id, e.object_id) for e in events] == [
        ("designdoc.create", alice.pk, str(doc_id)),
        ("designdoc.update", alice.pk, str(doc_id)),
        ("designdoc.update", alice.pk, str(doc_id)),
        ("designdoc.import", alice.pk, str(imported.json()["id"])),
        ("designdoc.delete", alice.pk, str(doc_id)),
    ]
    assert all(e.object_type == "designdocs.designdoc" for e in events)


def test_openapi_schema_validates_and_documents_the_designdoc_endpoints(tmp_path):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    import yaml

    schema = yaml.safe_load(path.read_text())
    paths = schema["paths"]
    for endpoint in (
        "/api/designdocs/",
        "/api/designdocs/{id}/",
        "/api/designdocs/{id}/revisions/",
        "/api/designdocs/{id}/revisions/{number}/",
        "/api/designdocs/{id}/diff/",
        "/api/designdocs/{id}/markdown/",
        "/api/designdocs/import/",
    ):
        assert endpoint in paths, sorted(paths)
    patch = paths["/api/designdocs/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "412", "428"} <= set(patch["responses"])
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert (
        "text/markdown"
        in paths["/api/designdocs/{id}/markdown/"]["get"]["responses"]["200"]["content"]
    )
    assert json.dumps(schema)  # plain data, nothing exotic
