"""Builders for review tests: documents classified in a tier, in any workflow state,
reached through the services as the product does."""

from __future__ import annotations

from designdocs.choices import WorkflowStatus
from designdocs.models import DesignDoc
from designdocs.services import designdoc_update
from reviews import services
from tests.designdocs.factories import FullDesignDocFactory


def classified_doc(
    *, team, product_owner, tier: str = "limited", title: str = "Demand forecasting", **kwargs
) -> DesignDoc:
    doc = FullDesignDocFactory(title=title, owner_team=team, product_owner=product_owner, **kwargs)
    if doc.risk_tier != tier:
        # A fixture: the stored document classified in `tier` at revision 1 (as
        # DesignDocFactory does; the questionnaire has its own tests, and the acceptance
        # tests classify through it).
        DesignDoc.objects.filter(pk=doc.pk).update(risk_tier=tier)
    return DesignDoc.objects.get(pk=doc.pk)


def edit(doc: DesignDoc, user, **changes) -> DesignDoc:
    doc = DesignDoc.objects.get(pk=doc.pk)
    designdoc_update(doc=doc, user=user, expected_version=doc.version, changes=changes)
    return DesignDoc.objects.get(pk=doc.pk)


def fresh(doc: DesignDoc) -> DesignDoc:
    return DesignDoc.objects.select_related("latest_revision").get(pk=doc.pk)


def doc_in_state(status: str, *, team, author, architect, other_doc=None) -> DesignDoc:
    """A limited-tier document brought to `status` through the services."""
    doc = classified_doc(team=team, product_owner=author, title=f"Doc {status}")
    if status == WorkflowStatus.DRAFT:
        return fresh(doc)
    if status == WorkflowStatus.ARCHIVED:
        services.designdoc_archive(doc=doc, actor=author)
        return fresh(doc)
    if status == WorkflowStatus.SUPERSEDED:
        services.designdoc_supersede(doc=doc, actor=author, superseded_by=other_doc)
        return fresh(doc)
    services.designdoc_submit(doc=doc, actor=author, reviewers=[architect.username])
    doc = fresh(doc)
    if status == WorkflowStatus.IN_REVIEW:
        return doc
    decision = "approve" if status == WorkflowStatus.APPROVED else "request_changes"
    services.review_decide(
        doc=doc,
        actor=architect,
        decision=decision,
        body="Risks need owners.",
        revision=doc.revision_number,
    )
    return fresh(doc)
