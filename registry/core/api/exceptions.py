"""One error shape for every 4xx of the API:

    {"status": 400, "code": "invalid", "message": "title: This field is required.",
     "errors": {"title": ["This field is required."]}}

`errors` maps field names (dotted for nested rows, e.g. `risks.2.owner`) to messages;
`non_field_errors` holds what belongs to no single field.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from registry.core.errors import DomainError, StaleVersionError


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"dotted.field": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for sub_key, messages in _flatten(value, name).items():
                flat.setdefault(sub_key, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for sub_key, messages in _flatten(item, f"{prefix}.{index}").items():
                    flat.setdefault(sub_key, []).extend(messages)
    elif detail not in (None, ""):
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


#: For views that check a serializer themselves and answer in the one error shape.
flatten_errors = _flatten


def _summary(errors: dict[str, list[str]], fallback: str) -> str:
    if not errors:
        return fallback
    field, messages = next(iter(errors.items()))
    text = messages[0] if messages else fallback
    return text if field == "non_field_errors" else f"{field}: {text}"


def error_body(
    status_code: int, code: str, message: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"status": status_code, "code": code, "message": message, "errors": errors or {}}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        body = error_body(exc.status_code, exc.code, exc.message, exc.errors)
        if isinstance(exc, StaleVersionError):
            body["current_version"] = exc.current_version
        body.update(getattr(exc, "extra_body", None) or {})  # what an error type adds
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Response(
            error_body(400, "invalid", _summary(errors, "Invalid input."), errors), status=400
        )
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent)):
        message = (
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB."
            if isinstance(exc, RequestDataTooBig)
            else "The request has too many fields."
        )
        return Response(error_body(413, "too_large", message), status=413)
    if isinstance(exc, ProtectedError):
        message = "This object is still referenced by others and cannot be deleted."
        return Response(error_body(409, "protected", message), status=409)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = _summary(errors, "Invalid input.")
        code = "invalid"
    else:
        errors = {}
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        code = getattr(exc, "default_code", "error")
    response.data = error_body(response.status_code, code, message, errors)
    return response


def json_error_response(status_code: int, code: str, message: str) -> JsonResponse:
    """The same shape for errors raised outside DRF (unknown URL, CSRF failure, crash)."""
    return JsonResponse(error_body(status_code, code, message), status=status_code)


__all__ = [
    "api_exception_handler",
    "error_body",
    "flatten_errors",
    "json_error_response",
    "status",
]
