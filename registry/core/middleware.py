"""Request id, the product's error pages in debug mode, and the one-line log of refused
requests (the Content-Security-Policy comes from django-csp)."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve

from registry.core.context import current_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Tag each request with an id (the caller's X-Request-ID when it is sane), for logs and
    audit events, and echo it back in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


class OneLineClientErrors(logging.Filter):
    """A refused request (403, 404, any 4xx) is the client's business, not a fault: log it
    as one line, without the traceback Django attaches to it. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class ProductErrorPagesMiddleware:
    """The product's own error pages in every mode. With DEBUG on, Django would answer an
    unknown address or an exception raised by a view with its technical page (unstyled
    under the Content-Security-Policy, and not made for a phone); here the product's page
    answers instead (JSON under /api/) and the detail goes to the console log. After
    CommonMiddleware (which still redirects to the address with a slash) and the
    Content-Security-Policy (which reaches these pages too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return self._not_found(request, exc)
            refused = self._unreadable_form(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _unreadable_form(self, request):
        """The product's 400 for a page's form that cannot be read (too many fields, not
        UTF-8, a broken multipart body). The CSRF check reads the form in its process_view,
        whose exceptions reach no process_exception: with DEBUG on, Django would answer with
        its technical page (traceback and settings), which reads the form again and, for a
        body it cannot decode, crashes into a bare 500. Read it here first. (The API's views
        are exempt from the CSRF check; their parsers answer in the API's error shape.)"""
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        if request.path_info.startswith("/api/"):
            return None
        try:
            request.POST  # noqa: B018 (parsed once; Django keeps the result)
        except (BadRequest, SuspiciousOperation, MultiPartParserError, UnicodeError) as exc:
            from registry.core import views

            response = views.bad_request(request, exc)
            _logged(response, logging.WARNING, "Bad Request: %s (%s)", request, exc)
            return response
        return None

    def process_exception(self, request, exception):
        if not settings.DEBUG or settings.DEBUG_PROPAGATE_EXCEPTIONS:
            return None  # Django's own handling already renders the product's pages
        # Not at the top: the log configuration imports this module before the apps load.
        from registry.core import views

        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        if isinstance(exception, PermissionDenied | MultiPartParserError):
            return None  # Django renders handler403/handler400 in every mode
        if isinstance(exception, BadRequest | SuspiciousOperation):
            response = views.bad_request(request, exception)
            _logged(response, logging.WARNING, "Bad Request: %s (%s)", request, exception)
            return response
        signals.got_request_exception.send(sender=None, request=request)
        response = views.server_error(request)
        _logged(response, logging.ERROR, "Internal Server Error: %s", request, exc=exception)
        return response

    def _not_found(self, request, exception):
        from registry.core import views

        response = views.page_not_found(request, exception)
        _logged(response, logging.WARNING, "Not Found: %s (%s)", request, exception)
        return response


_request_logger = logging.getLogger("django.request")


def _logged(response, level, message, request, detail=None, *, exc=None):
    """Log the error the way Django would (its `django.request` logger), with the detail a
    developer needs, once: Django does not log a response marked as logged again."""
    args = (request.path,) if detail is None else (request.path, _reason(detail))
    _request_logger.log(
        level,
        message,
        *args,
        exc_info=exc,
        extra={"status_code": response.status_code, "request": request},
    )
    response._has_been_logged = True


def _reason(exception) -> str:
    if isinstance(exception, Resolver404):
        return "no URL pattern matches"
    return str(exception) or exception.__class__.__name__
