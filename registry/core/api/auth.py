"""Sign-in: the API token endpoint and the login page share one throttle on password
guessing, keyed by the client address (REMOTE_ADDR, or the address NUM_PROXIES trusted
proxies put in X-Forwarded-For)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, renderers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from registry.core.api.tokens import TokenCreatedSerializer, TokenSignInSerializer
from registry.core.tokens import token_create


class SignInRateThrottle(AnonRateThrottle):
    """Attempts to sign in per client address (rate: SIGN_IN_RATE)."""

    scope = "sign_in"


# The name the API code and its tests know it by.
TokenRateThrottle = SignInRateThrottle


class ObtainTokenView(APIView):
    """POST a username and password (JSON or form), and optionally a `name`, to get a new
    API token. Each call makes another token (one per script); it expires after
    API_TOKEN_TTL_DAYS days. The key is in this response only."""

    throttle_classes = [SignInRateThrottle]
    # The credentials are in the body: a stale `Authorization` header a script still sends
    # (an expired token) must not stand in the way of getting a new one.
    authentication_classes = ()
    permission_classes = ()
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    renderer_classes = (renderers.JSONRenderer,)
    extra_error_codes = ("429",)

    # Anyone may ask (auth=[]): the credentials are in the body.
    @extend_schema(
        tags=["auth"], auth=[], request=TokenSignInSerializer, responses=TokenCreatedSerializer
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenSignInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        created = token_create(
            user=serializer.validated_data["user"], name=serializer.validated_data.get("name")
        )
        token = created.token
        body = {"token": created.key, "id": token.pk, "name": token.name,
                "prefix": token.prefix, "expires": token.expires_at}  # fmt: skip
        return Response(TokenCreatedSerializer(body).data, headers={"Cache-Control": "no-store"})


class ThrottledLoginView(auth_views.LoginView):
    """The login page, with the token endpoint's limit on attempts."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        throttle = SignInRateThrottle()
        if not throttle.allow_request(request, self):
            wait = int(throttle.wait() or 60)
            form = self.get_form()
            form.is_valid()  # bind, so the page shows what was typed
            form.errors.clear()
            form.add_error(None, f"Too many sign-in attempts. Wait {wait} seconds and try again.")
            response: HttpResponse = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
