"""Demo review data for `manage.py seed_demo` (after the design docs), through the services:

- "Demand forecasting for fresh products": submitted to bob, overdue;
- "Price elasticity by product family": submitted to every architect (bob and carol);
- "Product recommendations on the product page": bob requested changes, with a comment
  thread on its risks;
- "Churn prediction for loyalty members": approved by carol;
- "Fraud scoring of online payments" (high risk): approved by bob and carol, then edited
  by alice, so back in draft with two approvals given on an older revision;
- "Customer service ticket routing" (high risk): submitted to carol, overdue;
- "Weekly sales forecast (spreadsheet model)": superseded by the demand forecast.

So bob and carol each find work waiting. A due date cannot be in the past when a document is
submitted; the overdue ones are backdated here, as time would have done. Idempotent: a
document that already went through review is left as it is.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from designdocs.demo import DEMAND_FORECASTING, PRICE_ELASTICITY
from designdocs.models import DesignDoc
from designdocs.services import designdoc_create, designdoc_update
from reviews import services
from reviews.models import ReviewRequest

#: The documents this app's demo takes through review besides the design docs' own demo,
#: (title, author, team, content). They are created unclassified (seeder "review-docs"),
#: classified through the EU AI Act questionnaire by the maturity demo, then reviewed here.
REVIEW_DOCS = (
    ("Churn prediction for loyalty members", "alice", "pricing-ml", PRICE_ELASTICITY),
    ("Applicant screening for store jobs", "alice", "supply-chain-ml", DEMAND_FORECASTING),
    ("Customer service ticket routing", "erin", "personalisation", PRICE_ELASTICITY),
    ("Weekly sales forecast (spreadsheet model)", "alice", "supply-chain-ml", DEMAND_FORECASTING),
)


@transaction.atomic
def seed_review_docs() -> str:
    """The documents of REVIEW_DOCS, drafts without a tier (idempotent)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["alice", "erin"])}
    made = 0
    for title, author, team, content in REVIEW_DOCS:
        if author in users and not DesignDoc.objects.filter(title=title).exists():
            designdoc_create(
                user=users[author],
                title=title,
                owner_team=team,
                content={k: v for k, v in content.items() if k not in ("co_authors", "risk_tier")},
                message="Draft",
            )
            made += 1
    return f"{made} documents to review"


def _doc(title: str) -> DesignDoc | None:
    return DesignDoc.objects.filter(title=title).first()


def _fresh(doc: DesignDoc) -> DesignDoc:
    return DesignDoc.objects.select_related("latest_revision").get(pk=doc.pk)


def _reviewed(doc: DesignDoc) -> bool:
    return ReviewRequest.objects.filter(design_doc=doc).exists() or doc.status != "draft"


def _backdate(doc: DesignDoc, *, days_waiting: int, overdue_by: int) -> None:
    today = timezone.localdate()
    ReviewRequest.objects.filter(design_doc=doc, state="open").update(
        created_at=timezone.now() - datetime.timedelta(days=days_waiting),
        due_date=today - datetime.timedelta(days=overdue_by),
    )


def _approve(doc: DesignDoc, architect, body: str = "") -> None:
    doc = _fresh(doc)
    services.review_decide(
        doc=doc,
        actor=architect,
        decision="approve_with_comment" if body else "approve",
        body=body,
        revision=doc.revision_number,
    )


@transaction.atomic
def seed_reviews() -> str:
    people = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["alice", "erin", "bob", "carol"])
    }
    if len(people) < 4:
        return "skipped (demo users missing)"
    alice, erin, bob, carol = (people[n] for n in ("alice", "erin", "bob", "carol"))
    made = 0
    soon = timezone.localdate() + datetime.timedelta(days=5)

    demand = DesignDoc.objects.filter(title="Demand forecasting for fresh products").first()
    if demand and not _reviewed(demand):
        services.designdoc_submit(doc=demand, actor=alice, reviewers=["bob"], due_date=soon)
        _backdate(demand, days_waiting=9, overdue_by=2)
        made += 1

    prices = DesignDoc.objects.filter(title="Price elasticity by product family").first()
    if prices and not _reviewed(prices):
        services.designdoc_submit(doc=prices, actor=alice, due_date=soon)
        made += 1

    recos = DesignDoc.objects.filter(title="Product recommendations on the product page").first()
    if recos and not _reviewed(recos):
        services.designdoc_submit(doc=recos, actor=erin, reviewers=["bob"])
        services.comment_add(
            doc=recos,
            actor=bob,
            section="risks",
            body="Who watches for feedback loops (popular items recommended ever more)?",
            quote="Endpoint p95 latency",
        )
        recos = _fresh(recos)
        services.review_decide(
            doc=recos,
            actor=bob,
            decision="request_changes",
            body="Add a risk for popularity feedback loops, with an owner and a mitigation.",
            revision=recos.revision_number,
        )
        made += 1

    churn = _doc("Churn prediction for loyalty members")
    if churn and not _reviewed(churn):
        services.designdoc_submit(doc=churn, actor=alice, reviewers=["carol"])
        _approve(churn, carol, "Clear monitoring contract; approved.")
        made += 1

    fraud = _doc("Applicant screening for store jobs")  # high risk: Annex III 4(a)
    if fraud and not _reviewed(fraud):
        services.designdoc_submit(doc=fraud, actor=alice, reviewers=["bob", "carol"])
        _approve(fraud, bob)
        _approve(fraud, carol, "Approved; keep the human review of blocked payments.")
        fraud = _fresh(fraud)
        designdoc_update(
            doc=fraud,
            user=alice,
            expected_version=fraud.version,
            changes={"open_questions": "Do we screen internal applicants too?"},
            message="Open question after approval",
        )
        made += 1

    tickets = _doc("Customer service ticket routing")
    if tickets and not _reviewed(tickets):
        services.designdoc_submit(doc=tickets, actor=erin, reviewers=["carol"], due_date=soon)
        _backdate(tickets, days_waiting=12, overdue_by=4)
        made += 1

    old = _doc("Weekly sales forecast (spreadsheet model)")
    if demand and old and not _reviewed(old):
        services.designdoc_supersede(doc=old, actor=alice, superseded_by=demand)
        made += 1
    return f"{made} documents taken through review"
