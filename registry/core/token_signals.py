"""A password change and a deactivation revoke the user's API tokens, whatever made them:
the admin, `manage.py changepassword`, a password form, `set_password()` + `save()`,
`set_unusable_password()`. Only `QuerySet.update()` goes around model signals.

A login that upgrades the stored hash (Django re-hashes with the preferred hasher or more
iterations when a password is checked) keeps the same password and keeps the tokens.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db.models.signals import post_save, pre_save

from registry.core.choices import TokenRevocation
from registry.core.tokens import tokens_revoke_all

WATCHED = frozenset({"password", "is_active"})


def _is_rehash(instance, update_fields, old_hash: str) -> bool:
    """`check_password()`'s own upgrade: it saves only `password`, after clearing the raw
    password that `set_password()` keeps, and only when the old hash needed upgrading."""
    if getattr(instance, "_password", None) is not None:
        return False
    if update_fields is None or set(update_fields) != {"password"}:
        return False
    try:
        old_hasher = identify_hasher(old_hash)
    except ValueError:  # unusable or unknown: nothing to upgrade from
        return False
    preferred = get_hasher("default")
    return old_hasher.algorithm != preferred.algorithm or preferred.must_update(old_hash)


def _note_credential_changes(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._token_revocation = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not (set(update_fields) & WATCHED):
        return  # e.g. the login's last_login update: no extra query
    old = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["is_active"] and not instance.is_active:
        instance._token_revocation = TokenRevocation.DEACTIVATED
    elif old["password"] != instance.password and not _is_rehash(
        instance, update_fields, old["password"]
    ):
        instance._token_revocation = TokenRevocation.PASSWORD_CHANGED


def _revoke_tokens(sender, instance, raw=False, **kwargs):
    reason = getattr(instance, "_token_revocation", None)
    if raw or reason is None:
        return
    instance._token_revocation = None
    tokens_revoke_all(user=instance, reason=reason)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_note_credential_changes, sender=user_model, dispatch_uid="tokens-pre")
    post_save.connect(_revoke_tokens, sender=user_model, dispatch_uid="tokens-post")
