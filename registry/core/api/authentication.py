"""`Authorization: Token <key>`: the registry's own hashed, expiring, revocable API tokens
(registry.core.tokens). A refused key is a 401 in the API's one error shape."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from registry.core.models import ApiToken
from registry.core.tokens import TokenRefused, token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing (and drf-spectacular's `tokenAuth` scheme, which it documents
    for subclasses), with the lookup by digest. `request.auth` is the ApiToken."""

    model = ApiToken

    def authenticate_credentials(self, key):
        try:
            token = token_authenticate(key)
        except TokenRefused as refusal:
            raise exceptions.AuthenticationFailed(refusal.message) from None
        return (token.user, token)
