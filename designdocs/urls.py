from django.urls import path

from designdocs import views

app_name = "designdocs"

urlpatterns = [
    path("", views.DesignDocListView.as_view(), name="designdoc_list"),
    path("new/", views.DesignDocCreateView.as_view(), name="designdoc_add"),
    path("import/", views.designdoc_import, name="designdoc_import"),
    path("preview/", views.markdown_preview, name="markdown_preview"),
    path("<slug:slug>/", views.DesignDocDetailView.as_view(), name="designdoc"),
    path("<slug:slug>/edit/", views.designdoc_edit, name="designdoc_edit"),
    path("<slug:slug>/transition/", views.designdoc_transition, name="designdoc_transition"),
    path("<slug:slug>/edit/<str:section_key>/", views.section_edit, name="section_edit"),
    path("<slug:slug>/delete/", views.DesignDocDeleteView.as_view(), name="designdoc_delete"),
    path(
        "<slug:slug>/export.md", views.designdoc_export_markdown, name="designdoc_export_markdown"
    ),
    path("<slug:slug>/revisions/", views.revision_list, name="revision_list"),
    path("<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<slug:slug>/diff/", views.revision_diff, name="revision_diff"),
]
