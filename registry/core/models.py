"""Shared models: the audit log and worker heartbeats. No domain rules live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One attributable change: who did what to which object, and when.

    Rows are written by services inside the transaction of the change they describe, so an
    event exists exactly when its change was committed. They are never updated; the actor's
    username is copied so that the trail survives the deletion of the user or the object.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_username = models.CharField("actor username", max_length=150, blank=True)
    action = models.CharField("action", max_length=64, db_index=True)
    object_type = models.CharField("object type", max_length=64, blank=True)
    object_id = models.CharField("object id", max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=200, blank=True)
    payload = models.JSONField("payload", default=dict, blank=True)
    request_id = models.CharField("request id", max_length=64, blank=True)
    created_at = models.DateTimeField("time", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]
        verbose_name = "audit event"

    def __str__(self) -> str:
        who = self.actor_username or "system"
        return f"{who} {self.action} {self.object_repr}".strip()


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the periodic heartbeat task; shown by /healthz."""

    hostname = models.CharField("worker hostname", max_length=200, unique=True)
    last_seen = models.DateTimeField("last seen")

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen:%Y-%m-%d %H:%M:%S}"
