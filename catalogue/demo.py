"""Demo data of the catalogue: a realistic ML platform and five architecture examples,
some adopted by the demo design docs. Idempotent: what exists is left alone."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from catalogue import services
from catalogue.models import ArchitectureExample, Component
from teams.models import Team

# slug, name, kind, team, lifecycle, tags, description, depends on, model URI
COMPONENTS = [
    ("feature-store", "Feature store", "feature_store", "ml-platform", "production",
     ["features", "online", "offline"], "Offline (warehouse) and online (low-latency) features with "
     "point-in-time correct joins for training.", [], ""),
    ("training-pipeline", "Training pipeline", "pipeline", "ml-platform", "production",
     ["training", "orchestration"], "Scheduled, reproducible training runs with tracked parameters, "
     "metrics and artefacts.", ["feature-store"], ""),
    ("model-registry", "Model registry", "platform_tool", "ml-platform", "production",
     ["models", "governance"], "Versioned models with aliases (`champion`, `challenger`) and "
     "their lineage.", ["training-pipeline"], ""),
    ("batch-scoring", "Batch scoring", "pipeline", "ml-platform", "production",
     ["scoring", "batch"], "Nightly scoring of large tables from a registered model.",
     ["model-registry", "feature-store"], ""),
    ("online-serving", "Online serving", "service", "ml-platform", "production",
     ["serving", "online", "latency"], "Autoscaled REST endpoints for models, p99 under 50 ms.",
     ["model-registry", "feature-store"], ""),
    ("model-monitoring", "Model monitoring", "service", "ml-platform", "production",
     ["monitoring", "drift"], "Data drift, prediction drift and business KPI dashboards with "
     "alert routing.", ["batch-scoring", "online-serving"], ""),
    ("legacy-scoring-api", "Legacy scoring API", "service", "ml-platform", "production",
     ["serving"], "The first serving API, kept for two old consumers.", [], ""),
    ("demand-forecast-model", "Demand forecast model", "model", "supply-chain-ml", "production",
     ["forecasting"], "Gradient-boosted daily demand per store and product.",
     ["training-pipeline"], "models:/demand-forecast@champion"),
    ("sales-history", "Sales history dataset", "dataset", "supply-chain-ml", "production",
     ["forecasting", "sales"], "Daily sales per store and product since 2018.", [], ""),
    ("recs-model", "Recommendation model", "model", "personalisation", "experimental",
     ["recommendation"], "Two-tower retrieval with a ranking stage.", ["feature-store"],
     "models:/product-recs@challenger"),
]  # fmt: skip

ARCHITECTURES = [
    ("batch-forecasting", "Batch forecasting", "supply-chain-ml",
     "Nightly demand forecasts per store and product, scored in batch.",
     "Forecast demand days ahead for thousands of series without hand-tuned models.",
     "Features come from the **feature store**; the training pipeline retrains weekly; batch "
     "scoring writes forecasts nightly; monitoring compares them with actual sales.",
     [("feature-store", "Historical and calendar features"), ("training-pipeline", "Weekly retraining"),
      ("batch-scoring", "Nightly forecasts"), ("model-monitoring", "Forecast accuracy (MAPE) tracking")],
     ["forecasting", "batch"], "Demand forecasting for fresh products"),
    ("real-time-recommendation", "Real-time recommendation", "personalisation",
     "Recommendations computed per request from fresh features.",
     "Show relevant products on a page in under 100 ms.",
     "Online features feed a retrieval model behind online serving; monitoring watches click-through.",
     [("feature-store", "Online user and item features"), ("online-serving", "Low-latency endpoint"),
      ("model-monitoring", "Click-through and drift")],
     ["recommendation", "online"], "Product recommendations on the product page"),
    ("price-elasticity-experiments", "Price elasticity with experiments", "pricing-ml",
     "Elasticity models trained on controlled price tests.",
     "Estimate how demand responds to price without confounding by promotions.",
     "Experiment data lands in the warehouse; the training pipeline fits hierarchical models; "
     "results are scored in batch for the pricing tool.",
     [("training-pipeline", "Model fitting"), ("batch-scoring", "Elasticity per product family")],
     ["pricing", "batch"], "Price elasticity by product family"),
    ("champion-challenger-rollout", "Champion/challenger rollout", "ml-platform",
     "Ship a new model beside the current one and promote it on evidence.",
     "Replace a production model without a big-bang switch.",
     "The registry holds both aliases; online serving splits traffic; monitoring decides.",
     [("model-registry", "Champion and challenger aliases"), ("online-serving", "Traffic split"),
      ("model-monitoring", "Comparison of live metrics")],
     ["deployment", "online"], ""),
    ("drift-triggered-retraining", "Drift-triggered retraining", "ml-platform",
     "Retrain when monitored drift crosses its threshold.",
     "Keep models fresh without retraining on a blind schedule.",
     "Monitoring raises a drift event; the training pipeline retrains; the registry gates promotion.",
     [("model-monitoring", "Drift detection"), ("training-pipeline", "Retraining on demand"),
      ("model-registry", "Promotion gate")],
     ["monitoring", "training"], ""),
]  # fmt: skip


@transaction.atomic
def seed() -> str:
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None or not Team.objects.filter(slug="ml-platform").exists():
        return "nothing (the teams seeder makes the admin and teams first)"
    made = 0
    for slug, name, kind, team, lifecycle, tags, description, deps, uri in COMPONENTS:
        if Component.objects.filter(slug=slug).exists():
            continue
        services.component_create(
            actor=admin,
            data={"slug": slug, "name": name, "kind": kind, "owner_team": Team.objects.get(slug=team),
                  "lifecycle": lifecycle, "tags": tags, "description": description,
                  "depends_on": list(Component.objects.filter(slug__in=deps)),
                  "model_registry_uri": uri,
                  "repository_url": f"https://git.example.com/ml/{slug}",
                  "raci": _raci(team)},
        )  # fmt: skip
        made += 1
    legacy = Component.objects.filter(slug="legacy-scoring-api", lifecycle="production").first()
    if legacy is not None:
        services.component_transition(
            actor=admin, component=legacy, to="deprecated",
            reason="Superseded by online serving (autoscaling, auth, monitoring).",
            replacement=Component.objects.get(slug="online-serving"),
        )  # fmt: skip
    docs = apps.get_model("designdocs", "DesignDoc") if apps.is_installed("designdocs") else None
    arch_made = 0
    for slug, title, team, summary, problem, body, roles, tags, doc_title in ARCHITECTURES:
        if ArchitectureExample.objects.filter(slug=slug).exists():
            continue
        arch = services.architecture_create(
            actor=admin,
            data={"slug": slug, "title": title, "summary": summary, "problem": problem, "body": body,
                  "owner_team": Team.objects.get(slug=team), "lifecycle": "production", "tags": tags,
                  "components": [{"component": Component.objects.get(slug=c), "role": r} for c, r in roles]},
        )  # fmt: skip
        arch_made += 1
        doc = docs.objects.filter(title=doc_title).first() if docs and doc_title else None
        if doc is not None:
            doc.adopted_architectures.add(arch)
            doc.components_used.add(*(Component.objects.get(slug=c) for c, _ in roles))
    return f"{made} components, {arch_made} architecture examples"


def _raci(team_slug: str) -> list[dict]:
    team = Team.objects.get(slug=team_slug)
    return [
        {"activity": activity, "person": None, "team": team, "role": "A"}
        for activity in ("design", "deploy", "run")
    ]
