"""Sign-in: the API token endpoint and the login page share one throttle on password
guessing, keyed by the client address (REMOTE_ADDR, or the address NUM_PROXIES trusted
proxies put in X-Forwarded-For)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class SignInRateThrottle(AnonRateThrottle):
    """Attempts to sign in per client address (rate: SIGN_IN_RATE)."""

    scope = "sign_in"


# The name the API code and its tests know it by.
TokenRateThrottle = SignInRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST a username and password (JSON or form) to get your API token."""

    throttle_classes = [SignInRateThrottle]
    renderer_classes = ObtainAuthToken.renderer_classes
    extra_error_codes = ("429",)

    # Anyone may ask (auth=[]): the credentials are in the body.
    @extend_schema(tags=["auth"], auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


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
