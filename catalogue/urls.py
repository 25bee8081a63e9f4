from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.BrowseView.as_view(), name="browse"),
    path("components/", views.ComponentListView.as_view(), name="component_list"),
    path("components/new/", views.ComponentCreateView.as_view(), name="component_add"),
    path("components/<slug:slug>/", views.ComponentDetailView.as_view(), name="component"),
    path("components/<slug:slug>/edit/", views.ComponentEditView.as_view(), name="component_edit"),
    path(
        "components/<slug:slug>/transition/",
        views.ComponentTransitionView.as_view(),
        name="component_transition",
    ),
    path("import/", views.ImportView.as_view(), name="import"),
    path("preview/", views.markdown_preview, name="markdown_preview"),
    path("architectures/new/", views.ArchitectureCreateView.as_view(), name="architecture_add"),
    path("architectures/<slug:slug>/", views.ArchitectureDetailView.as_view(), name="architecture"),
    path(
        "architectures/<slug:slug>/edit/",
        views.ArchitectureEditView.as_view(),
        name="architecture_edit",
    ),
    path(
        "architectures/<slug:slug>/delete/",
        views.ArchitectureDeleteView.as_view(),
        name="architecture_delete",
    ),
    path(
        "architectures/<slug:slug>/diagram/",
        views.ArchitectureDiagramView.as_view(),
        name="architecture_diagram",
    ),
    path(
        "architectures/<slug:slug>/transition/",
        views.ArchitectureTransitionView.as_view(),
        name="architecture_transition",
    ),
]
