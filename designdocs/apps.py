from django.apps import AppConfig
from django.core import checks


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
        checks.register(check_heading_synonyms)


def check_heading_synonyms(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A broken synonym table (an operator's edit) is reported by `manage.py check` and at
    start-up, not by the first import."""
    from django.core.exceptions import ImproperlyConfigured

    from designdocs.headings import synonym_table

    try:
        synonym_table()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc), hint="See DESIGNDOC_HEADING_SYNONYMS in the README.", id="designdocs.E001"
            )
        ]
    return []
