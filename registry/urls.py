from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from registry.core import views as core_views
from registry.core.api.auth import ThrottledLoginView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("search/", core_views.search, name="search"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("teams/", include("teams.urls")),
    path("designdocs/", include("designdocs.urls")),
    path("reviews/", include("reviews.urls")),
    path("exports/", include("exports.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("maturity/", include("maturity.urls")),
    path("account/", include("registry.core.account.urls")),
    path("api/", include("registry.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "registry.core.views.bad_request"
handler403 = "registry.core.views.permission_denied"
handler404 = "registry.core.views.page_not_found"
handler500 = "registry.core.views.server_error"
