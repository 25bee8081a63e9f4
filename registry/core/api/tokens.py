"""/api/auth/token/ (sign in: a new token) and /api/auth/tokens/ (my tokens: list, revoke).
The key is in the sign-in response only; nothing else ever shows it."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.choices import TokenRevocation, TokenState
from registry.core.errors import DomainError
from registry.core.models import TOKEN_NAME_MAX_LENGTH, ApiToken
from registry.core.tokens import token_revoke, validate_token_name

SIGN_IN_REFUSED = "Unable to log in with provided credentials."


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean is refused, not turned into a string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TokenSignInSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150, write_only=True)
    password = StrictCharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    name = StrictCharField(
        max_length=TOKEN_NAME_MAX_LENGTH,
        required=False,
        trim_whitespace=False,
        write_only=True,
        help_text="What the token is for, e.g. the script that uses it; unique among your "
        "active tokens. Default: `token-<prefix>`.",
    )

    def validate_name(self, value: str) -> str:
        try:
            return validate_token_name(value)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from None

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:  # wrong credentials, or an inactive account
            raise serializers.ValidationError(SIGN_IN_REFUSED, code="authorization")
        attrs["user"] = user
        return attrs


class TokenCreatedSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The key: send `Authorization: Token <key>`. Shown once."
    )
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires = serializers.DateTimeField(help_text="When the token stops working.")


class RevocationField(serializers.ChoiceField):
    """Why a token was revoked; null while it is not (the model stores it blank)."""

    def to_representation(self, value):
        return value or None


class ApiTokenSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=TokenState.choices, read_only=True, help_text="The state now."
    )
    revoked_reason = RevocationField(
        choices=TokenRevocation.choices, allow_null=True, read_only=True
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "state", "created_at", "last_used_at", "expires_at",
                  "revoked_at", "revoked_reason"]  # fmt: skip
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(tags=["auth"], summary="My API tokens (never their keys), newest first"),
    destroy=extend_schema(tags=["auth"], summary="Revoke one of my API tokens"),
)
class ApiTokenViewSet(
    RegistryViewSetMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your API tokens. Revoking one ends it at once, for good; revoking it again changes
    nothing. Someone else's token is a 404."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # the schema's model; requests use visible_queryset

    def visible_queryset(self, user):
        if not user.is_authenticated:  # schema generation
            return ApiToken.objects.none()
        # "Your tokens": staff may revoke others' in the admin, but the API lists one's own.
        return ApiToken.objects.restrict(user, "view").filter(user=user)

    def destroy(self, request, *args, **kwargs):
        token_revoke(actor=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
