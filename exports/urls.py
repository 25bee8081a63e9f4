from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("designdocs/<slug:slug>/", views.designdoc_export, name="designdoc_export"),
    path("subjects/<slug:name>/", views.subject_export, name="subject_export"),
    path("<int:pk>/", views.export_detail, name="export"),
    path("<int:pk>/status/", views.export_status, name="export_status"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
    path("<int:pk>/retry/", views.export_retry, name="export_retry"),
]
