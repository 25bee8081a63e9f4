"""Template helpers of the design-doc pages."""

from __future__ import annotations

import json

from django import template

from designdocs.risk import RISK_MATRIX, risk_level, risk_score

register = template.Library()


@register.filter
def short_label(label: str) -> str:
    """A choice label without its parenthesised gloss, for badges:
    "Limited risk (transparency obligations)" -> "Limited risk"."""
    return str(label).split(" (", 1)[0]


def _scale(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 5 else None


@register.filter
def risk_of(form) -> dict | None:
    """The level and score of a risk row's form as it stands (bound data or initial): what
    the editor shows beside likelihood and impact. None while either is missing."""
    likelihood, impact = _scale(form["likelihood"].value()), _scale(form["impact"].value())
    if likelihood is None or impact is None:
        return None
    level = risk_level(likelihood, impact)
    return {"value": level.value, "label": level.label, "score": risk_score(likelihood, impact)}


@register.simple_tag
def risk_matrix_json() -> str:
    """The 5x5 matrix for the editor's script, which updates the level as the selects
    change: {"likelihood,impact": [level value, level label]}."""
    return json.dumps(
        {
            f"{likelihood},{impact}": [level.value, level.label]
            for likelihood, row in RISK_MATRIX.items()
            for impact, level in row.items()
        },
        sort_keys=True,
    )
