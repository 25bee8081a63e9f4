"""The render task (idempotent, retried with backoff on transient errors, acknowledged
late) and the sweep that re-queues exports a killed worker left behind."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from exports import services
from exports.renderer import RenderError
from registry.core.errors import DomainError

logger = logging.getLogger(__name__)


@shared_task(
    name="exports.tasks.render_export",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.TransientExportError, DatabaseError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=4,
    ignore_result=True,
)
def render_export(export_id: int) -> str:
    """Render export `export_id`. Running it again for a done (or already running) export
    does nothing."""
    export = services.claim(export_id)
    if export is None:
        return "skipped"
    try:
        services.render_and_store(export)
    except (RenderError, DomainError) as exc:
        services.fail(export_id, str(exc))
        return "failed"
    except (services.TransientExportError, DatabaseError, InterfaceError) as exc:
        if render_export.request.retries >= render_export.max_retries:
            services.fail(export_id, f"Gave up after retries: {exc}")
            return "failed"
        # Back to queued so that the retry can claim it.
        from exports.choices import ExportStatus
        from exports.models import PdfExport

        PdfExport.objects.filter(pk=export_id).update(status=ExportStatus.QUEUED)
        raise
    except Exception as exc:
        logger.exception("PDF export %s failed", export_id)
        services.fail(export_id, f"The export failed unexpectedly: {type(exc).__name__}.")
        return "failed"
    return "done"


@shared_task(name="exports.tasks.sweep_stale_exports", ignore_result=True)
def sweep_stale_exports() -> int:
    return len(services.sweep_stale())
