"""The ML lifecycle of a solution (its design doc): the allowed moves and their guards.

The moves are data (`MOVES`): forward through problem definition, data collection and
preparation, model training, error analysis, deployment and monitoring; back where the work
really goes back (error analysis to data preparation or to training, monitoring to
training, data preparation to problem definition); to retired from anywhere. A document not
yet placed in the lifecycle may be placed at any stage (an existing solution is registered
where it stands), the guards of that stage applying.

A guard answers the sentence that refuses the move, or None. `designdocs.services.
designdoc_transition` runs them under the document's row lock and records the move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from designdocs.choices import MLStage

S = MLStage

#: (from, to) -> what the move means, shown on the button and in the timeline.
MOVES: dict[tuple[str, str], str] = {
    (S.PROBLEM_DEFINITION, S.DATA_PREPARATION): "Start collecting and preparing data",
    (S.DATA_PREPARATION, S.PROBLEM_DEFINITION): "Back to problem definition",
    (S.DATA_PREPARATION, S.MODEL_TRAINING): "Start training",
    (S.MODEL_TRAINING, S.DATA_PREPARATION): "Back to data preparation",
    (S.MODEL_TRAINING, S.ERROR_ANALYSIS): "Analyse errors",
    (S.ERROR_ANALYSIS, S.DATA_PREPARATION): "Back to data preparation",
    (S.ERROR_ANALYSIS, S.MODEL_TRAINING): "Back to training",
    (S.ERROR_ANALYSIS, S.DEPLOYMENT): "Deploy",
    (S.DEPLOYMENT, S.MONITORING): "Monitor in production",
    (S.MONITORING, S.MODEL_TRAINING): "Back to training (retrain)",
}
for _stage in S:
    if _stage not in (S.UNCLASSIFIED, S.RETIRED):
        MOVES[(_stage, S.RETIRED)] = "Retire"
    if _stage != S.UNCLASSIFIED:
        MOVES[(S.UNCLASSIFIED, _stage)] = f"Place at {_stage.label.lower()}"

#: The stages of the funnel, in order (what a portfolio counts).
ORDER: tuple[str, ...] = (
    S.PROBLEM_DEFINITION,
    S.DATA_PREPARATION,
    S.MODEL_TRAINING,
    S.ERROR_ANALYSIS,
    S.DEPLOYMENT,
    S.MONITORING,
    S.RETIRED,
)

REASON_MAX = 1000


def label(stage: str) -> str:
    return dict(MLStage.choices).get(stage, stage)


def _agreed_items(doc) -> list:
    return [item for item in doc.monitoring_items.all() if item.stakeholders.strip()]


def _guard_deployment(doc, reason: str) -> str | None:
    problems = []
    if not doc.is_approved:
        problems.append("an approved current revision (submit it for review and get it approved)")
    if not doc.monitoring_items.all():
        problems.append("a monitoring contract with at least one row")
    if problems:
        return "Entering deployment requires " + " and ".join(problems) + "."
    return None


def _guard_monitoring(doc, reason: str) -> str | None:
    if not doc.monitoring_items.all():
        return "Entering monitoring requires a monitoring contract; this document has none."
    if not _agreed_items(doc):
        return (
            "Entering monitoring requires a monitoring contract agreed by at least one "
            "stakeholder: name who agreed on a row of the monitoring contract."
        )
    return None


def _guard_retired(doc, reason: str) -> str | None:
    if not reason.strip():
        return "Retiring a solution requires a reason: say why it is retired."
    return None


#: Entering a stage -> its guard.
GUARDS: dict[str, Callable[[object, str], str | None]] = {
    S.DEPLOYMENT: _guard_deployment,
    S.MONITORING: _guard_monitoring,
    S.RETIRED: _guard_retired,
}


@dataclass(frozen=True)
class Move:
    to: str
    to_label: str
    label: str
    #: The sentence refusing it now, or "" when it is allowed.
    blocked_by: str

    @property
    def allowed(self) -> bool:
        return not self.blocked_by


def refusal(doc, to: str, reason: str = "") -> str | None:
    """Why `doc` may not move to `to` now (a sentence), or None."""
    if to not in MLStage.values:
        return f"“{to}” is not a lifecycle stage; one of: {', '.join(ORDER)}."
    if to == doc.stage:
        return f"The solution is already at {label(to).lower()}."
    if (doc.stage, to) not in MOVES:
        allowed = [label(t).lower() for (f, t) in MOVES if f == doc.stage]
        if not allowed:
            return f"A solution at {label(doc.stage).lower()} moves no further."
        return (
            f"A solution at {label(doc.stage).lower()} cannot move to {label(to).lower()}; "
            f"it can move to: {', '.join(allowed)}."
        )
    guard = GUARDS.get(to)
    return guard(doc, reason) if guard else None


def moves_of(doc) -> list[Move]:
    """The moves out of the document's stage, each with the sentence blocking it (if any).
    Retiring is offered as allowed: its reason comes with the request."""
    moves = []
    for (start, to), text in MOVES.items():
        if start != doc.stage:
            continue
        blocked = "" if to == S.RETIRED else (refusal(doc, to) or "")
        moves.append(Move(to=to, to_label=label(to), label=text, blocked_by=blocked))
    return moves
