"""PDF export jobs. One row per printable content: `cache_key` is the hash of (what is
printed, layout version), so exporting an unchanged revision again finds the row (and its
stored file) instead of rendering anew."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from exports.choices import ExportStatus, SubjectKind
from registry.core.permissions import RestrictedQuerySet


class PdfExportQuerySet(RestrictedQuerySet):
    """Exports; `restrict(user, action)` applies exports.rules."""


class PdfExport(models.Model):
    kind = models.CharField(
        "subject kind", max_length=16, choices=SubjectKind.choices, default=SubjectKind.DESIGNDOC
    )
    design_doc = models.ForeignKey(
        "designdocs.DesignDoc",
        verbose_name="design doc",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pdf_exports",
    )
    revision = models.ForeignKey(
        "designdocs.Revision",
        verbose_name="revision",
        null=True,
        blank=True,
        # A revision is not deleted alone while a PDF of it exists; deleting the whole
        # document (which the review workflow refuses once it is reviewed) deletes its
        # exports with it.
        on_delete=models.RESTRICT,
        related_name="pdf_exports",
    )
    subject_name = models.CharField("subject", max_length=64, blank=True)
    subject_key = models.CharField("subject key", max_length=500, blank=True)
    title = models.CharField("title", max_length=300, blank=True)
    cache_key = models.CharField("cache key", max_length=64, unique=True)
    status = models.CharField(
        "status", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("progress (%)", default=0)
    stage = models.CharField("stage", max_length=200, blank=True)
    file = models.FileField("PDF", upload_to="exports/", blank=True, max_length=300)
    file_size = models.PositiveIntegerField("size (bytes)", default=0)
    pages = models.PositiveIntegerField("pages", default=0)
    pdf_hash = models.CharField("PDF sha256", max_length=64, blank=True)
    signed = models.BooleanField("signed", default=False)
    signature = models.JSONField("signature", default=dict, blank=True)
    error = models.TextField("reason of failure", blank=True)
    attempts = models.PositiveSmallIntegerField("attempts", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="requested by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="pdf_exports",
    )
    created_at = models.DateTimeField("requested", auto_now_add=True)
    started_at = models.DateTimeField("started", null=True, blank=True)
    finished_at = models.DateTimeField("finished", null=True, blank=True)
    render_seconds = models.FloatField("render time (s)", null=True, blank=True)

    objects = PdfExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "PDF export"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values),
                name="%(app_label)s_%(class)s_valid_status",
                violation_error_message="status must be one of: "
                + ", ".join(ExportStatus.values)
                + ".",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_0_to_100",
                violation_error_message="Progress is a percentage, 0 to 100.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=SubjectKind.DESIGNDOC, revision__isnull=False)
                    | models.Q(kind=SubjectKind.SUBJECT, revision__isnull=True)
                    & ~models.Q(subject_name="")
                ),
                name="%(app_label)s_%(class)s_subject_named",
                violation_error_message="An export prints a design doc revision or a named subject.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportStatus.DONE) | ~models.Q(file=""),
                name="%(app_label)s_%(class)s_done_has_file",
                violation_error_message="A finished export has its file.",
            ),
            models.CheckConstraint(
                condition=models.Q(signed=False) | models.Q(kind=SubjectKind.DESIGNDOC),
                name="%(app_label)s_%(class)s_only_revisions_signed",
                violation_error_message="Only a design doc revision's PDF is signed.",
            ),
        ]

    def __str__(self) -> str:
        return f"PDF of {self.title or self.cache_key[:12]}"

    def get_absolute_url(self) -> str:
        return reverse("exports:export", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def filename(self) -> str:
        from django.utils.text import slugify

        base = slugify(self.title)[:80] or "export"
        if self.revision_id:
            return f"{base}-r{self.revision.number}.pdf"
        return f"{base}.pdf"
