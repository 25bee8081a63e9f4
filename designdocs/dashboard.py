"""The design docs' panels of the home dashboard (registry.core.dashboard). Each read
starts from what the user may see and runs a fixed number of queries, whatever the size of
the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast

from designdocs.choices import UNCLASSIFIED, MLStage, RiskTier, WorkflowStatus
from designdocs.content import completeness
from designdocs.models import DesignDoc
from designdocs.rules import mine
from designdocs.sections import NARRATIVE_KEYS, ROW_SECTIONS, SECTIONS_BY_KEY
from registry.core.audit import action_label
from registry.core.models import AuditEvent
from registry.core.panels import DOC, TEAM, Panel
from registry.core.permissions import matching
from teams.selectors import team_ids_of

DESIGNDOC_TYPE = DesignDoc._meta.label_lower
#: The panel slot of a design doc's page (registry.core.panels): other apps (maturity)
#: show their part of a document there, `context(request, doc)`.
DESIGNDOC_PANELS = DOC
ACTION_LIMIT = 10
ACTIVITY_LIMIT = 12

#: Row sections and the model holding their rows, for "is this section filled?".
_ROW_MODELS = {section.key: section.row_model for section in ROW_SECTIONS}


@dataclass
class DocNeedingAction:
    doc: DesignDoc
    missing: list[str]  # titles of the required sections still empty


@dataclass
class ActivityItem:
    event: AuditEvent
    verb: str
    doc: DesignDoc | None


@dataclass
class Portfolio:
    total: int
    by_stage: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    by_risk_tier: list[tuple[str, str, int]] = field(default_factory=list)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    # Docs nobody has classified yet, counted apart from every stage and tier.
    stage_unclassified: int = 0
    risk_tier_unclassified: int = 0

    @property
    def max_stage(self) -> int:
        return max((c for _, _, c in self.by_stage), default=0)


def _with_filled_sections(queryset: QuerySet[DesignDoc]) -> QuerySet[DesignDoc]:
    return queryset.annotate(
        **{
            f"has_{key}": Exists(model.objects.filter(design_doc=OuterRef("pk")))
            for key, model in _ROW_MODELS.items()
        }
    )


def _missing_sections(doc: DesignDoc) -> list[str]:
    # The same rule as the editor's meter (designdocs.content.completeness), read from the
    # narrative columns and the Exists annotations instead of the whole content.
    content: dict[str, Any] = {key: getattr(doc, key) for key in NARRATIVE_KEYS}
    content.update({key: getattr(doc, f"has_{key}") for key in _ROW_MODELS})
    _, missing = completeness(content)
    return [SECTIONS_BY_KEY[key].title for key in missing]


def docs_needing_action(*, user) -> list[DocNeedingAction]:
    """The user's documents ("mine") that they may edit and that are drafts, incomplete
    first. One query."""
    queryset = (
        matching(DesignDoc.objects.restrict(user, "change"), user, mine)
        .filter(status=WorkflowStatus.DRAFT)
        .select_related("owner_team")
        .order_by("-updated_at", "-id")
    )
    items = [
        DocNeedingAction(doc=doc, missing=_missing_sections(doc))
        for doc in _with_filled_sections(queryset)[:ACTION_LIMIT]
    ]
    return sorted(items, key=lambda item: not item.missing)


def recent_activity(*, user) -> tuple[list[ActivityItem], bool]:
    """The latest audit events on the design docs of the user's teams (or, for someone in no
    team, on every doc they may see). Two queries. Returns (items, scoped_to_teams)."""
    teams = team_ids_of(user)
    docs = DesignDoc.objects.restrict(user, "view")
    if teams:
        docs = docs.filter(owner_team_id__in=teams)
    doc_ids = docs.annotate(key=Cast("pk", output_field=CharField())).values("key")
    events = list(
        AuditEvent.objects.filter(object_type=DESIGNDOC_TYPE, object_id__in=doc_ids)
        .select_related("actor")
        .order_by("-created_at", "-id")[:ACTIVITY_LIMIT]
    )
    by_id = {
        str(doc.pk): doc
        for doc in DesignDoc.objects.filter(pk__in=[int(e.object_id) for e in events]).only(
            "pk", "slug", "title"
        )
    }
    items = [
        ActivityItem(event=e, verb=action_label(e.action), doc=by_id.get(e.object_id))
        for e in events
    ]
    return items, bool(teams)


def _counts(queryset: QuerySet, field_name: str, choices) -> list[tuple[str, str, int]]:
    counts = dict(queryset.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in choices.choices]


def _split_unclassified(rows: list[tuple[str, str, int]]) -> tuple[list, int]:
    """The classified rows, and the count of docs not yet classified (shown apart)."""
    unset = sum(count for value, _, count in rows if value == UNCLASSIFIED)
    return [row for row in rows if row[0] != UNCLASSIFIED], unset


def portfolio(*, user) -> Portfolio:
    """Visible docs per ML stage, risk tier and workflow status, those not yet classified
    counted apart. Three queries."""
    docs = DesignDoc.objects.restrict(user, "view")
    by_stage, stage_unset = _split_unclassified(_counts(docs, "stage", MLStage))
    by_tier, tier_unset = _split_unclassified(_counts(docs, "risk_tier", RiskTier))
    return Portfolio(
        total=sum(c for _, _, c in by_stage) + stage_unset,
        by_stage=by_stage,
        by_risk_tier=by_tier,
        by_status=_counts(docs, "status", WorkflowStatus),
        stage_unclassified=stage_unset,
        risk_tier_unclassified=tier_unset,
    )


# --- panels -------------------------------------------------------------------------------


def _needs_action(request) -> dict[str, Any]:
    return {
        "items": docs_needing_action(user=request.user),
        "can_create": request.user.has_perm("designdocs.create_designdoc"),
        # Someone in no team sees (almost) nothing: say how to get in rather than "browse".
        "in_a_team": bool(team_ids_of(request.user)),
    }


def _activity(request) -> dict[str, Any]:
    items, scoped_to_teams = recent_activity(user=request.user)
    return {"items": items, "in_teams": scoped_to_teams}


def _portfolio(request) -> dict[str, Any]:
    return {"portfolio": portfolio(user=request.user)}


PANELS = (
    Panel("designdocs-needs-action", "designdocs/panels/needs_action.html", _needs_action, 10),
    Panel("designdocs-activity", "designdocs/panels/activity.html", _activity, 50),
    Panel("designdocs-portfolio", "designdocs/panels/portfolio.html", _portfolio, 90),
)

TEAM_DOCS_SHOWN = 50


def _docs_of_team(request, team) -> dict[str, Any]:
    docs = (
        DesignDoc.objects.restrict(request.user, "view")
        .filter(owner_team=team)
        .select_related("product_owner")
        .order_by("-updated_at", "-id")
    )
    shown = list(docs[: TEAM_DOCS_SHOWN + 1])
    return {
        "design_docs": shown[:TEAM_DOCS_SHOWN],
        "more": len(shown) > TEAM_DOCS_SHOWN,
        "can_create": request.user.has_perm("designdocs.add_designdoc", team),
    }


PANELS += (
    Panel("designdocs-of-team", "designdocs/panels/team_docs.html", _docs_of_team, slot=TEAM),
)
