"""The browsable API is for staff only.

Its forms offer every method a view allows (DELETE, PUT, PATCH on any design doc for an
architect, who would get 403s), and it renders through the user's session. Everyone else
asking for HTML (a browser on an API URL, `?format=api`) gets JSON.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer


def _may_browse(request) -> bool:
    # Reading request.user authenticates the request now (DRF negotiates first). A refused
    # token raises its 401 from here, as it would a moment later.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class StaffBrowsableNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if not _may_browse(request):
            renderers = [
                r for r in renderers if not isinstance(r, BrowsableAPIRenderer)
            ] or renderers
            fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            if fmt == BrowsableAPIRenderer.format:
                # `?format=api` is not a 404 for them: they get the same data as JSON.
                return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
