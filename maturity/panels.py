"""Maturity's panels on other apps' pages. A design doc's page (slot
designdocs.dashboard.DESIGNDOC_PANELS): the EU AI Act classification with its reasons and the
questionnaire, the Chapter III coverage of a high-risk doc, the evidence scorecard, the
current maturity and what next. A component's and an architecture example's page (slots
"component-badges"/"component", "architecture-badges"/"architecture"): a badge with the
current maturity, and a box with the scorecard, what next and an "Assess" link."""

from __future__ import annotations

from django.urls import reverse

from designdocs.content import content_of
from maturity import classification as rules_of_the_act
from maturity import evidence, subjects
from maturity.forms import ClassificationForm
from maturity.models import Assessment
from maturity.selectors import assessments_of, current_classification, what_next_of
from registry.core import panels as core_panels


def doc_panel(request, doc) -> dict:
    current = current_classification(doc)
    user = request.user
    assessments = list(assessments_of(doc, user=user)[:10])
    latest = assessments[0] if assessments else None
    return {
        "doc": doc,
        "classification": current,
        "form": ClassificationForm(initial=current.answers if current else None),
        "can_classify": user.has_perm("designdocs.classify_designdoc", doc),
        "coverage": rules_of_the_act.chapter_iii_coverage(content_of(doc))
        if doc.risk_tier == "high"
        else None,
        "scorecard": evidence.scorecard(doc),
        "assessments": assessments,
        "latest": latest,
        "next_steps": what_next_of(latest)[:10] if latest else [],
        **_assess(user, doc),
    }


def _assess(user, subject) -> dict:
    """The "Assess" link of a subject, for whoever may assess it (the service's rule)."""
    subject_type = subjects.of(subject)
    probe = Assessment(team_id=subject_type.team_id(subject))
    return {
        "can_assess": user.has_perm("maturity.add_assessment", probe),
        "assess_url": reverse(
            "maturity:assess", kwargs={"subject_type": subject_type.key, "pk": subject.pk}
        ),
    }


def entry_badge(request, obj) -> dict:
    """The current maturity of a catalogue entry beside its lifecycle badge."""
    return {"latest": assessments_of(obj, user=request.user).first()}


def entry_box(request, obj) -> dict:
    """A catalogue entry's current maturity, what next, its automatic evidence and the
    "Assess" link."""
    assessments = list(assessments_of(obj, user=request.user)[:5])
    latest = assessments[0] if assessments else None
    return {
        "obj": obj,
        "latest": latest,
        "assessments": assessments,
        "next_steps": what_next_of(latest)[:5] if latest else [],
        "scorecard": evidence.scorecard(obj),
        **_assess(request.user, obj),
    }


def register_catalogue_panels() -> None:
    for prefix in ("component", "architecture"):
        core_panels.register(core_panels.Panel(
            f"maturity-{prefix}-badge", "maturity/panels/badge.html", context=entry_badge,
            slot=f"{prefix}-badges",
        ))  # fmt: skip
        core_panels.register(core_panels.Panel(
            f"maturity-{prefix}", "maturity/panels/entry.html", context=entry_box, slot=prefix,
        ))  # fmt: skip
