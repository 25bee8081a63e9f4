"""Core periodic tasks."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from registry.core.models import WorkerHeartbeat


@shared_task(name="registry.core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat(hostname: str | None = None) -> str:
    """Record that a worker is alive and running tasks (scheduled every minute by beat).
    Idempotent: one row per worker host, updated in place."""
    name = hostname or worker_heartbeat.request.hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=name, defaults={"last_seen": timezone.now()})
    return name
