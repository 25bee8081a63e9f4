"""The maturity panel of a design doc's page (slot designdocs.dashboard.DESIGNDOC_PANELS):
the EU AI Act classification with its reasons and the questionnaire, the Chapter III
coverage of a high-risk doc, the evidence scorecard, the current maturity and what next."""

from __future__ import annotations

from designdocs.content import content_of
from maturity import classification as rules_of_the_act
from maturity import evidence
from maturity.forms import ClassificationForm
from maturity.selectors import assessments_of, current_classification, what_next_of


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
    }
