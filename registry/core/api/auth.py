"""Sign-in: the API token endpoint and the login page. Both check passwords through
`authenticate()`, so django-axes' lockout (settings: AXES_*) covers them, and the admin's
login page, with one count (registry/core/sign_in.py)."""

from django.contrib.auth import views as auth_views
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.core.api import parsers
from registry.core.api.tokens import TokenCreatedSerializer, TokenSignInSerializer
from registry.core.sign_in import cool_off_seconds, lockout_message
from registry.core.tokens import token_create


class ObtainTokenView(APIView):
    """POST a username and password (JSON or form), and optionally a `name`, to get a new
    API token. Each call makes another token (one per script); it expires after
    API_TOKEN_TTL_DAYS days. The key is in this response only."""

    # The credentials are in the body: a stale `Authorization` header a script still sends
    # (an expired token) must not stand in the way of getting a new one.
    authentication_classes = ()
    permission_classes = ()
    # The project's parsers: bounded JSON (DRF's recursed into a 500 on deep nesting).
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    renderer_classes = (renderers.JSONRenderer,)
    extra_error_codes = ("429",)

    # Anyone may ask (auth=[]): the credentials are in the body.
    @extend_schema(
        tags=["auth"], auth=[], request=TokenSignInSerializer, responses=TokenCreatedSerializer
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenSignInSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # Axes marks the request it was handed (DRF's), which its middleware never sees.
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                raise Throttled(wait=cool_off_seconds(), detail=lockout_message()) from None
            raise
        created = token_create(
            user=serializer.validated_data["user"], name=serializer.validated_data.get("name")
        )
        token = created.token
        body = {"token": created.key, "id": token.pk, "name": token.name,
                "prefix": token.prefix, "expires": token.expires_at}  # fmt: skip
        return Response(TokenCreatedSerializer(body).data, headers={"Cache-Control": "no-store"})


class ThrottledLoginView(auth_views.LoginView):
    """The login page. Axes throttles it: its middleware swaps a locked-out attempt for the
    lockout page (registry.core.sign_in.lockout_response)."""

    redirect_authenticated_user = True
