from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "PDF exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from exports import audit, rules  # noqa: F401  (rules: permissions)
        from exports import demo as exports_demo
        from exports.api.views import DesignDocExportViewSet, ExportViewSet
        from exports.views import export_button_panels
        from registry.core import demo, panels
        from registry.core.api import routes
        from registry.core.audit import register_actions

        register_actions(*audit.ACTIONS)
        # /api/designdocs/{id}/exports/ (a nested route beside designdocs' own viewset).
        routes.register(
            r"designdocs/(?P<designdoc_pk>[0-9]+)/exports",
            DesignDocExportViewSet,
            basename="designdoc-export",
        )
        routes.register("exports", ExportViewSet, basename="export")
        for panel in export_button_panels():
            panels.register(panel)
        # After the reviews' seed (60): a demo doc is approved by then.
        demo.register(demo.DemoSeeder("exports", exports_demo.seed, order=90))
