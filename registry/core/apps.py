from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "registry.core"
    label = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        from registry.core import navigation

        navigation.register(navigation.MenuItem("Search", "search", order=900))
