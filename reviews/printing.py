"""What the review workflow tells printed PDFs (registry.core.printing): the approval
provider. The PDF export asks it whether a revision is its document's approved revision,
who approved it and, for an approved revision the document has moved past, which
revision superseded it. Registered from reviews/apps.py."""

from __future__ import annotations

from designdocs.models import DesignDoc, Revision
from registry.core import printing
from reviews.choices import Decision
from reviews.selectors import approvals_of

#: How an approving decision reads in the PDF and its signature.
DECISION_WORDS = {
    Decision.APPROVE: "approved",
    Decision.APPROVE_WITH_COMMENT: "approved with comment",
}


def _approvers(revision: Revision) -> tuple[printing.Approver, ...]:
    return tuple(
        printing.Approver(
            name=row["name"],
            username=row["username"],
            decision=DECISION_WORDS.get(row["decision"], str(row["decision"])),
            decided_at=row["date"],
            revision_number=row["revision"],
            content_hash=row["content_hash"],
        )
        for row in approvals_of(revision)
    )


def approval_of(revision: Revision) -> printing.Approval:
    """The approval state of `revision`, read fresh from the database (two queries): it is
    approved when it is both its document's approved and latest revision; an approved
    revision the document has moved past is superseded by the latest revision."""
    doc = (
        DesignDoc.objects.filter(pk=revision.design_doc_id)
        .values("approved_revision_id", "latest_revision_id", "latest_revision__number")
        .first()
    )
    if doc is None or doc["approved_revision_id"] != revision.pk:
        return printing.NOT_APPROVED
    approvers = _approvers(revision)
    if doc["latest_revision_id"] == revision.pk:
        return printing.Approval(approved=True, approvers=approvers)
    return printing.Approval(
        approved=False, approvers=approvers, superseded_by=doc["latest_revision__number"]
    )
