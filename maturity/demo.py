"""Demo data: the demo docs classified through the questionnaire (and a credit-scoring doc,
Annex III 5(b), high risk), and ML Test Score assessments over a year for several
solutions, so that trends and the portfolio are not empty. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from designdocs.models import DesignDoc
from designdocs.services import designdoc_create
from maturity.models import Assessment, MaturityModel
from maturity.services import assessment_create, classification_answer

NO_RISK = {"art5_practices": [], "annex_i_safety_component": False, "annex_iii_point": "",
           "profiles_natural_persons": False, "art6_3_condition": "none"}  # fmt: skip
CLASSIFY = {
    "Demand forecasting for fresh products": {**NO_RISK, "art50_transparency": False},
    "Price elasticity by product family": {**NO_RISK, "art50_transparency": False},
    "Product recommendations on the product page": {**NO_RISK, "art50_transparency": True},
    "Churn prediction for loyalty members": {**NO_RISK, "art50_transparency": False},
    "Customer service ticket routing": {**NO_RISK, "art50_transparency": False},
    "Weekly sales forecast (spreadsheet model)": {**NO_RISK, "art50_transparency": False},
    "Applicant screening for store jobs": {
        **NO_RISK, "annex_iii_point": "4a", "profiles_natural_persons": True,
        "art6_3_condition": "none", "art50_transparency": False,
    },
    "Credit scoring for consumer loans": {
        **NO_RISK, "annex_iii_point": "5b", "profiles_natural_persons": True,
        "art6_3_condition": "d", "art50_transparency": False,
    },
}  # fmt: skip
CREDIT = {
    "problem_statement": "Score consumer-loan applicants' creditworthiness from their "
    "application and bureau data, to decide and price loans.",
    "data": "Application forms, credit bureau records, repayment history.",
    "risks": [{"title": "Bias against protected groups", "category": "fairness",
               "likelihood": 3, "impact": 5, "mitigation": "Fairness tests per release",
               "owner": "alice", "status": "open"}],
}  # fmt: skip
#: (doc title, months ago, tests automated, tests manual) per assessment, oldest first.
HISTORY = {
    "Demand forecasting for fresh products": [(11, 0, 4), (7, 2, 6), (3, 7, 4), (0, 10, 8)],
    "Price elasticity by product family": [(9, 0, 2), (4, 1, 5), (1, 4, 6)],
    "Product recommendations on the product page": [(10, 1, 3), (5, 4, 6), (0, 8, 10)],
}


def _answers(model: MaturityModel, automated: int, manual: int) -> dict[str, str]:
    """The first `automated` tests of every section automated, the next `manual` manual
    (spread over the four sections, so the minimum moves)."""
    answers = {}
    for category in model.categories.all():
        codes = [i.code for i in model.items.all() if i.category_id == category.pk]
        per_auto, per_manual = automated // 4, manual // 4
        for n, code in enumerate(codes):
            if n < per_auto:
                answers[code] = "automated"
            elif n < per_auto + per_manual:
                answers[code] = "manual"
    return answers


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["alice", "erin"])}
    if "alice" not in users:
        return "0 classifications (no demo users)"
    if not DesignDoc.objects.filter(title="Credit scoring for consumer loans").exists():
        designdoc_create(user=users["alice"], title="Credit scoring for consumer loans",
                         owner_team="pricing-ml", content=CREDIT, message="Draft")  # fmt: skip
    classified = 0
    for title, answers in CLASSIFY.items():
        doc = DesignDoc.objects.filter(title=title).select_related("product_owner").first()
        if doc is not None and not doc.classifications.exists():
            classification_answer(doc=doc, actor=doc.product_owner, answers=answers)
            classified += 1
    model = (
        MaturityModel.objects.prefetch_related("categories", "items")
        .filter(slug="ml-test-score")
        .first()
    )
    assessed = 0
    now = timezone.now()
    for title, history in HISTORY.items():
        doc = DesignDoc.objects.filter(title=title).select_related("product_owner").first()
        if doc is None or model is None or Assessment.objects.filter(subject_id=doc.pk).exists():
            continue
        for months, automated, manual in history:
            assessment_create(
                actor=doc.product_owner, subject=doc, model=model,
                answers=_answers(model, automated * 4 // 4, manual),
                assessed_at=now - timedelta(days=30 * months), notes="Demo assessment",
            )  # fmt: skip
            assessed += 1
    return f"{classified} classifications, {assessed} assessments"
