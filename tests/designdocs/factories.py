"""Factories and content builders for design documents.

`DesignDocFactory` creates documents through `designdocs.services.designdoc_create`, as the
product does, so that every document has revision 1, its content hash and its audit event.
The product owner is made a member of the owner team first (the service requires it); they
must already hold the product-owner role, which the default `product_owner` has.

The `*_row` helpers build valid rows of the canonical content; `full_content` builds a
document with every section filled. `PMBOK_FIGURE_9_5` is the RACI matrix of the PMBOK
Guide, Figure 9-5 (reference/maturity-and-risk.md section 4).
"""

from __future__ import annotations

from typing import Any

import factory

from designdocs.models import DesignDoc
from designdocs.services import designdoc_create
from registry.core import roles
from teams.models import TeamMembership
from tests.factories import TeamFactory, UserFactory

#: PMBOK Guide, Figure 9-5 "RACI Matrix": activity -> {person: letter}, in the book's order.
PMBOK_FIGURE_9_5: dict[str, dict[str, str]] = {
    "Create charter": {"ann": "A", "ben": "R", "carlos": "I", "dina": "I", "ed": "I"},
    "Collect requirements": {"ann": "I", "ben": "A", "carlos": "R", "dina": "C", "ed": "C"},
    "Submit change request": {"ann": "I", "ben": "A", "carlos": "R", "dina": "R", "ed": "C"},
    "Develop test plan": {"ann": "A", "ben": "C", "carlos": "I", "dina": "I", "ed": "R"},
}
PMBOK_PEOPLE: tuple[str, ...] = ("ann", "ben", "carlos", "dina", "ed")


def pmbok_raci_rows(matrix: dict[str, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """The matrix as RACI rows (one per activity and person), row order = reading order."""
    matrix = PMBOK_FIGURE_9_5 if matrix is None else matrix
    return [
        raci_row(activity, letter, person=person)
        for activity, letters in matrix.items()
        for person, letter in letters.items()
    ]


def raci_row(activity: str, role: str, *, person: str = "", team: str = "") -> dict[str, str]:
    return {"activity": activity, "person": person, "team": team, "role": role}


def risk_row(
    title: str = "Training data drifts from production traffic",
    *,
    category: str = "data",
    likelihood: Any = 2,
    impact: Any = 2,
    mitigation: str = "",
    owner: str = "",
    status: str = "open",
) -> dict[str, Any]:
    return {
        "title": title,
        "category": category,
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": mitigation,
        "owner": owner,
        "status": status,
    }


def criterion_row(
    metric: str = "MAPE at store-day level",
    *,
    baseline: str = "18%",
    target: str = "12%",
    measurement: str = "Weekly backtest on the last 8 weeks",
) -> dict[str, str]:
    return {"metric": metric, "baseline": baseline, "target": target, "measurement": measurement}


def monitoring_row(
    metric: str = "Forecast bias",
    *,
    threshold: str = "|bias| > 5% over 7 days",
    cadence: str = "daily",
    alert_owner: str = "#forecasting-oncall",
    fallback: str = "Serve last week's forecast",
    stakeholders: str = "Supply planning, Finance",
) -> dict[str, str]:
    return {
        "metric": metric,
        "threshold": threshold,
        "cadence": cadence,
        "alert_owner": alert_owner,
        "fallback": fallback,
        "stakeholders": stakeholders,
    }


def full_content(
    *, title: str, team: str, product_owner: str, co_authors: list[str] | None = None
) -> dict[str, Any]:
    """A valid document with every section filled, in canonical form (as `content_of`
    returns it), naming only `product_owner` and `team` as parties."""
    return {
        "title": title,
        "owner_team": team,
        "product_owner": product_owner,
        "co_authors": sorted(co_authors or []),
        "risk_tier": "unclassified",
        "problem_statement": "Stores order too much fresh produce; waste is 9% of sales.",
        "business_value": "Cut waste by a third: about 4 M EUR a year.",
        "architecture": "A nightly batch job trains a gradient-boosted model per region.",
        "data": "Two years of point-of-sale data, promotions and weather.",
        "deployment_constraints": "The forecast must be ready by 04:00 for the ordering run.",
        "alternatives": "Moving averages per store: simpler, 30% worse on promotions.",
        "open_questions": "Do we forecast new stores from similar ones?",
        "other_notes": "",
        "success_criteria": [criterion_row()],
        "raci": [
            raci_row("Approve design", "A", person=product_owner),
            raci_row("Approve design", "R", team=team),
        ],
        "risks": [
            risk_row(),
            risk_row(
                "Promotions calendar arrives late",
                category="operational",
                likelihood=4,
                impact=4,
                mitigation="Fall back to last year's calendar.",
                owner=product_owner,
            ),
        ],
        "monitoring": [monitoring_row()],
    }


class DesignDocFactory(factory.django.DjangoModelFactory):
    """`DesignDocFactory(owner_team=team, product_owner=alice, content={...})`.

    `stage` and `risk_tier` in `content` put the stored document in that state directly
    (a fixture: the lifecycle and the questionnaire have their own tests): neither is
    written by creation any more. Revision 1 then holds the tier unclassified."""

    class Meta:
        model = DesignDoc

    title = factory.Sequence(lambda n: f"Design doc {n}")
    owner_team = factory.SubFactory(TeamFactory)
    product_owner = factory.SubFactory(UserFactory, roles=[roles.PRODUCT_OWNERS])
    content = factory.LazyFunction(dict)
    message = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> DesignDoc:
        user = kwargs["product_owner"]
        team = kwargs["owner_team"]
        if not TeamMembership.objects.filter(team=team, user=user).exists():
            TeamMembership.objects.create(team=team, user=user)
            # teams.selectors.team_ids_of caches a user's team ids on the instance.
            user.__dict__.pop("_registry_team_ids", None)
        content = dict(kwargs["content"])
        state = {key: content.pop(key) for key in ("stage", "risk_tier") if key in content}
        doc = designdoc_create(
            user=user,
            title=kwargs["title"],
            owner_team=team,
            content=content,
            message=kwargs["message"],
        )
        if state:
            DesignDoc.objects.filter(pk=doc.pk).update(**state)
            for key, value in state.items():
                setattr(doc, key, value)
        return doc


class FullDesignDocFactory(DesignDocFactory):
    """A document with every section filled (see `full_content`)."""

    content = factory.LazyAttribute(
        lambda o: {
            key: value
            for key, value in full_content(
                title=o.title, team=o.owner_team.slug, product_owner=o.product_owner.username
            ).items()
            if key not in ("title", "owner_team")
        }
    )
