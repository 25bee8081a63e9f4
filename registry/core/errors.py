"""The one domain error type. Services raise it; views turn it into a form error and the
API into a 4xx of the standard error shape."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a user can read: `message` says why, `field` names the input at fault."""

    status_code = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})
        if code:
            self.code = code


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "permission_denied"


class ConflictError(DomainError):
    """The request is well formed but the object's state refuses it (e.g. illegal transition)."""

    status_code = 409
    code = "conflict"


class PreconditionRequiredError(DomainError):
    status_code = 428
    code = "precondition_required"


class StaleVersionError(DomainError):
    """An update based on a version that is no longer current. Nothing was changed."""

    status_code = 412
    code = "stale_version"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version
