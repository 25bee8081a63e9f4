from django.apps import AppConfig


class DesignDocsConfig(AppConfig):
    name = "designdocs"
    verbose_name = "Design documents"

    def ready(self) -> None:
        from designdocs import audit, dashboard, rules  # noqa: F401  (rules: permissions)
        from designdocs import demo as designdoc_demo
        from designdocs.api.views import DesignDocViewSet
        from designdocs.search import DESIGNDOCS
        from registry.core import demo, navigation, panels, search
        from registry.core.api import routes
        from registry.core.audit import register_actions

        register_actions(*audit.ACTIONS)
        search.register(DESIGNDOCS)
        for panel in dashboard.PANELS:
            panels.register(panel)
        routes.register("designdocs", DesignDocViewSet, basename="designdoc")
        navigation.register(
            navigation.MenuItem(
                "Design docs", "designdocs:designdoc_list", namespace="designdocs", order=10
            )
        )
        demo.register(demo.DemoSeeder("designdocs", designdoc_demo.seed, order=50))
