"""Sign-in: the API token endpoint and the login page. Both check passwords through
`authenticate()`, so django-axes' lockout (settings: AXES_*) covers them, and the admin's
login page, with one count (registry/core/sign_in.py)."""

from django.contrib.auth import views as auth_views
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError

from registry.core.sign_in import cool_off_seconds, lockout_message


class ObtainTokenView(ObtainAuthToken):
    """POST a username and password (JSON or form) to get your API token."""

    renderer_classes = ObtainAuthToken.renderer_classes
    extra_error_codes = ("429",)

    # Anyone may ask (auth=[]): the credentials are in the body.
    @extend_schema(tags=["auth"], auth=[])
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # Axes marks the request it was handed (DRF's), which its middleware never sees.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(wait=cool_off_seconds(), detail=lockout_message()) from None
            raise


class ThrottledLoginView(auth_views.LoginView):
    """The login page. Axes throttles it: its middleware swaps a locked-out attempt for the
    lockout page (registry.core.sign_in.lockout_response)."""

    redirect_authenticated_user = True
