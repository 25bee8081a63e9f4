from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.TeamListView.as_view(), name="team_list"),
    path("new/", views.TeamCreateView.as_view(), name="team_add"),
    path("<slug:slug>/", views.TeamDetailView.as_view(), name="team"),
    path("<slug:slug>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("<slug:slug>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    path("<slug:slug>/members/", views.membership_add, name="membership_add"),
    path(
        "<slug:slug>/members/<int:membership_id>/role/",
        views.membership_change,
        name="membership_change",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
