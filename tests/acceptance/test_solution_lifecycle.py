"""A solution without an approved revision cannot enter deployment; once its revision is
submitted and approved by an architect (reviews) and it has a monitoring contract, it can;
entering monitoring needs the contract agreed by a stakeholder. Through the API, as a
script of a team would."""

from __future__ import annotations

import pytest

from designdocs.models import DesignDoc, LifecycleTransition
from designdocs.services import designdoc_update
from maturity.services import classification_answer
from reviews import services as reviews
from tests.designdocs.factories import DesignDocFactory, monitoring_row

pytestmark = pytest.mark.django_db

MINIMAL = {"art5_practices": [], "annex_i_safety_component": False, "annex_iii_point": "",
           "profiles_natural_persons": False, "art6_3_condition": "none",
           "art50_transparency": False}  # fmt: skip


def _fresh(doc):
    return DesignDoc.objects.get(pk=doc.pk)


def test_deployment_needs_an_approved_revision_and_a_contract_monitoring_an_agreed_one(
    token_client, alice, bob, team
):
    doc = DesignDocFactory(
        title="Demand forecasting", owner_team=team, product_owner=alice,
        content={"problem_statement": "Stores order too much fresh produce."},
    )  # fmt: skip
    classification_answer(doc=doc, actor=alice, answers=MINIMAL)
    api = token_client(alice)
    url = f"/api/designdocs/{doc.pk}/transition/"
    for stage in ("model_training", "error_analysis"):
        assert api.post(url, {"to": stage}, format="json").status_code == 201

    refused = api.post(url, {"to": "deployment"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "Entering deployment requires an approved current revision (submit it for review "
        "and get it approved) and a monitoring contract with at least one row."
    )
    assert _fresh(doc).stage == "error_analysis"

    # A contract nobody agreed to yet, then the real review: submitted, approved by bob.
    doc = _fresh(doc)
    designdoc_update(doc=doc, user=alice, expected_version=doc.version,
                     changes={"monitoring": [monitoring_row(stakeholders="")]})  # fmt: skip
    still = api.post(url, {"to": "deployment"}, format="json")
    assert still.status_code == 409
    assert still.json()["message"] == (
        "Entering deployment requires an approved current revision (submit it for review "
        "and get it approved)."
    )
    reviews.designdoc_submit(doc=_fresh(doc), actor=alice, reviewers=[bob.username])
    reviews.review_decide(doc=_fresh(doc), actor=bob, decision="approve",
                          revision=_fresh(doc).revision_number)  # fmt: skip
    assert _fresh(doc).is_approved

    moved = api.post(url, {"to": "deployment", "reason": "Approved by bob"}, format="json")
    assert moved.status_code == 201, moved.content
    assert _fresh(doc).stage == "deployment"

    refused = api.post(url, {"to": "monitoring"}, format="json")
    assert refused.status_code == 409
    assert "agreed by at least one stakeholder" in refused.json()["message"]
    assert _fresh(doc).stage == "deployment"

    doc = _fresh(doc)
    designdoc_update(doc=doc, user=alice, expected_version=doc.version,
                     changes={"monitoring": [monitoring_row(stakeholders="Supply planning")]})  # fmt: skip
    assert api.post(url, {"to": "monitoring"}, format="json").status_code == 201
    timeline = api.get(f"/api/designdocs/{doc.pk}/transitions/").json()["results"]
    assert [t["to_stage"] for t in timeline] == [
        "monitoring",
        "deployment",
        "error_analysis",
        "model_training",
    ]
    assert list(
        LifecycleTransition.objects.filter(design_doc=doc)
        .order_by("id")
        .values_list("to_stage", flat=True)
    ) == ["model_training", "error_analysis", "deployment", "monitoring"]
