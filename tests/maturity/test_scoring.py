"""The ML Test Score as the product computes it, against a hand implementation of the
paper's rule (Breck et al. 2017, section VI.A and Table V), for any answers and at every
band boundary; the other published models' facts and rules."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity import rubrics, scoring
from maturity.models import MaturityModel
from maturity.selectors import rubric_of

pytestmark = pytest.mark.django_db

TABLE_V = {
    "0": "More of a research project than a productionized system.",
    "1": "Not totally untested, but it is worth considering the possibility of serious holes in "
    "reliability.",
    "2": "There's been first pass at basic productionization, but additional investment may be "
    "needed.",
    "3": "Reasonably tested, but it's possible that more of those tests and procedures may be "
    "automated.",
    "4": "Strong levels of automated testing and monitoring, appropriate for mission-critical "
    "systems.",
    "5": "Exceptional levels of automated testing and monitoring.",
}


def paper_score(answers: dict[str, str]) -> tuple[Fraction, str]:
    """The paper's rule written out by hand, independent of maturity.scoring."""
    sums = {"data": Fraction(0), "model": Fraction(0), "infra": Fraction(0), "monitor": Fraction(0)}
    for section, code, _title, _heading in rubrics.ML_TEST_SCORE_TESTS:
        answer = answers.get(code, "no")
        sums[section] += Fraction(1) if answer == "automated" else (
            Fraction(1, 2) if answer == "manual" else Fraction(0))  # fmt: skip
    final = min(sums.values())
    if final == 0:
        band = "0"
    elif final <= 1:
        band = "1"
    elif final <= 2:
        band = "2"
    elif final <= 3:
        band = "3"
    elif final <= 5:
        band = "4"
    else:
        band = "5"
    return final, band


@pytest.fixture
def mts():
    return rubric_of(
        MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
            slug="ml-test-score"
        )
    )


CODES = [row[1] for row in rubrics.ML_TEST_SCORE_TESTS]
ANSWER = st.sampled_from(["no", "manual", "automated", "not_applicable"])


@settings(max_examples=300, deadline=None)
@given(answers=st.fixed_dictionaries({}, optional={c: ANSWER for c in CODES}))
def test_any_answers_score_as_the_papers_rule(answers):
    rubric = _rubric()
    result = scoring.score(rubric, answers)
    final, band = paper_score(answers)
    assert (Fraction(str(result.score)), result.band) == (final, band)
    assert result.label == TABLE_V[band]


_CACHE: dict = {}


def _rubric():
    if "r" not in _CACHE:
        _CACHE["r"] = rubric_of(
            MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
                slug="ml-test-score"
            )
        )
    return _CACHE["r"]


def _uniform(points_per_section: Fraction) -> dict[str, str]:
    """Every section at exactly `points_per_section` (whole points automated, a half manual)."""
    answers = {}
    for section in ("data", "model", "infra", "monitor"):
        codes = [c for s, c, _, _ in rubrics.ML_TEST_SCORE_TESTS if s == section]
        whole = int(points_per_section)
        for code in codes[:whole]:
            answers[code] = "automated"
        if points_per_section - whole:
            answers[codes[whole]] = "manual"
    return answers


BOUNDARIES = [Fraction(n, 2) for n in range(0, 15)]  # 0, 0.5, ..., 7


@pytest.mark.parametrize("value", BOUNDARIES, ids=[str(float(b)) for b in BOUNDARIES])
def test_every_band_boundary_falls_in_the_half_open_band_of_table_v(mts, value):
    answers = _uniform(value)
    result = scoring.score(mts, answers)
    assert Fraction(str(result.score)) == value
    assert result.band == paper_score(answers)[1]
    expected = {0: "0", 0.5: "1", 1: "1", 1.5: "2", 2: "2", 2.5: "3", 3: "3", 3.5: "4", 5: "4",
                5.5: "5", 7: "5"}  # fmt: skip
    if float(value) in expected:
        assert result.band == expected[float(value)]


def test_the_final_score_is_the_minimum_of_the_four_sections(mts):
    answers = {c: "automated" for s, c, _, _ in rubrics.ML_TEST_SCORE_TESTS if s != "monitor"}
    result = scoring.score(mts, answers)
    assert result.score == 0 and result.band == "0"
    assert result.by_category["data"] == 7


def test_automated_replaces_manual_a_test_scores_at_most_one():
    assert scoring.points("automated") == 1 and scoring.points("manual") == Decimal("0.5")
    assert scoring.points("not_applicable") == 0 == scoring.points(None)


def test_the_published_models_are_loaded_as_data_with_their_counts():
    mts = MaturityModel.objects.get(slug="ml-test-score")
    assert mts.items.count() == 28
    assert [c.items.count() for c in mts.categories.all()] == [7, 7, 7, 7]
    assert {b.code: b.label for b in mts.bands.all()} == TABLE_V
    ms = MaturityModel.objects.get(slug="microsoft-mlops")
    assert ms.categories.count() == 4 and ms.bands.count() == 5 and ms.items.count() == 20
    assert [b.label for b in ms.bands.all()][4] == "Full MLOps Automated Operations"
    retraining = "Retraining triggered automatically based on production metrics"
    assert [i.level for i in ms.items.all() if retraining in i.detail] == [4]
    mv = MaturityModel.objects.get(slug="marvelous-mlops")
    assert mv.items.count() == 56
    assert mv.items.filter(category__required=True).count() == 42
    assert [c.items.count() for c in mv.categories.all()] == [8, 16, 10, 8, 7, 4, 3]
    assert all(m.not_applicable_rule for m in (mts, ms, mv))


def test_marvelous_is_mature_only_when_every_statement_of_sections_1_to_4_holds():
    model = MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="marvelous-mlops"
    )
    rubric = rubric_of(model)
    core = {i.code: "yes" for i in model.items.filter(category__required=True)}
    assert scoring.score(rubric, core).band == "mature"
    assert scoring.score(rubric, {**core, "2.1.1": "no"}).band == "not_mature"
    assert scoring.score(rubric, {**core, "1.3.1": "not_applicable"}).band == "mature"


def test_microsoft_level_is_the_lowest_area_level_reached_in_order():
    model = MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="microsoft-mlops"
    )
    rubric = rubric_of(model)
    areas = [c.code for c in model.categories.all()]
    up_to_2 = {f"{a}-{lvl}": "yes" for a in areas for lvl in range(3)}
    result = scoring.score(rubric, up_to_2)
    assert (result.band, result.label) == ("2", "Automated Training")
    # A level-3 item without the level-2 one does not count.
    gap = {**up_to_2, "people-2": "no", "people-3": "yes"}
    assert scoring.score(rubric, gap).band == "1"


def test_what_next_puts_the_items_that_raise_the_band_first(mts):
    answers = _uniform(Fraction(3))  # band 3 everywhere
    steps = scoring.what_next(mts, answers)
    assert steps and all(not s.raises_band for s in steps)  # one test alone lifts one section
    answers = {**answers, **{c: "automated" for s, c, _, _ in rubrics.ML_TEST_SCORE_TESTS
                             if s != "data"}}  # fmt: skip
    steps = scoring.what_next(mts, answers)
    assert steps[0].raises_band and steps[0].item.startswith("data-")
    assert all(s.holds_back == s.item.startswith("data-") for s in steps)
