"""The demo seed of PDF exports: one approved demo design doc exported (rendered and
signed in-process, one render), so that `make run` shows a signed PDF ready on its page
and in /api/exports/. Running it again finds the stored export and renders nothing."""

from __future__ import annotations

from designdocs.choices import WorkflowStatus
from designdocs.models import DesignDoc
from exports import services
from exports.choices import ExportStatus


def seed() -> str:
    doc = (
        DesignDoc.objects.filter(status=WorkflowStatus.APPROVED)
        .select_related("product_owner", "latest_revision")
        .defer("latest_revision__content")
        .order_by("title", "id")
        .first()
    )
    if doc is None:
        return "skipped (no approved design doc)"
    export, rendered = services.export_designdoc_request(
        user=doc.product_owner, doc=doc, in_process=True
    )
    export.refresh_from_db()
    if export.status != ExportStatus.DONE:
        return f"the PDF of “{doc.title}” could not be made: {export.error or export.status}"
    signed = "signed " if export.signed else ""
    made = "made" if rendered else "already made"
    return f"1 {signed}PDF of “{doc.title}” r{doc.revision_number} ({made}, {export.pages} pages)"
