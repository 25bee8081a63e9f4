"""Sign-in lockout (django-axes): who a client is, and what a locked-out person sees.

Axes counts failed password checks wherever Django's `authenticate()` runs: the login page,
the admin's login page and the API token endpoint alike, so a guess at one counts at all.
This module gives it the client address (the same rule as the API's NUM_PROXIES) and the
page a locked-out browser gets; the token endpoint answers in the API's error shape.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry NUM_PROXIES trusted proxies added to
    X-Forwarded-For (counted from the right, as DRF does). What a client writes there
    itself sits further left and is never read; an entry that is no address (a proxy
    count larger than the real one) falls back to REMOTE_ADDR, so nobody escapes the count."""
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not settings.NUM_PROXIES or not forwarded:
        return remote_addr
    entries = [entry.strip() for entry in forwarded.split(",")]
    candidate = entries[-min(settings.NUM_PROXIES, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, cool_off_seconds() // 60)
    return (
        f"Too many failed sign-in attempts. Sign-in is paused for {minutes} minutes "
        "(each further attempt restarts the wait); an administrator can lift it sooner."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked-out login form (ours or the admin's) answers: 429 with Retry-After.
    Axes calls this (AXES_LOCKOUT_CALLABLE) instead of its plain-text default."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    response = render(
        request,
        "registration/locked_out.html",
        {
            "message": lockout_message(),
            "username": username,
            "minutes": max(1, cool_off_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(cool_off_seconds())
    return response
