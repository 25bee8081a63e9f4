"""The 5x5 risk matrix: likelihood x impact -> level.

Levels follow NIST SP 800-30 Rev. 1, Appendix I, Table I-2 ("level of risk, combination of
likelihood and impact"), with 1..5 standing for Very Low..Very High on both axes. The table
is not symmetric: (likelihood 1, impact 4) is Low, (likelihood 4, impact 1) is Very Low.
The numeric score likelihood x impact (1..25) is a common convention, shown for sorting.
"""

from __future__ import annotations

from designdocs.choices import RiskLevel

_VL, _L, _M, _H, _VH = (
    RiskLevel.VERY_LOW,
    RiskLevel.LOW,
    RiskLevel.MODERATE,
    RiskLevel.HIGH,
    RiskLevel.VERY_HIGH,
)

# RISK_MATRIX[likelihood][impact], both 1..5 (index 0 unused).
RISK_MATRIX: dict[int, dict[int, RiskLevel]] = {
    5: {1: _VL, 2: _L, 3: _M, 4: _H, 5: _VH},
    4: {1: _VL, 2: _L, 3: _M, 4: _H, 5: _VH},
    3: {1: _VL, 2: _L, 3: _M, 4: _M, 5: _H},
    2: {1: _VL, 2: _L, 3: _L, 4: _L, 5: _M},
    1: {1: _VL, 2: _VL, 3: _VL, 4: _L, 5: _L},
}

#: Levels at which a risk must have a mitigation and an owner.
LEVELS_NEEDING_TREATMENT = frozenset({RiskLevel.HIGH, RiskLevel.VERY_HIGH})


def risk_level(likelihood: int, impact: int) -> RiskLevel:
    return RISK_MATRIX[likelihood][impact]


def risk_score(likelihood: int, impact: int) -> int:
    return likelihood * impact
