"""/api/: the product's one router (registry.core.api.routes, filled by each app), the
token endpoint and the schema."""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from registry.core.api.auth import ObtainTokenView
from registry.core.api.routes import router
from registry.core.api.search import SearchView
from registry.core.views import page_not_found

app_name = "api"

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
    path("search/", SearchView.as_view(), name="search"),
    path("", include(router.urls)),
    # Unknown API paths get the JSON error shape, in DEBUG too (Django's debug 404 is HTML).
    re_path(r"^.*$", page_not_found, name="not-found"),
]
