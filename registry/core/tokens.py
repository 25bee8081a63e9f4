"""API tokens: create, authenticate, revoke. The only writes of `ApiToken` rows.

A key is 40 random hex characters (160 bits); the database keeps its sha256 digest, so a
copy of the database authenticates nobody. Keys are looked up by digest: the lookup is on
a hash of the secret (learning how long it took tells nothing about the key), and the
digest found is compared in constant time all the same.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.core.audit import AuditAction, record_audit_event, register_actions
from registry.core.choices import TokenRevocation
from registry.core.errors import DomainError, PermissionDeniedError
from registry.core.models import TOKEN_NAME_MAX_LENGTH, TOKEN_PREFIX_LENGTH, ApiToken

TOKEN_CREATE = AuditAction("token.create", "created an API token")
TOKEN_REVOKE = AuditAction("token.revoke", "revoked an API token")
register_actions(TOKEN_CREATE, TOKEN_REVOKE)

KEY_BYTES = 20
#: `last_used_at` is written at most this often per token: one write a minute, not one
#: per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def token_ttl() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


@dataclass(frozen=True)
class CreatedToken:
    """A new token and its key: the only moment the key is known."""

    token: ApiToken
    key: str


def validate_token_name(name: Any) -> str:
    """The name as given, or a DomainError naming the field `name`: 1 to 100 printable
    characters (no control characters, NUL or lone surrogates), nothing else."""
    if not isinstance(name, str):
        raise DomainError("A token's name is text.", field="name")
    if not name.strip():
        raise DomainError("Give the token a name, e.g. the script that will use it.", field="name")
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise DomainError(
            f"A token's name has at most {TOKEN_NAME_MAX_LENGTH} characters.", field="name"
        )
    if not name.isprintable():
        raise DomainError(
            "A token's name may not contain control characters, NUL or lone surrogates.",
            field="name",
        )
    return name


def token_create(*, user, name: str | None = None) -> CreatedToken:
    """A new active token for `user`, named `name` (default: `token-<prefix>`), expiring
    after API_TOKEN_TTL_DAYS. A name is unique among the user's unrevoked tokens; an
    expired token holding the name is revoked (replaced) by the new one. Records
    `token.create`. The returned key is never stored."""
    if not user.is_active:
        raise PermissionDeniedError("An inactive account cannot hold API tokens.")
    key = secrets.token_hex(KEY_BYTES)
    prefix = key[:TOKEN_PREFIX_LENGTH]
    name = f"token-{prefix}" if name is None else validate_token_name(name)
    now = timezone.now()
    try:
        with transaction.atomic():
            ApiToken.objects.filter(
                user=user, name=name, revoked_at__isnull=True, expires_at__lte=now
            ).update(revoked_at=now, revoked_reason=TokenRevocation.REPLACED)
            token = ApiToken.objects.create(
                user=user,
                name=name,
                prefix=prefix,
                digest=key_digest(key),
                created_at=now,
                expires_at=now + token_ttl(),
            )
            record_audit_event(
                actor=user,
                action=TOKEN_CREATE,
                obj=token,
                payload={
                    "name": name,
                    "prefix": prefix,
                    "expires_at": token.expires_at.isoformat(),
                },
            )
    except IntegrityError:
        # The name check is the database's conditional unique constraint, so that two
        # concurrent requests cannot both take a name.
        raise DomainError(
            f"You already have an active token named “{name}”. Revoke it or choose another name.",
            field="name",
        ) from None
    return CreatedToken(token=token, key=key)


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke `token` (its owner, or staff). Revoking a revoked token changes nothing.
    Records `token.revoke`."""
    if not actor.has_perm("core.delete_apitoken", token):
        raise PermissionDeniedError("Only the token's owner or staff may revoke it.")
    reason = TokenRevocation.OWNER if token.user_id == actor.pk else TokenRevocation.STAFF
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_reason = reason
            locked.save(update_fields=["revoked_at", "revoked_reason"])
            record_audit_event(
                actor=actor, action=TOKEN_REVOKE, obj=locked, payload={"reason": reason}
            )
    return locked


def tokens_revoke_all(*, user, reason: TokenRevocation) -> int:
    """Revoke every unrevoked token of `user` (a password change, a deactivation). One
    `token.revoke` event per token, with the reason; the actor is unknown here (the change
    may come from the admin, a management command or a form), the request id ties the
    events to the request. Returns how many tokens were revoked."""
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        )
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.revoked_reason = reason
            record_audit_event(
                actor=None, action=TOKEN_REVOKE, obj=token, payload={"reason": reason}
            )
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(
            revoked_at=now, revoked_reason=reason
        )
    return len(tokens)


class TokenRefused(Exception):
    """The key authenticates nobody; `message` says why, for the 401."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_authenticate(key: str) -> ApiToken:
    """The active token of an active user whose key is `key`, else TokenRefused. Marks the
    token used (at most once a minute)."""
    digest = key_digest(key)
    token = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        raise TokenRefused("Invalid token.")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("This token has been revoked.")
    if token.expires_at <= now:
        raise TokenRefused("This token has expired: create a new one.")
    if not token.user.is_active:
        raise TokenRefused("User inactive or deleted.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
