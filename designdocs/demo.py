"""Demo design documents for `manage.py seed_demo`, written through the services so that
they carry real revisions and audit events."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from designdocs import lifecycle
from designdocs.models import DesignDoc
from designdocs.services import designdoc_create, designdoc_transition, designdoc_update

#: Where each demo solution stands in the ML lifecycle (reached move by move). Deployment
#: needs an approved revision: the review app's demo approves, and moves, what it approves.
DEMO_STAGES = {
    "Demand forecasting for fresh products": "error_analysis",
    "Price elasticity by product family": "model_training",
    "Product recommendations on the product page": "error_analysis",
}


def _walk(doc: DesignDoc, user, to: str) -> None:
    """Move `doc` stage by stage (forward) up to `to`, each move recorded."""
    for stage in lifecycle.ORDER[: lifecycle.ORDER.index(to) + 1]:
        if doc.stage == stage or lifecycle.ORDER.index(stage) < _position(doc.stage):
            continue
        designdoc_transition(doc=doc, actor=user, to_stage=stage, reason="Demo data")


def _position(stage: str) -> int:
    return lifecycle.ORDER.index(stage) if stage in lifecycle.ORDER else -1


DEMAND_FORECASTING = {
    "co_authors": ["dave"],
    "problem_statement": (
        "Store replenishment orders are placed from a moving average of the last six weeks "
        "of sales. It ignores promotions, weather and local events, so fresh products run out "
        "on sunny weekends and are thrown away after rainy ones.\n\n"
        "We want a **daily forecast per store and product for the next 14 days**, consumed "
        "by the replenishment engine at 04:00 every morning."
    ),
    "business_value": (
        "- Fresh-food waste is 4.1 % of fresh sales today; every point is worth about "
        "EUR 6 M a year.\n"
        "- Out-of-stock on the top 500 products costs an estimated 1.2 % of sales.\n\n"
        "KPIs: waste rate, availability of the top 500 products, forecast WAPE."
    ),
    "architecture": (
        "Batch forecasting on the ML platform:\n\n"
        "1. Features are computed nightly in the feature store (sales, prices, promotions, "
        "weather, calendar).\n"
        "2. A LightGBM global model is retrained weekly by the training pipeline; every "
        "candidate is compared with the champion on the last 8 weeks (backtest).\n"
        "3. Forecasts are written to the `forecast_daily` table and exposed to the "
        "replenishment engine.\n\n"
        "| Component | Owner |\n|---|---|\n| Feature store | ML Platform |\n"
        "| Training pipeline | ML Platform |\n| Forecast job | Supply chain ML |"
    ),
    "data": (
        "Sales history (3 years, 1,200 stores x 40,000 products), promotions calendar, "
        "prices, weather forecasts from the national service. No personal data is used."
    ),
    "deployment_constraints": (
        "Forecasts must be ready by 04:00 local time; the batch has a 2-hour window and a "
        "budget of EUR 3,000 a month of compute."
    ),
    "alternatives": (
        "- Per-product ARIMA models: too many models to operate, weak on promotions.\n"
        "- Deep learning (TFT): better on long horizons, but 6x the training cost for "
        "+1 point of WAPE in our tests."
    ),
    "open_questions": "Should the forecast include an uncertainty band for safety stock?",
    "success_criteria": [
        {"metric": "WAPE (14-day horizon)", "baseline": "32 %", "target": "< 25 %",
         "measurement": "Weekly backtest on the last 8 weeks, all stores"},
        {"metric": "Fresh-food waste rate", "baseline": "4.1 %", "target": "3.5 %",
         "measurement": "Finance monthly report, pilot stores vs control stores"},
        {"metric": "Top-500 availability", "baseline": "96.2 %", "target": "97.5 %",
         "measurement": "Store audit data, daily"},
    ],
    "raci": [
        {"activity": "Design", "person": "alice", "role": "A"},
        {"activity": "Design", "team": "supply-chain-ml", "role": "R"},
        {"activity": "Design", "person": "bob", "role": "C"},
        {"activity": "Deploy", "team": "ml-platform", "role": "R"},
        {"activity": "Deploy", "person": "alice", "role": "A"},
        {"activity": "Deploy", "person": "dave", "role": "I"},
        {"activity": "Run", "team": "supply-chain-ml", "role": "R"},
        {"activity": "Run", "person": "alice", "role": "A"},
        {"activity": "Run", "team": "ml-platform", "role": "C"},
    ],
    "risks": [
        {"title": "Promotions calendar arrives late", "category": "data", "likelihood": 4,
         "impact": 4, "mitigation": "Fall back to last year's uplift per category and alert "
         "the promotions team.", "owner": "alice", "status": "in_progress"},
        {"title": "Model drifts after a price change", "category": "model", "likelihood": 3,
         "impact": 3, "mitigation": "Weekly retraining and drift monitoring.", "owner": "alice",
         "status": "open"},
        {"title": "Batch misses the 04:00 deadline", "category": "operational", "likelihood": 2,
         "impact": 5, "mitigation": "Serve yesterday's forecast shifted by one day.",
         "owner": "bob", "status": "open"},
        {"title": "Forecast bias against small stores", "category": "fairness", "likelihood": 2,
         "impact": 2, "mitigation": "", "owner": "", "status": "accepted"},
    ],
    "monitoring": [
        {"metric": "WAPE on yesterday's actuals", "threshold": "> 35 % for 3 days",
         "cadence": "Daily", "alert_owner": "supply-chain-ml on-call",
         "fallback": "Switch to the moving-average baseline",
         "stakeholders": "Alice Martin, Head of Replenishment"},
        {"metric": "Feature freshness", "threshold": "Older than 26 hours", "cadence": "Hourly",
         "alert_owner": "ml-platform on-call", "fallback": "Use the last complete snapshot",
         "stakeholders": "Bob Dupont"},
    ],
}  # fmt: skip

PRICE_ELASTICITY = {
    "problem_statement": (
        "Category managers set prices by rules of thumb. We want the price elasticity of "
        "demand per product family and region, to simulate the effect of a price change "
        "before it is made."
    ),
    "business_value": "A 0.5 point gross-margin gain on the 20 largest families (EUR 4 M).",
    "architecture": "Hierarchical Bayesian regression trained monthly; results in a dashboard.",
    "data": "Two years of transactions and prices, competitor prices from a market panel.",
    "success_criteria": [
        {"metric": "Out-of-sample MAPE of volume", "baseline": "n/a", "target": "< 15 %",
         "measurement": "Hold-out of the last quarter"},
    ],
    "raci": [
        {"activity": "Design", "person": "alice", "role": "A"},
        {"activity": "Design", "team": "pricing-ml", "role": "R"},
    ],
    "risks": [
        {"title": "Competitor panel stops", "category": "data", "likelihood": 2, "impact": 3,
         "mitigation": "", "owner": "", "status": "open"},
    ],
}  # fmt: skip

PRODUCT_RECOMMENDATION = {
    "problem_statement": (
        "The product page shows 'customers also bought' from a co-purchase count. It "
        "favours best sellers and says nothing for new products."
    ),
    "business_value": "Recommendation clicks +15 %, add-to-cart from recommendations +5 %.",
    "architecture": (
        "Two-tower retrieval model on product and session embeddings, re-ranked by a "
        "gradient-boosted model; served by the platform's real-time endpoint (p95 < 50 ms)."
    ),
    "data": (
        "Browsing sessions (pseudonymised, 90-day retention), catalogue attributes and images. "
        "Consent is checked upstream: sessions without analytics consent are excluded."
    ),
    "deployment_constraints": "p95 latency under 50 ms at 2,000 requests per second.",
    "alternatives": "Managed recommendation service: rejected for data-residency reasons.",
    "success_criteria": [
        {"metric": "Recommendation CTR", "baseline": "2.1 %", "target": "2.4 %",
         "measurement": "A/B test, 4 weeks, 10 % of traffic"},
        {"metric": "Catalogue coverage", "baseline": "18 %", "target": "40 %",
         "measurement": "Share of products recommended at least once a week"},
    ],
    "raci": [
        {"activity": "Design", "person": "erin", "role": "A"},
        {"activity": "Design", "team": "personalisation", "role": "R"},
        {"activity": "Deploy", "person": "erin", "role": "A"},
        {"activity": "Deploy", "team": "ml-platform", "role": "R"},
        {"activity": "Run", "person": "erin", "role": "A"},
        {"activity": "Run", "team": "personalisation", "role": "R"},
        {"activity": "Run", "person": "carol", "role": "I"},
    ],
    "risks": [
        {"title": "Filter bubble on returning customers", "category": "fairness",
         "likelihood": 3, "impact": 2, "mitigation": "Exploration slots (10 %).",
         "owner": "erin", "status": "open"},
        {"title": "Personal data in session logs", "category": "privacy", "likelihood": 2,
         "impact": 5, "mitigation": "Pseudonymisation at ingestion; 90-day retention.",
         "owner": "erin", "status": "closed"},
    ],
    "monitoring": [
        {"metric": "Endpoint p95 latency", "threshold": "> 50 ms for 5 minutes",
         "cadence": "Continuous", "alert_owner": "ml-platform on-call",
         "fallback": "Serve co-purchase recommendations", "stakeholders": "Erin Rossi"},
    ],
}  # fmt: skip


@transaction.atomic
def seed_design_docs() -> int:
    """Create the demo documents that are missing, each with a few revisions."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["alice", "erin"])}
    created = 0
    if not DesignDoc.objects.filter(title="Demand forecasting for fresh products").exists():
        first = {k: DEMAND_FORECASTING[k] for k in ("problem_statement", "business_value")}
        doc = designdoc_create(
            user=users["alice"],
            title="Demand forecasting for fresh products",
            owner_team="supply-chain-ml",
            content=first,
            message="First draft: problem and value",
        )
        rest = {k: v for k, v in DEMAND_FORECASTING.items() if k not in first}
        doc = designdoc_update(
            doc=doc, user=users["alice"], expected_version=doc.version, changes=rest,
            message="Architecture, RACI, risks and monitoring contract",
        ).design_doc  # fmt: skip
        designdoc_update(
            doc=doc,
            user=users["alice"],
            expected_version=doc.version,
            changes={
                "business_value": DEMAND_FORECASTING["business_value"].replace("4.1 %", "4.3 %")
            },
            message="Waste rate updated with the October figures",
        )
        created += 1
    if not DesignDoc.objects.filter(title="Price elasticity by product family").exists():
        doc = designdoc_create(
            user=users["alice"],
            title="Price elasticity by product family",
            owner_team="pricing-ml",
            content=PRICE_ELASTICITY,
            message="Draft",
        )
        designdoc_update(
            doc=doc,
            user=users["alice"],
            expected_version=doc.version,
            changes={
                "open_questions": "Do we model cross-elasticity between substitutes now or later?"
            },
            message="Open question from the category managers' workshop",
        )
        created += 1
    if not DesignDoc.objects.filter(title="Product recommendations on the product page").exists():
        doc = designdoc_create(
            user=users["erin"],
            title="Product recommendations on the product page",
            owner_team="personalisation",
            content={k: v for k, v in PRODUCT_RECOMMENDATION.items() if k != "monitoring"},
            message="Draft for review",
        )
        designdoc_update(
            doc=doc,
            user=users["erin"],
            expected_version=doc.version,
            changes={"monitoring": PRODUCT_RECOMMENDATION["monitoring"]},
            message="Monitoring contract agreed with the platform team",
        )
        created += 1
    for title, stage in DEMO_STAGES.items():
        doc = DesignDoc.objects.filter(title=title).select_related("product_owner").first()
        if doc is not None and doc.stage == "unclassified":
            _walk(doc, doc.product_owner, stage)
    return created


def seed() -> str:
    return f"{seed_design_docs()} design docs"
