"""The 5x5 risk matrix against NIST SP 800-30 Rev. 1, Table I-2, and the rule that high and
very high risks need a mitigation and an owner."""

from __future__ import annotations

import pytest

from designdocs.choices import RiskLevel
from designdocs.content import ContentValidator
from designdocs.models import Risk
from designdocs.risk import risk_level, risk_score
from tests.designdocs.factories import risk_row

SCALE = ("Very Low", "Low", "Moderate", "High", "Very High")  # 1..5 on both axes

# Table I-2 as printed (reference/maturity-and-risk.md 3.4): likelihood rows from Very High
# down, impact columns Very Low .. Very High. Written out in words on purpose, so that a
# transcription error in designdocs.risk cannot hide behind the same encoding here.
TABLE_I_2 = {
    "Very High": ("Very Low", "Low", "Moderate", "High", "Very High"),
    "High": ("Very Low", "Low", "Moderate", "High", "Very High"),
    "Moderate": ("Very Low", "Low", "Moderate", "Moderate", "High"),
    "Low": ("Very Low", "Low", "Low", "Low", "Moderate"),
    "Very Low": ("Very Low", "Very Low", "Very Low", "Low", "Low"),
}
LEVEL_BY_WORDS = {
    "Very Low": RiskLevel.VERY_LOW,
    "Low": RiskLevel.LOW,
    "Moderate": RiskLevel.MODERATE,
    "High": RiskLevel.HIGH,
    "Very High": RiskLevel.VERY_HIGH,
}

CELLS = [
    (SCALE.index(likelihood) + 1, SCALE.index(impact) + 1, LEVEL_BY_WORDS[expected])
    for likelihood, row in TABLE_I_2.items()
    for impact, expected in zip(SCALE, row, strict=True)
]


def test_table_fixture_has_all_25_cells():
    assert len(CELLS) == 25
    assert {(likelihood, impact) for likelihood, impact, _ in CELLS} == {
        (likelihood, impact) for likelihood in range(1, 6) for impact in range(1, 6)
    }


@pytest.mark.embedded
@pytest.mark.parametrize(("likelihood", "impact", "expected"), CELLS)
def test_risk_level_matches_nist_table_i_2(likelihood, impact, expected):
    assert risk_level(likelihood, impact) == expected


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (3, 5, RiskLevel.HIGH),  # L=Moderate, I=Very High
        (1, 5, RiskLevel.LOW),  # L=Very Low, I=Very High
        (5, 5, RiskLevel.VERY_HIGH),
        (1, 1, RiskLevel.VERY_LOW),
        (2, 5, RiskLevel.MODERATE),  # L=Low, I=Very High
    ],
)
def test_risk_level_reference_spot_checks(likelihood, impact, expected):
    assert risk_level(likelihood, impact) == expected


@pytest.mark.embedded
def test_risk_matrix_is_asymmetric_so_swapped_axes_are_caught():
    # (L=Very Low, I=High) -> Low, but (L=High, I=Very Low) -> Very Low.
    assert risk_level(likelihood=1, impact=4) == RiskLevel.LOW
    assert risk_level(likelihood=4, impact=1) == RiskLevel.VERY_LOW


@pytest.mark.embedded
@pytest.mark.parametrize(("likelihood", "impact"), [(1, 1), (2, 3), (3, 2), (4, 5), (5, 5)])
def test_risk_score_is_likelihood_times_impact(likelihood, impact):
    assert risk_score(likelihood, impact) == likelihood * impact


def test_risk_model_score_and_level_use_the_matrix():
    risk = Risk(title="t", category="data", likelihood=1, impact=4)
    assert risk.score == 4
    assert risk.level == RiskLevel.LOW
    risk = Risk(title="t", category="data", likelihood=4, impact=1)
    assert risk.score == 4
    assert risk.level == RiskLevel.VERY_LOW


def _rule_errors(*rows):
    validator = ContentValidator()
    content = validator.normalize(
        {"title": "t", "owner_team": "t", "product_owner": "p", "risks": list(rows)}
    )
    assert not validator.errors, validator.errors
    validator.check_rules(content)
    return dict(validator.errors)


@pytest.mark.embedded
@pytest.mark.parametrize(("likelihood", "impact"), [(3, 5), (4, 4), (5, 4), (5, 5)])
def test_high_or_very_high_risk_without_mitigation_and_owner_is_refused_naming_row_and_field(
    likelihood, impact
):
    errors = _rule_errors(
        risk_row("Harmless", likelihood=1, impact=1),
        risk_row("Data leak", likelihood=likelihood, impact=impact),
    )
    assert set(errors) == {"risks.1.mitigation", "risks.1.owner"}
    level = risk_level(likelihood, impact).label.lower()
    assert errors["risks.1.mitigation"] == [
        f"Risks, row 2 (“Data leak”, {level} risk): a mitigation is required."
    ]
    assert errors["risks.1.owner"] == [
        f"Risks, row 2 (“Data leak”, {level} risk): an owner is required."
    ]


@pytest.mark.embedded
def test_high_risk_with_mitigation_but_no_owner_names_only_the_owner():
    errors = _rule_errors(risk_row("Data leak", likelihood=4, impact=4, mitigation="Encrypt."))
    assert list(errors) == ["risks.0.owner"]


@pytest.mark.embedded
def test_high_risk_with_mitigation_and_owner_is_accepted():
    assert (
        _rule_errors(
            risk_row("Data leak", likelihood=5, impact=5, mitigation="Encrypt.", owner="alice")
        )
        == {}
    )


@pytest.mark.embedded
@pytest.mark.parametrize(("likelihood", "impact"), [(3, 3), (3, 4), (2, 5), (5, 3), (1, 5)])
def test_moderate_or_lower_risk_needs_neither_mitigation_nor_owner(likelihood, impact):
    assert risk_level(likelihood, impact) in (RiskLevel.MODERATE, RiskLevel.LOW)
    assert _rule_errors(risk_row(likelihood=likelihood, impact=impact)) == {}
