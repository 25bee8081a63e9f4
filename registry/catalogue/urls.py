from django.urls import path

from registry.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("<slug:slug>/", views.team_detail, name="team"),
]
