"""What /healthz reports: the database, the broker and the workers' last heartbeat."""

from __future__ import annotations

import datetime
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from registry.core.models import WorkerHeartbeat

HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "error", "vendor": connection.vendor, "error": type(exc).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def check_broker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "in_process", "detail": "No broker configured: tasks run in-process."}
    app = current_app  # the project's app (registry/celery.py), set up when Django starts
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "transport": app.conf.broker_url.split("://", 1)[0]}


def check_workers() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "in_process"}
    try:
        beats = list(WorkerHeartbeat.objects.order_by("-last_seen")[:20])
    except DatabaseError:
        return {"status": "unknown"}
    fresh = [b for b in beats if timezone.now() - b.last_seen < HEARTBEAT_STALE_AFTER]
    return {
        "status": "ok" if fresh else "no_recent_heartbeat",
        "alive": len(fresh),
        "last_seen": beats[0].last_seen.isoformat() if beats else None,
    }


def health_report() -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 503 when the database is unreachable, else 200; a broker
    problem makes the report `degraded` (pages still work, background jobs wait)."""
    database = check_database()
    broker = check_broker()
    workers = check_workers() if database["status"] == "ok" else {"status": "unknown"}
    if database["status"] != "ok":
        overall, http_status = "error", 503
    elif broker["status"] == "error":
        overall, http_status = "degraded", 200
    else:
        overall, http_status = "ok", 200
    body = {
        "status": overall,
        "version": settings.REGISTRY_VERSION,
        "checks": {"database": database, "broker": broker, "workers": workers},
    }
    return http_status, body
