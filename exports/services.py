"""Writes of PDF exports: asking for one, retrying it, and the render itself (called by
the task). Exports are keyed by what they print (`cache_key`): asking again for an
unchanged revision returns the stored export at once, rendering nothing."""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from designdocs.models import DesignDoc, Revision
from exports.audit import EXPORT_REQUEST, EXPORT_RETRY
from exports.choices import ExportStatus, SubjectKind
from exports.layout import PrintJob, designdoc_print_job, subject_print_job
from exports.models import PdfExport
from registry.core import printing
from registry.core.audit import record_audit_event
from registry.core.errors import ConflictError, DomainError
from registry.core.permissions import require
from registry.core.text import text_problem

logger = logging.getLogger(__name__)


class BrokerUnavailableError(DomainError):
    status_code = 503
    code = "broker_unavailable"


class SubjectNotFoundError(DomainError):
    """A printable subject the user may not see (or that does not exist): a 404, as its
    page would answer."""

    status_code = 404
    code = "not_found"


class TransientExportError(Exception):
    """A failure worth retrying (storage or database briefly unavailable)."""


def _signing_note() -> str:
    from exports.signing import signing_note

    return signing_note()


def designdoc_job(revision: Revision) -> PrintJob:
    approval = printing.approval_of(revision)
    return designdoc_print_job(revision, signing_note=_signing_note() if approval.approved else "")


def _revision_of(doc: DesignDoc, number: Any) -> Revision:
    if number is None or number == "":
        number = doc.revision_number
    if isinstance(number, bool) or not isinstance(number, int):
        raise DomainError("revision must be a whole number.", field="revision")
    revision = doc.revisions.select_related("design_doc").filter(number=number).first()
    if revision is None:
        raise DomainError(
            f"This design doc has no revision {number} (its revisions are 1 to "
            f"{doc.revision_number}).",
            field="revision",
        )
    return revision


def _request(
    *, user, defaults: dict[str, Any], job: PrintJob, obj, in_process: bool = False
) -> tuple[PdfExport, bool]:
    """Find or create the export of `job`; (export, whether a render was queued). With
    `in_process` the render runs here and now instead of being sent to the broker."""
    with transaction.atomic():
        export, created = PdfExport.objects.select_for_update().get_or_create(
            cache_key=job.cache_key,
            defaults={**defaults, "title": job.title[:300], "requested_by": user},
        )
        if not created:
            if export.status == ExportStatus.DONE and export.file and _stored(export):
                return export, False
            if export.status in (ExportStatus.QUEUED, ExportStatus.RENDERING):
                return export, False
            # Failed, or done with its file lost: render again.
            _reset(export, user=user)
        record_audit_event(
            actor=user,
            action=EXPORT_REQUEST,
            obj=obj,
            payload={"export": export.pk, "cache_key": export.cache_key},
        )
    if in_process:
        from exports.tasks import render_export

        render_export.apply(args=[export.pk], throw=False)
    else:
        enqueue(export)
    return export, True


def _stored(export: PdfExport) -> bool:
    try:
        return default_storage.exists(export.file.name)
    except OSError:
        return True  # a storage hiccup is not a lost file


def _reset(export: PdfExport, *, user) -> None:
    export.status = ExportStatus.QUEUED
    export.progress = 0
    export.stage = "queued"
    export.error = ""
    export.file = ""
    export.requested_by = user
    export.started_at = export.finished_at = None
    export.save()


def export_designdoc_request(
    *, user, doc: DesignDoc, revision_number: Any = None, in_process: bool = False
):
    """Ask for the PDF of revision `revision_number` (default: the latest) of `doc`.
    Returns (export, queued): the stored export at once when the same content was printed
    before. Raises BrokerUnavailableError (503) when the broker is configured but down:
    the export is then marked failed with that reason, and nothing else changes.
    `in_process`: render here and now, whatever the broker (the demo seed)."""
    require(user, "designdocs.view_designdoc", doc)
    revision = _revision_of(doc, revision_number)
    job = designdoc_job(revision)
    return _request(
        user=user,
        defaults={"kind": SubjectKind.DESIGNDOC, "design_doc": doc, "revision": revision},
        job=job,
        obj=doc,
        in_process=in_process,
    )


def export_subject_request(*, user, name: str, key: str, options: dict | None = None):
    """Ask for the PDF of a subject registered in registry.core.printing."""
    subject = printing.subject(name)
    if subject is None:
        names = ", ".join(s.name for s in printing.subjects()) or "none"
        raise DomainError(
            f"{name!r} is not a printable subject (the subjects are: {names}).", field="subject"
        )
    problem = text_problem(key)
    if problem:  # before any lookup: PostgreSQL refuses NUL in a query parameter
        raise DomainError(f"The subject key: {problem}", field="key")
    if not subject.may_print(user, key):
        raise SubjectNotFoundError(
            f"There is no {subject.label.lower()} {key!r} you may see.", field="subject"
        )
    job = subject_print_job(subject, key, options)
    return _request(
        user=user,
        defaults={"kind": SubjectKind.SUBJECT, "subject_name": name, "subject_key": key[:500]},
        job=job,
        obj=None,
    )


def export_retry(*, user, export: PdfExport) -> PdfExport:
    """Queue a failed export again."""
    require(user, "exports.retry_pdfexport", export)
    with transaction.atomic():
        locked = PdfExport.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.FAILED:
            raise ConflictError(
                f"Only a failed export can be retried; this one is {locked.get_status_display().lower()}."
            )
        _reset(locked, user=user)
        record_audit_event(actor=user, action=EXPORT_RETRY, obj=locked, payload={})
    enqueue(locked)
    return locked


def enqueue(export: PdfExport) -> None:
    """Send the render task. Inside an outer transaction: once it commits. Otherwise now,
    failing fast (no retries, the short connect timeout of the settings) when the broker is
    down: the export is marked failed with the reason and BrokerUnavailableError raised."""
    from exports.tasks import render_export

    if connection.in_atomic_block:
        transaction.on_commit(lambda: _publish(render_export, export.pk), robust=True)
        return
    try:
        _publish(render_export, export.pk)
    except BrokerUnavailableError as exc:
        PdfExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED, error=exc.message, finished_at=timezone.now()
        )
        raise


def _publish(task, export_id: int) -> None:
    from kombu.exceptions import OperationalError

    try:
        if task.app.conf.task_always_eager:
            # In-process: `apply` runs the retries itself when it does not propagate; the
            # task records every outcome on the export row.
            task.apply(args=[export_id], throw=False)
            return
        # A connection of its own, with a short connect timeout and no retries: a broker
        # that is down fails this request in seconds, not after Celery's retry policy.
        with task.app.connection_for_write(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
            task.apply_async(args=[export_id], connection=conn, retry=False)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("PDF export %s not queued: broker unreachable (%s)", export_id, exc)
        raise BrokerUnavailableError(
            "The task queue (CELERY_BROKER_URL) is unreachable, so the PDF cannot be "
            "rendered now. Nothing else is affected; try again in a minute or ask an "
            "administrator to check the broker."
        ) from exc


# --- the render, run by exports.tasks.render_export ---------------------------------------


def _progress(export_id: int, percent: int, stage: str) -> None:
    PdfExport.objects.filter(pk=export_id, status=ExportStatus.RENDERING).update(
        progress=percent, stage=stage[:200]
    )


def claim(export_id: int) -> PdfExport | None:
    """Take a queued export for rendering (a conditional update: one worker wins). None
    when it is done, failed, gone or being rendered by a live worker."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.PDF_EXPORT_STALE_SECONDS)
    now = timezone.now()
    taken = (
        PdfExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.RENDERING,
            started_at=now,
            progress=5,
            stage="preparing",
            attempts=F("attempts") + 1,
        )
        # A redelivered task (its worker was killed): the render it left is stale.
        or PdfExport.objects.filter(
            pk=export_id, status=ExportStatus.RENDERING, started_at__lt=stale
        ).update(started_at=now, progress=5, stage="preparing", attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    return PdfExport.objects.select_related("revision__design_doc").get(pk=export_id)


def fail(export_id: int, reason: str) -> None:
    PdfExport.objects.filter(pk=export_id).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def render_and_store(export: PdfExport) -> PdfExport:
    """Render `export` (claimed), sign it when it prints an approved revision, store it."""
    from exports.renderer import render_pdf

    if export.kind == SubjectKind.DESIGNDOC:
        job = designdoc_job(export.revision)
    else:
        subject = printing.subject(export.subject_name)
        if subject is None:
            raise DomainError(f"The subject {export.subject_name!r} is no longer printable.")
        job = subject_print_job(subject, export.subject_key)
    if job.cache_key != export.cache_key:
        # What it prints changed while it waited (e.g. the revision was approved): store it
        # under what it is now, unless that is exported already.
        if PdfExport.objects.filter(cache_key=job.cache_key).exists():
            raise DomainError(
                "The document's approval changed while this export waited; export it again."
            )
        PdfExport.objects.filter(pk=export.pk).update(cache_key=job.cache_key)
        export.cache_key = job.cache_key
    _progress(export.pk, 20, "laying out")
    result = render_pdf(
        job.html, job.css, on_progress=lambda p, stage: _progress(export.pk, p, stage)
    )
    pdf, signature = result.pdf, {}
    if job.approved and export.kind == SubjectKind.DESIGNDOC:
        from exports.signing import sign_pdf, signoff_payload

        _progress(export.pk, 85, "signing")
        pdf, signature = sign_pdf(
            pdf, signoff_payload(export.revision, printing.approval_of(export.revision))
        )
    _progress(export.pk, 95, "storing")
    name = f"{settings.PDF_EXPORT_DIR}/{export.cache_key}.pdf"
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(pdf))
    except OSError as exc:
        raise TransientExportError(f"The PDF could not be stored: {exc}") from exc
    PdfExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        stage=f"done: {result.pages} pages",
        file=stored,
        file_size=len(pdf),
        pages=result.pages,
        pdf_hash=hashlib.sha256(pdf).hexdigest(),
        signed=bool(signature),
        signature=signature,
        error="",
        finished_at=timezone.now(),
        render_seconds=round(result.seconds, 3),
    )
    export.refresh_from_db()
    return export


def sweep_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again the exports a killed worker left rendering (or whose message was
    lost while queued), older than PDF_EXPORT_STALE_SECONDS. Returns their ids."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.PDF_EXPORT_STALE_SECONDS)
    ids = list(
        PdfExport.objects.filter(status=ExportStatus.RENDERING, started_at__lt=stale).values_list(
            "pk", flat=True
        )
    )
    ids += list(
        PdfExport.objects.filter(status=ExportStatus.QUEUED, created_at__lt=stale)
        .filter(started_at__isnull=True)
        .values_list("pk", flat=True)
    )
    requeued = []
    for export_id in ids:
        updated = (
            PdfExport.objects.filter(pk=export_id)
            .exclude(status__in=(ExportStatus.DONE, ExportStatus.FAILED))
            .update(status=ExportStatus.QUEUED, stage="queued again after a stopped worker")
        )
        if updated:
            try:
                from exports.tasks import render_export

                _publish(render_export, export_id)
                requeued.append(export_id)
            except BrokerUnavailableError:
                break
    return requeued
