"""Scoring rules as pure functions: no database, no Django. The models' rows are turned
into a `Rubric` (maturity.selectors.rubric_of) and answers are {item code: value}.

Rules:

- `ml_test_score` (Breck et al. 2017, section VI.A): a test scores 0 (not done), 0.5
  (manual, results documented and distributed) or 1 (automated, repeated); automated
  replaces manual. Each section sums its tests; the final score is the minimum of the
  section sums; the band is Table V's half-open interval holding it.
- `levels` (Microsoft MLOps maturity): each item is one area's characteristics at one level.
  An area is at the highest level L whose items, and those of every level below, hold
  ("yes"); the solution's level is the lowest level of its areas (our reading: the model
  describes each area by level and states no aggregation rule).
- `all_yes` (Marvelous MLOps): mature when every statement of the categories flagged
  `required` holds; the score is the share of statements that hold.
- `weighted` (staff-defined): score = 100 * sum(weight * points) / sum(weight) over the items
  that apply, points 1 for yes/automated, 0.5 for manual, 0 for no; bands from the model.

"Not applicable" (decided per rule and written on each model's `not_applicable_rule`):
ML Test Score: a test that does not apply scores 0, as a test not done (the paper defines no
N/A; a score must not rise by declaring tests away); `levels` and `all_yes`: the statement is
taken as holding (the statements themselves are conditional, e.g. "For real time inference
use cases ..."); `weighted`: the item leaves the sum and the denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

NO, MANUAL, AUTOMATED, YES, NOT_APPLICABLE = "no", "manual", "automated", "yes", "not_applicable"
ANSWERS_BY_RULE: dict[str, tuple[str, ...]] = {
    "ml_test_score": (NO, MANUAL, AUTOMATED, NOT_APPLICABLE),
    "levels": (NO, YES, NOT_APPLICABLE),
    "all_yes": (NO, YES, NOT_APPLICABLE),
    "weighted": (NO, MANUAL, YES, NOT_APPLICABLE),
}
#: The best answer of each rule (what "doing the item" means in "what next").
BEST = {"ml_test_score": AUTOMATED, "levels": YES, "all_yes": YES, "weighted": YES}
POINTS = {NO: Decimal("0"), MANUAL: Decimal("0.5"), AUTOMATED: Decimal("1"), YES: Decimal("1")}


@dataclass(frozen=True)
class Item:
    code: str
    category: str
    weight: Decimal = Decimal("1")
    level: int | None = None


@dataclass(frozen=True)
class Band:
    """A half-open interval (lower, upper] of scores; `lower_inclusive` closes it below
    (Table V's band 0 is [0, 0]); None is unbounded on that side."""

    code: str
    label: str
    lower: Decimal | None
    upper: Decimal | None
    lower_inclusive: bool = False

    def holds(self, score: Decimal) -> bool:
        below = self.lower is not None and (
            score < self.lower or (score == self.lower and not self.lower_inclusive)
        )
        if below:
            return False
        return self.upper is None or score <= self.upper


@dataclass(frozen=True)
class Rubric:
    rule: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    categories: tuple[str, ...] = ()
    #: all_yes: the categories whose every statement must hold.
    required_categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Result:
    score: Decimal
    band: str  # band code, level number, "mature"/"not_mature"
    label: str
    by_category: dict[str, Decimal] = field(default_factory=dict)


def points(answer: str | None) -> Decimal:
    """ML Test Score points of one test: N/A and unanswered score as not done."""
    return POINTS.get(answer or NO, Decimal("0")) if answer != NOT_APPLICABLE else Decimal("0")


def band_of(bands: tuple[Band, ...], score: Decimal) -> Band | None:
    return next((band for band in bands if band.holds(score)), None)


def _holds(answer: str | None) -> bool:
    return answer in (YES, NOT_APPLICABLE)


def score(rubric: Rubric, answers: dict[str, str]) -> Result:
    if rubric.rule == "ml_test_score":
        sums = {c: Decimal("0") for c in rubric.categories}
        for item in rubric.items:
            sums[item.category] = sums.get(item.category, Decimal("0")) + points(
                answers.get(item.code)
            )
        final = min(sums.values()) if sums else Decimal("0")
        band = band_of(rubric.bands, final)
        return Result(final, band.code if band else "", band.label if band else "", sums)
    if rubric.rule == "levels":
        by_area = {}
        for area in rubric.categories:
            items = sorted((i for i in rubric.items if i.category == area), key=lambda i: i.level)
            level = -1
            for item in items:
                if _holds(answers.get(item.code)):
                    level = item.level
                else:
                    break
            by_area[area] = Decimal(max(level, 0))
        final = min(by_area.values()) if by_area else Decimal("0")
        band = next((b for b in rubric.bands if b.code == str(int(final))), None)
        return Result(final, str(int(final)), band.label if band else f"Level {final}", by_area)
    if rubric.rule == "all_yes":
        by_category: dict[str, Decimal] = {}
        for category in rubric.categories:
            items = [i for i in rubric.items if i.category == category]
            held = sum(1 for i in items if _holds(answers.get(i.code)))
            by_category[category] = Decimal(held)
        total = len(rubric.items)
        held = sum(by_category.values())
        share = (Decimal(held) * 100 / total).quantize(Decimal("0.1")) if total else Decimal("0")
        required = [i for i in rubric.items if i.category in rubric.required_categories]
        mature = all(_holds(answers.get(i.code)) for i in required)
        return Result(
            share,
            "mature" if mature else "not_mature",
            "MLOps mature" if mature else "Not yet MLOps mature",
            by_category,
        )
    if rubric.rule == "weighted":
        num, den = Decimal("0"), Decimal("0")
        by_category = {}
        for item in rubric.items:
            answer = answers.get(item.code)
            if answer == NOT_APPLICABLE:
                continue
            got = item.weight * POINTS.get(answer or NO, Decimal("0"))
            num += got
            den += item.weight
            by_category[item.category] = by_category.get(item.category, Decimal("0")) + got
        final = (num * 100 / den).quantize(Decimal("0.1")) if den else Decimal("0")
        band = band_of(rubric.bands, final)
        return Result(final, band.code if band else "", band.label if band else "", by_category)
    raise ValueError(f"Unknown scoring rule {rubric.rule!r}")


@dataclass(frozen=True)
class NextStep:
    item: str
    #: How much the score rises if this item alone is done (its best answer).
    effect: Decimal
    raises_band: bool
    #: The item is one of those holding the subject at its band (the weakest section of an
    #: ML Test Score, a missing statement of a required section, the next level's item).
    holds_back: bool


def what_next(rubric: Rubric, answers: dict[str, str]) -> list[NextStep]:
    """Every item not yet at its best answer, with what doing it alone would change,
    ordered by effect (band raised first, then score gained, then item order)."""
    now = score(rubric, answers)
    best = BEST[rubric.rule]
    steps = []
    order = {item.code: n for n, item in enumerate(rubric.items)}
    for item in rubric.items:
        if answers.get(item.code) == best:
            continue
        after = score(rubric, {**answers, item.code: best})
        effect = after.score - now.score
        raises = after.band != now.band
        holds_back = raises or effect > 0
        if rubric.rule == "ml_test_score":
            weakest = min(now.by_category.values()) if now.by_category else Decimal("0")
            holds_back = now.by_category.get(item.category) == weakest
        elif rubric.rule == "all_yes":
            holds_back = item.category in rubric.required_categories and not _holds(
                answers.get(item.code)
            )
        steps.append(NextStep(item.code, effect, raises, holds_back))
    steps.sort(key=lambda s: (not s.raises_band, -s.effect, not s.holds_back, order[s.item]))
    return steps
