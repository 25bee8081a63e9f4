"""The one audit log. Every service that changes something calls `record_audit_event`."""

from __future__ import annotations

from typing import Any

from django.db import models

from registry.core.context import current_request_id
from registry.core.models import AuditEvent

PAYLOAD_MAX_KEYS = 50


def record_audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` (a dotted code such as `designdoc.update`) to `obj`.

    Call it inside the service's transaction so that the event commits or rolls back with
    the change. The request id comes from the current request, when there is one.
    """
    payload = dict(payload or {})
    if len(payload) > PAYLOAD_MAX_KEYS:
        raise ValueError("An audit payload is a small summary, not a copy of the object.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        payload=payload,
        request_id=current_request_id.get(),
    )
