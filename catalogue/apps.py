from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The catalogue of components and architecture examples. Its first models (Team and
    TeamMembership) moved to the `teams` app; the app stays installed so that its migration
    history continues where existing databases have it."""

    name = "catalogue"
    verbose_name = "Catalogue"
