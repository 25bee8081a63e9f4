"""A credit-scoring doc (Annex III 5(b)) that profiles applicants is high risk whatever the
Art. 6(3) answer, needs two approvals, cannot be approved by its author nor by a viewer, and
lists the Chapter III obligations its empty sections do not cover yet (API and page). A
reclassification of an approved doc returns it to draft with its approval stale."""

from __future__ import annotations

import pytest

from designdocs.models import DesignDoc
from maturity.classification import CHAPTER_III
from registry.core import roles
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = {"art5_practices": [], "annex_i_safety_component": False, "annex_iii_point": "",
        "profiles_natural_persons": False, "art6_3_condition": "none",
        "art50_transparency": False}  # fmt: skip
CREDIT = {**BASE, "annex_iii_point": "5b", "profiles_natural_persons": True}
#: The sections the credit-scoring doc fills: only Art. 10 (data) is covered by them.
FILLED = {"problem_statement": "Score loan applicants for default risk.",
          "business_value": "Fewer defaults.", "data": "Bureau data, two years of loans."}  # fmt: skip


@pytest.fixture
def frank(team):
    """An architect in the owner team, co-author of the credit-scoring doc."""
    frank = UserFactory(username="frank", first_name="Frank", roles=[roles.ARCHITECTS])
    TeamMembershipFactory(team=team, user=frank)
    return frank


@pytest.fixture
def credit_doc(alice, frank, team):
    return DesignDocFactory(
        title="Credit scoring", owner_team=team, product_owner=alice,
        content={**FILLED, "co_authors": [frank.username]},
    )  # fmt: skip


def _state(api, doc):
    return api.get(f"/api/designdocs/{doc.pk}/approval/").json()


@pytest.mark.parametrize("condition", ["none", "a", "b", "c", "d"])
def test_credit_scoring_is_high_risk_whatever_the_art_6_3_answer(
    token_client, alice, credit_doc, condition
):
    response = token_client(alice).post(
        f"/api/designdocs/{credit_doc.pk}/classification/",
        {**CREDIT, "art6_3_condition": condition}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["tier"] == "high"
    assert DesignDoc.objects.get(pk=credit_doc.pk).risk_tier == "high"


def test_credit_scoring_needs_two_approvals_not_its_authors_nor_a_viewers(
    token_client, alice, bob, carol, dave, frank, credit_doc
):
    author = token_client(alice)
    assert author.post(f"/api/designdocs/{credit_doc.pk}/classification/",
                       {**CREDIT, "art6_3_condition": "a"}, format="json").status_code == 201  # fmt: skip
    submitted = author.post(f"/api/designdocs/{credit_doc.pk}/submit/",
                            {"reviewers": ["bob", "carol"]}, format="json")  # fmt: skip
    assert submitted.status_code in (200, 201), submitted.content
    reviews_url = f"/api/designdocs/{credit_doc.pk}/reviews/"
    revision = DesignDoc.objects.get(pk=credit_doc.pk).revision_number
    approve = {"decision": "approve", "revision": revision}

    own = token_client(frank).post(reviews_url, approve, format="json")
    assert own.status_code == 403
    assert "authors never review or approve their own document" in own.json()["message"]
    assert token_client(dave).post(reviews_url, approve, format="json").status_code == 403
    assert _state(author, credit_doc)["approval"]["approvals"] == 0

    assert token_client(bob).post(reviews_url, approve, format="json").status_code == 201
    one = _state(author, credit_doc)
    assert one["status"] == "in_review"
    assert (one["approval"]["approvals"], one["approval"]["approvals_required"]) == (1, 2)

    assert token_client(carol).post(reviews_url, approve, format="json").status_code == 201
    two = _state(author, credit_doc)
    assert two["status"] == "approved" and two["approval"]["approved_by"] == ["bob", "carol"]


def test_credit_scoring_lists_the_chapter_iii_obligations_its_sections_do_not_cover(
    client, token_client, alice, credit_doc
):
    api = token_client(alice)
    before = api.get(f"/api/designdocs/{credit_doc.pk}/classification/obligations/").json()
    assert before["applies"] is False
    api.post(f"/api/designdocs/{credit_doc.pk}/classification/", CREDIT, format="json")

    body = api.get(f"/api/designdocs/{credit_doc.pk}/classification/obligations/").json()
    expected_missing = [o.article for o in CHAPTER_III if o.article not in ("Art. 10", "Art. 13")]
    assert body["applies"] is True and body["risk_tier"] == "high"
    assert body["missing"] == expected_missing
    by_article = {o["article"]: o for o in body["obligations"]}
    assert by_article["Art. 9"]["missing_sections"] == ["risks"]
    assert by_article["Art. 10"]["covered"] and by_article["Art. 13"]["covered"]

    client.force_login(alice)
    page = client.get(credit_doc.get_absolute_url()).content.decode()
    assert "Chapter III obligations" in page
    assert page.count("Missing</span>") == len(expected_missing)
    for obligation in CHAPTER_III:
        assert f"{obligation.article} {obligation.title}" in page


def test_reclassifying_an_approved_doc_returns_it_to_draft_with_its_approval_stale(
    client, token_client, alice, bob, credit_doc
):
    author = token_client(alice)
    author.post(f"/api/designdocs/{credit_doc.pk}/classification/", BASE, format="json")
    assert DesignDoc.objects.get(pk=credit_doc.pk).risk_tier == "minimal"
    author.post(f"/api/designdocs/{credit_doc.pk}/submit/", {"reviewers": ["bob"]}, format="json")
    revision = DesignDoc.objects.get(pk=credit_doc.pk).revision_number
    approved = token_client(bob).post(f"/api/designdocs/{credit_doc.pk}/reviews/",
                                      {"decision": "approve", "revision": revision}, format="json")  # fmt: skip
    assert approved.status_code == 201, approved.content
    assert _state(author, credit_doc)["status"] == "approved"

    reclassified = author.post(f"/api/designdocs/{credit_doc.pk}/classification/", CREDIT,
                               format="json")  # fmt: skip
    assert reclassified.status_code == 201 and reclassified.json()["tier"] == "high"

    doc = DesignDoc.objects.get(pk=credit_doc.pk)
    assert doc.status == "draft" and not doc.is_approved
    assert doc.revision_number == revision + 1
    state = _state(author, credit_doc)
    assert state["approval"]["approvals"] == 0
    assert [s["reviewer"] for s in state["approval"]["stale_approvals"]] == ["bob"]
    assert state["approval"]["approvals_required"] == 2
    client.force_login(alice)
    portfolio = client.get("/maturity/").content.decode()
    stale = portfolio.split("Approvals gone stale")[1]
    assert f'href="{credit_doc.get_absolute_url()}">Credit scoring</a>' in stale
    assert f"approved revision {revision}" in stale and "edited since" in stale
