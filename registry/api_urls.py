"""/api/: one router for the whole product, so that /api/ lists every collection."""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from designdocs.api.urls import register_designdoc_routes
from registry.catalogue.api.views import TeamViewSet
from registry.core.api.auth import ObtainTokenView
from registry.core.views import page_not_found

app_name = "api"

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
register_designdoc_routes(router)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles on its own elements; its page still allows no inline script.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    # Unknown API paths get the JSON error shape, in DEBUG too (Django's debug 404 is HTML).
    re_path(r"^.*$", page_not_found, name="not-found"),
]
