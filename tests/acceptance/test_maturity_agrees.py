"""The portfolio page and a subject's "what next" list agree with its assessments; the ML
Test Score the product computes (through the API) is the paper's rule at every band
boundary. The rule itself, for any answers, is proved in tests/maturity/test_scoring.py
(`test_any_answers_score_as_the_papers_rule`, a property test against a hand implementation);
here its hand implementation is reused, not written again."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from maturity import rubrics
from maturity.models import MaturityModel
from maturity.services import assessment_create
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory, TeamMembershipFactory
from tests.maturity.test_scoring import BOUNDARIES, TABLE_V, _uniform, paper_score

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def _sections(points: dict[str, int]) -> dict[str, str]:
    """Each section's first `points[section]` tests automated."""
    answers = {}
    for section, n in points.items():
        codes = [c for s, c, _, _ in rubrics.ML_TEST_SCORE_TESTS if s == section]
        answers.update({code: "automated" for code in codes[:n]})
    return answers


@pytest.fixture
def mts():
    return MaturityModel.objects.get(slug="ml-test-score")


def test_the_portfolio_and_what_next_agree_with_the_latest_assessment(
    client, token_client, alice, team, mts
):
    other_team = TeamFactory(name="Pricing", slug="pricing")
    TeamMembershipFactory(team=other_team, user=alice)
    forecast = DesignDocFactory(title="Forecast", owner_team=team, product_owner=alice)
    pricing = DesignDocFactory(title="Pricing", owner_team=other_team, product_owner=alice)
    now = timezone.now()
    assessment_create(actor=alice, subject=forecast, model=mts, assessed_at=now - timedelta(days=60),
                      answers=_sections({"data": 1, "model": 1, "infra": 1, "monitor": 1}))  # fmt: skip
    latest = assessment_create(
        actor=alice, subject=forecast, model=mts, assessed_at=now - timedelta(days=1),
        answers=_sections({"data": 4, "model": 3, "infra": 5, "monitor": 3}),
    )  # fmt: skip
    # An older assessment recorded afterwards (a paper review typed in late) is history,
    # not the current score.
    assessment_create(actor=alice, subject=forecast, model=mts, assessed_at=now - timedelta(days=30),
                      answers={})  # fmt: skip
    assessment_create(actor=alice, subject=pricing, model=mts,
                      answers=_sections({"data": 2, "model": 2, "infra": 2, "monitor": 2}))  # fmt: skip
    assert latest.score == 3 and latest.band == "3"

    client.force_login(alice)
    page = client.get("/maturity/").content.decode()
    bands = dict(re.findall(r"<li>Band (\w+): (\d+)</li>", page))
    assert bands == {"2": "1", "3": "1"}
    assert re.search(r"Fraud Detection</text>.*?mean 3\.00 · 1 subject<", page)
    assert re.search(r"Pricing</text>.*?mean 2\.00 · 1 subject<", page)

    api = token_client(alice)
    fact = api.get(f"/api/designdocs/{forecast.pk}/").json()["facts"]["maturity"]
    assert (fact["assessment"], fact["score"], fact["band"]) == (latest.pk, "3.00", "3")
    steps = api.get(f"/api/assessments/{latest.pk}/what-next/").json()
    # Model and monitor both sit at 3, the minimum: one more test of either leaves the
    # minimum at 3, so nothing raises the band alone; the items holding the score are
    # those of the two weakest sections.
    assert {s["item"].split("-")[0] for s in steps if s["holds_back"]} == {"model", "monitor"}
    assert all(s["answer"] != "automated" for s in steps)
    assert not any(s["raises_band"] for s in steps)

    doc_page = client.get(forecast.get_absolute_url()).content.decode()
    assert "ML Test Score 3.00</a> — band 3" in doc_page
    listed = doc_page.split("<h3>What next</h3>")[1].split("</ol>")[0]
    shown = re.findall(r"<li>(\S+) ", listed)
    assert len(shown) == 10 and shown == [s["item"] for s in steps][:10]


@pytest.mark.parametrize("value", BOUNDARIES, ids=[str(float(b)) for b in BOUNDARIES])
def test_the_products_ml_test_score_is_the_papers_rule_at_every_band_boundary(
    token_client, alice, team, value
):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    answers = _uniform(value)
    response = token_client(alice).post(
        "/api/assessments/",
        {"subject_type": "designdoc", "subject_id": doc.pk, "model": "ml-test-score",
         "answers": answers}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    final, band = paper_score(answers)
    assert (Fraction(body["score"]), body["band"]) == (final, band)
    assert body["band_label"] == TABLE_V[band]
