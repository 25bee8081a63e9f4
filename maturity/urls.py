from django.urls import path

from maturity import views

app_name = "maturity"

urlpatterns = [
    path("", views.portfolio_view, name="portfolio"),
    path("models/", views.model_list_view, name="model_list"),
    path("models/<slug:slug>/", views.model_detail_view, name="model"),
    path("assessments/<int:pk>/", views.assessment_view, name="assessment"),
    path("compare/", views.compare_view, name="compare"),
    path("assess/<slug:subject_type>/<int:pk>/", views.assess_view, name="assess"),
    path("designdocs/<slug:slug>/classify/", views.classify_view, name="classify"),
]
