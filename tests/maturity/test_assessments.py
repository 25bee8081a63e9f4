"""Assessments: recorded with the model version, never overwritten, compared item by
item; what next agrees with them; evidence from the registry; the portfolio and the facts
shown on design docs, at a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maturity.evidence import prefill, scorecard
from maturity.models import Assessment, MaturityModel
from maturity.selectors import portfolio, summary_of
from maturity.services import assessment_create
from registry.core.errors import DomainError, PermissionDeniedError
from tests.designdocs.factories import DesignDocFactory, FullDesignDocFactory
from tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mts():
    return MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="ml-test-score"
    )


def every(section_points: int, model) -> dict[str, str]:
    answers = {}
    for category in model.categories.all():
        codes = [i.code for i in model.items.all() if i.category_id == category.pk]
        for code in codes[:section_points]:
            answers[code] = "automated"
    return answers


def test_an_assessment_stores_score_band_and_model_version_and_history_is_kept(alice, team, mts):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    first = assessment_create(actor=alice, subject=doc, model=mts, answers=every(1, mts),
                              assessed_at=timezone.now() - timedelta(days=60))  # fmt: skip
    second = assessment_create(
        actor=alice, subject=doc, model=mts,
        answers={**every(3, mts), "data-4": {"value": "manual", "evidence_links":
                 ["https://ci.example/run/1"], "comment": "Run by hand"}},
    )  # fmt: skip
    assert (first.score, first.band, first.model_version) == (1, "1", 1)
    assert (second.score, second.band) == (3, "3")
    assert Assessment.objects.count() == 2 and first.answers.count() == 28
    with pytest.raises(Exception, match="never edited"):
        first.notes = "rewritten"
        first.save()
    summary = summary_of(doc)
    assert summary["score"] == "3.00" and summary["svg"].startswith("<svg")


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"nope-1": "automated"}, "answers"), ({"data-1": "yes"}, "answers.data-1"),
     ({"data-1": {"value": "manual", "evidence_links": ["javascript:alert(1)"]}},
      "answers.data-1"), ({"data-1": {"value": "manual", "x": 1}}, "answers.data-1")],
)  # fmt: skip
def test_bad_answers_are_refused_naming_the_item(alice, team, mts, answers, field):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    with pytest.raises(DomainError) as refused:
        assessment_create(actor=alice, subject=doc, model=mts, answers=answers)
    assert field in refused.value.errors and not Assessment.objects.exists()


def test_only_product_owners_and_architects_of_the_team_assess(alice, dave, bob, team, mts):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    for user in (dave, bob):  # a viewer; an architect outside the team
        with pytest.raises(PermissionDeniedError):
            assessment_create(actor=user, subject=doc, model=mts, answers={})


def test_api_create_compare_and_what_next_agree_with_the_assessments(
    token_client, alice, team, mts
):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client = token_client(alice)
    bodies = [every(2, mts), {**every(2, mts), "data-3": "automated", "model-3": "manual"}]
    ids = []
    for answers in bodies:
        response = client.post(
            "/api/assessments/",
            {"subject_type": "designdoc", "subject_id": doc.pk, "model": "ml-test-score",
             "answers": answers}, format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    compared = client.get("/api/assessments/compare/", {"a": ids[0], "b": ids[1]}).json()
    assert {r["item"] for r in compared["items"] if r["changed"]} == {"data-3", "model-3"}
    steps = client.get(f"/api/assessments/{ids[1]}/what-next/").json()
    # Infra and monitor sit at 2 (the minimum): their items hold the score; data's do not.
    holding = {s["item"].split("-")[0] for s in steps if s["holds_back"]}
    assert holding == {"infra", "monitor"}
    assert client.get(f"/api/designdocs/{doc.pk}/").json()["facts"]["maturity"]["score"] == "2.00"
    page = client.get("/api/assessments/", {"subject_type": "designdoc", "subject_id": doc.pk})
    assert page.json()["count"] == 2
    assert client.get("/api/assessments/", {"subject_type": "x"}).status_code == 400


def test_staff_define_their_own_model_through_the_api(token_client, superuser, alice):
    body = {"slug": "our-rubric", "name": "Our rubric", "rule": "weighted",
            "not_applicable_rule": "Left out of the sum.",
            "categories": [{"code": "docs", "title": "Docs", "items": [
                {"code": "d1", "title": "Documented", "weight": "2"},
                {"code": "d2", "title": "Reviewed"}]}],
            "bands": [{"code": "low", "label": "Low", "lower": "0", "lower_inclusive": True,
                       "upper": "50"}, {"code": "high", "label": "High", "lower": "50"}]}  # fmt: skip
    assert token_client(alice).post("/api/maturity-models/", body, format="json").status_code == 403
    response = token_client(superuser).post("/api/maturity-models/", body, format="json")
    assert response.status_code == 201, response.content
    assert [i["code"] for i in response.json()["items"]] == ["d1", "d2"]


def test_evidence_scorecard_links_to_the_evidence_and_prefills_matching_items(alice, team):
    doc = FullDesignDocFactory(owner_team=team, product_owner=alice)
    card = {row.check.key: row.finding for row in scorecard(doc)}
    assert card["raci"].passed and card["success_criteria"].passed and card["monitoring"].passed
    assert not card["approval"].passed
    assert card["raci"].url.endswith("#section-raci")
    assert prefill(doc, "marvelous-mlops")["1.1.2"] == "yes"


def test_portfolio_and_doc_list_facts_run_a_fixed_number_of_queries(
    alice, mts, django_assert_max_num_queries, token_client
):
    def grow(n):
        for _ in range(n):
            team = TeamFactory()
            TeamMembershipFactory(team=team, user=alice)
            alice.__dict__.pop("_registry_team_ids", None)
            doc = DesignDocFactory(owner_team=team, product_owner=alice)
            assessment_create(actor=alice, subject=doc, model=mts, answers=every(2, mts))

    grow(2)
    with django_assert_max_num_queries(12) as small:
        portfolio(user=alice)
    grow(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = portfolio(user=alice)
    assert result["subjects"] == 8 and len(result["heat"]) == 8
    client = token_client(alice)
    client.get("/api/designdocs/")
    with django_assert_max_num_queries(20) as listed:
        client.get("/api/designdocs/", {"limit": 3})
    with django_assert_max_num_queries(len(listed.captured_queries)):
        rows = client.get("/api/designdocs/", {"limit": 8}).json()["results"]
    assert all(r["facts"]["maturity"]["score"] == "2.00" for r in rows)


@pytest.mark.embedded
def test_the_portfolio_page_draws_its_charts_as_svg(client, alice, team, mts):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    assessment_create(actor=alice, subject=doc, model=mts, answers=every(4, mts))
    client.force_login(alice)
    page = client.get("/maturity/").content.decode()
    assert page.count("<svg") >= 4 and "Maturity by team" in page and "Lifecycle funnel" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
