from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The catalogue of components and architecture examples, and its Backstage import
    and export. (Its first models, Team and TeamMembership, moved to the `teams` app; the
    migration history continues where existing databases have it.)"""

    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from catalogue import audit, panels, rules  # noqa: F401  (rules: permissions)
        from catalogue import demo as catalogue_demo
        from catalogue import printing as catalogue_printing
        from catalogue.api.views import ArchitectureViewSet, CatalogViewSet, ComponentViewSet
        from catalogue.search import ARCHITECTURES, COMPONENTS
        from registry.core import demo, navigation, search
        from registry.core import panels as core_panels
        from registry.core.api import routes
        from registry.core.audit import register_actions

        register_actions(*audit.ACTIONS)
        catalogue_printing.register()
        search.register(COMPONENTS)
        search.register(ARCHITECTURES)
        for panel in panels.PANELS:
            core_panels.register(panel)
        routes.register("components", ComponentViewSet, basename="component")
        routes.register("architectures", ArchitectureViewSet, basename="architecture")
        routes.register("catalog", CatalogViewSet, basename="catalog")
        navigation.register(
            navigation.MenuItem("Catalogue", "catalogue:browse", namespace="catalogue", order=15)
        )
        demo.register(demo.DemoSeeder("catalogue", catalogue_demo.seed, order=60))
