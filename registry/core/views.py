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
from registry.core.errors import DomainError
from registry.core.health import health_report
from registry.core.markdown import validate_markdown
from registry.core.throttle import markdown_preview_wait


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: every panel the apps registered, in order."""
    return render(request, "home.html", {"panels": panels.panels_for(request)})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One search across what the user may see, grouped by type with true counts; one type
    alone is paginated and faceted. A parameter it does not know is shown as an error."""
    try:
        params = registry_search.parameters(request.GET)
    except DomainError as exc:
        q = registry_search.clean_query(request.GET.get("q", ""))
        context = {"q": q, "error": exc.message, "groups": [], "visible_groups": [], "total": 0}
        return render(request, "search.html", context, status=400)
    results = registry_search.search(
        user=request.user,
        q=params["q"],
        type=params["type"],
        facets=params["facets"],
        page=params["page"],
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


def markdown_preview_response(request: HttpRequest, *, text: str, field: str, template: str):
    """The live preview of `text` (htmx): through the product's one sanitiser, refused as
    saving would refuse it (the error in place of the preview), limited per user
    (MARKDOWN_PREVIEW_RATE: 429 with Retry-After past it). `template` gets `text` and
    `error`."""
    wait = markdown_preview_wait(request.user)
    if wait:
        error = f"Preview paused after too many updates; it resumes in {wait} s. Your text is kept."
        response = render(request, template, {"text": "", "error": error}, status=429)
        response["Retry-After"] = str(wait)
        return response
    error = ""
    try:
        validate_markdown(text, field=field)
    except DomainError as exc:
        error, text = exc.message, ""
    return render(request, template, {"text": text, "error": error})
