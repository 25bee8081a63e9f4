"""Cross-cutting views: health, the home dashboard, and error pages (JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from registry.core.api.exceptions import json_error_response
from registry.core.health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    http_status, body = health_report()
    return JsonResponse(body, status=http_status)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, message: str, template: str) -> HttpResponse:
    if _is_api(request):
        return json_error_response(status, code, message)
    return render(request, template, {"message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", "The request could not be understood.", "400.html")


def permission_denied(request, exception=None):
    return _error(
        request, 403, "permission_denied", "You do not have permission to do this.", "403.html"
    )


@csrf_exempt  # an unknown address is a 404 whatever the method, never a CSRF refusal
def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", "There is nothing at this address.", "404.html")


def server_error(request):
    return _error(
        request,
        500,
        "server_error",
        "Something went wrong on our side; it has been logged.",
        "500.html",
    )


def csrf_failure(request, reason=""):
    message = "The form expired or came from another site. Reload the page and try again."
    return _error(request, 403, "csrf_failed", message, "403.html")
