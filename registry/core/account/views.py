"""The account pages: my API tokens. Thin: the services in registry.core.tokens do the work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from registry.core.account.forms import TokenCreateForm
from registry.core.errors import DomainError
from registry.core.models import ApiToken
from registry.core.tokens import token_create, token_revoke

TOKENS_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """GET: my tokens and the form to create one. POST: create one, and show its key on
    this response only (never stored, never redirected through a URL or the session)."""
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from None
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user)
    page = Paginator(tokens, TOKENS_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "account/token_list.html",
        {"form": form, "page": page, "created": created, "ttl_days": settings.API_TOKEN_TTL_DAYS},
        status=400 if request.method == "POST" and created is None else 200,
    )
    if created is not None:
        response["Cache-Control"] = "no-store"  # the key must not linger in a cache
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of my tokens (someone else's is a 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is not None:
        messages.info(request, f"“{token.name}” was already revoked.")
    else:
        token_revoke(actor=request.user, token=token)
        messages.success(
            request, f"Revoked “{token.name}”. Anything still using it now gets 401 responses."
        )
    return redirect("account:token_list")
