from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "registry.core"
    label = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        from registry.core import (
            navigation,
            rules,  # noqa: F401  (declares the rules of API tokens)
            token_signals,
        )
        from registry.core.api import routes
        from registry.core.api.tokens import ApiTokenViewSet

        navigation.register(navigation.MenuItem("Search", "search", order=900))
        routes.register("auth/tokens", ApiTokenViewSet, basename="apitoken")
        token_signals.connect()
