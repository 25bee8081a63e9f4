from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "registry.core"
    label = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        from registry.core import (
            demo,
            navigation,
            rules,  # noqa: F401  (declares the rules of API tokens)
            token_signals,
        )
        from registry.core.api import routes
        from registry.core.api.tokens import ApiTokenViewSet

        navigation.register(navigation.MenuItem("Search", "search", order=900))
        routes.register("auth/tokens", ApiTokenViewSet, basename="apitoken")
        token_signals.connect()
        # Last of the demo: the typo table learns every word the seeders wrote.
        demo.register(demo.DemoSeeder("search-words", _seed_search_words, order=10_000))


def _seed_search_words() -> str:
    from registry.core.search import rebuild_search_words

    return f"{rebuild_search_words()} search words"
