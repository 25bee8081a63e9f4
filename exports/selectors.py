"""Reads of PDF exports, restricted to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from exports.models import PdfExport


def export_list(*, user) -> QuerySet[PdfExport]:
    return (
        PdfExport.objects.restrict(user, "view")
        .select_related("revision", "requested_by", "design_doc")
        .order_by("-created_at", "-id")
    )


def exports_of_revision(*, user, revision) -> QuerySet[PdfExport]:
    return export_list(user=user).filter(revision=revision)
