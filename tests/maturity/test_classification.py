"""The EU AI Act questionnaire: the tier derived by the reference's rule, stored with the
answers, who and when, and its reasons; written to the doc as a revision (an approved doc
returns to draft); Chapter III coverage of a high-risk doc; the API and the page."""

from __future__ import annotations

import pytest

from designdocs.choices import WorkflowStatus
from designdocs.models import DesignDoc
from maturity.classification import CHAPTER_III, derive_tier, normalize_answers
from maturity.models import Classification
from maturity.services import classification_answer
from registry.core.errors import DomainError, PermissionDeniedError
from tests.designdocs.factories import DesignDocFactory

pytestmark = pytest.mark.django_db

BASE = {"art5_practices": [], "annex_i_safety_component": False, "annex_iii_point": "",
        "profiles_natural_persons": False, "art6_3_condition": "none",
        "art50_transparency": False}  # fmt: skip
CREDIT = {**BASE, "annex_iii_point": "5b", "profiles_natural_persons": True}


@pytest.mark.parametrize("condition", ["none", "a", "b", "c", "d"])
def test_an_annex_iii_system_that_profiles_is_high_whatever_the_art_6_3_answer(condition):
    derived = derive_tier(normalize_answers({**CREDIT, "art6_3_condition": condition}))
    assert derived.tier == "high"
    assert any("whatever the Art. 6(3)" in r for r in derived.reasons)


@pytest.mark.parametrize(
    ("answers", "tier"),
    [
        (BASE, "minimal"),
        ({**BASE, "art50_transparency": True}, "limited"),
        ({**BASE, "art5_practices": ["c"]}, "unacceptable"),
        ({**BASE, "art5_practices": ["c"], "annex_iii_point": "5b"}, "unacceptable"),
        ({**BASE, "annex_i_safety_component": True}, "high"),
        ({**BASE, "annex_iii_point": "4a"}, "high"),
        ({**BASE, "annex_iii_point": "4a", "art6_3_condition": "a"}, "minimal"),
        ({**BASE, "annex_iii_point": "4a", "art6_3_condition": "a", "art50_transparency": True},
         "limited"),
        ({**BASE, "annex_iii_point": "4a", "art50_transparency": True}, "high"),
    ],
)  # fmt: skip
def test_the_tier_follows_the_rule_of_the_reference(answers, tier):
    derived = derive_tier(normalize_answers(answers))
    assert derived.tier == tier and derived.reasons


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"art5_practices": ["z"]}, "art5_practices"), ({"annex_iii_point": "9z"}, "annex_iii_point"),
     ({"art6_3_condition": "e"}, "art6_3_condition"), ({"art50_transparency": "yes"},
     "art50_transparency"), ({"nonsense": 1}, "nonsense"), ({"art5_practices": "a"},
     "art5_practices")],
)  # fmt: skip
def test_bad_answers_are_refused_naming_the_question(alice, team, answers, field):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    with pytest.raises(DomainError) as refused:
        classification_answer(doc=doc, actor=alice, answers={**BASE, **answers})
    assert field in refused.value.errors
    assert not Classification.objects.exists()
    assert DesignDoc.objects.get(pk=doc.pk).risk_tier == "unclassified"


def test_a_credit_scoring_doc_is_high_lists_its_missing_obligations_and_voids_approval(
    client, alice, team
):
    doc = DesignDocFactory(
        owner_team=team, product_owner=alice, title="Credit scoring",
        content={"problem_statement": "Score applicants.", "data": "Bureau data."},
    )  # fmt: skip
    DesignDoc.objects.filter(pk=doc.pk).update(
        status=WorkflowStatus.APPROVED, approved_revision=doc.latest_revision
    )
    client.force_login(alice)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "Not yet classified." in page

    classification = classification_answer(
        doc=doc, actor=alice, answers={**CREDIT, "art6_3_condition": "d"}
    )

    stored = DesignDoc.objects.get(pk=doc.pk)
    assert classification.tier == stored.risk_tier == "high"
    assert classification.answered_by == alice and classification.answers["annex_iii_point"] == "5b"
    assert stored.latest_revision.content["risk_tier"] == "high"
    assert stored.status == WorkflowStatus.DRAFT and not stored.is_approved
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "Chapter III obligations" in page and "whatever the Art. 6(3)" in page
    # Risks, architecture, monitoring, RACI, success criteria are empty: those are missing.
    for obligation in CHAPTER_III:
        if obligation.article in ("Art. 9", "Art. 11", "Art. 12", "Art. 14", "Art. 15"):
            assert f"{obligation.article} {obligation.title}" in page
    assert page.count("Missing</span>") == 6  # all but Art. 10 (data) are missing a section


def test_only_editors_answer_the_questionnaire(alice, dave, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    with pytest.raises(PermissionDeniedError):
        classification_answer(doc=doc, actor=dave, answers=BASE)


def test_history_is_kept_and_the_api_lists_it_newest_first(token_client, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client = token_client(alice)
    url = f"/api/designdocs/{doc.pk}/classification/"

    first = client.post(url, BASE, format="json")
    second = client.post(url, CREDIT, format="json")

    assert first.status_code == second.status_code == 201, second.content
    assert second.json()["tier"] == "high" and second.json()["reasons"]
    listed = client.get(url).json()["results"]
    assert [c["tier"] for c in listed] == ["high", "minimal"]
    assert client.get(f"/api/designdocs/{doc.pk}/").json()["risk_tier"] == "high"
    bad = client.post(url, {"annex_iii_point": 5}, format="json")
    assert bad.status_code == 400 and "annex_iii_point" in str(bad.json())


def test_the_page_questionnaire_classifies(client, alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    response = client.post(
        f"/maturity/designdocs/{doc.slug}/classify/",
        {"annex_iii_point": "5b", "profiles_natural_persons": "on", "art6_3_condition": "a"},
        follow=True,
    )
    assert "Classified: High risk" in response.content.decode()
    assert DesignDoc.objects.get(pk=doc.pk).risk_tier == "high"
