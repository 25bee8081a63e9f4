"""Cross-cutting views: health, the home dashboard, and error pages (JSON under /api/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from registry.core import panels
from registry.core import search as registry_search
from registry.core.api.exceptions import json_error_response
from registry.core.health import health_report


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: every panel the apps registered, in order."""
    return render(request, "home.html", {"panels": panels.panels_for(request)})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search across what the user may see, grouped by type with true counts; one type
    alone is paginated and faceted."""
    wanted = request.GET.get("type", "")
    facet_values = {
        key: value for key, value in request.GET.items() if key not in ("q", "type", "page")
    }
    results = registry_search.search(
        user=request.user,
        q=request.GET.get("q", ""),
        type=wanted,
        facets=facet_values,
        page=request.GET.get("page"),
    )
    visible = [g for g in results.groups if not results.type or g.key == results.type]
    return render(
        request,
        "search.html",
        {
            "q": results.query,
            "results": results,
            "groups": results.groups,
            "visible_groups": visible,
            "type": results.type,
            "total": results.total,
            "per_group": registry_search.RESULTS_PER_GROUP,
        },
    )


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
