"""The one audit log, and the registry of its action codes.

Each app declares its actions in its own `audit.py` (`DESIGNDOC_CREATE = AuditAction(
"designdoc.create", "created")`) and registers them; services record them with
`record_audit_event(action=DESIGNDOC_CREATE, ...)` and tests compare against the same
constants. Labels live with the app, never in the project package; the audit admin and the
activity lists read them from here. Recording an undeclared code is a programming error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from registry.core.context import current_request_id
from registry.core.models import AuditEvent

PAYLOAD_MAX_KEYS = 50


@dataclass(frozen=True)
class AuditAction:
    code: str  # "designdoc.update": <object>.<verb>
    label: str  # the verb shown in activity lists: "edited"

    def __str__(self) -> str:
        return self.code


_actions: dict[str, AuditAction] = {}


def register_actions(*actions: AuditAction) -> None:
    for action in actions:
        known = _actions.get(action.code)
        if known is not None and known != action:
            raise ValueError(f"Audit action {action.code} is already declared differently.")
        _actions[action.code] = action


def audit_actions() -> list[AuditAction]:
    return sorted(_actions.values(), key=lambda a: a.code)


def action_label(code: str) -> str:
    """The declared label of an action code; the code itself for one no longer declared
    (events outlive the code that wrote them)."""
    action = _actions.get(code)
    return action.label if action else code


def record_audit_event(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` (a dotted code such as `designdoc.update`) to `obj`.

    Call it inside the service's transaction so that the event commits or rolls back with
    the change. The request id comes from the current request, when there is one.
    """
    code = action.code if isinstance(action, AuditAction) else action
    if code not in _actions:
        raise ValueError(f"Audit action {code!r} is not declared (registry.core.audit).")
    payload = dict(payload or {})
    if len(payload) > PAYLOAD_MAX_KEYS:
        raise ValueError("An audit payload is a small summary, not a copy of the object.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=code,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        payload=payload,
        request_id=current_request_id.get(),
    )
