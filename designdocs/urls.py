from django.urls import path

from designdocs import views

app_name = "designdocs"

urlpatterns = [
    path("", views.designdoc_list, name="designdoc_list"),
]
