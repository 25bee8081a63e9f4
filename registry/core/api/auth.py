from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class TokenRateThrottle(AnonRateThrottle):
    """Bounds password guessing through the token endpoint (rate in settings)."""

    scope = "auth_token"


class ObtainTokenView(ObtainAuthToken):
    """POST a username and password (JSON or form) to get your API token."""

    throttle_classes = [TokenRateThrottle]
    renderer_classes = ObtainAuthToken.renderer_classes
    extra_error_codes = ("429",)

    # Anyone may ask (auth=[]): the credentials are in the body.
    @extend_schema(tags=["auth"], auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
