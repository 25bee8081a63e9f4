from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from registry.core import demo, navigation, search
        from registry.core.api import routes
        from registry.core.audit import register_actions
        from teams import (
            audit,
            rules,  # noqa: F401  (declares the permission rules of teams)
        )
        from teams import demo as team_demo
        from teams.api.views import TeamViewSet
        from teams.search import TEAMS

        register_actions(*audit.ACTIONS)
        search.register(TEAMS)
        routes.register("teams", TeamViewSet, basename="team")
        navigation.register(
            navigation.MenuItem("Teams", "teams:team_list", namespace="teams", order=20)
        )
        demo.register(demo.DemoSeeder("teams", team_demo.seed, order=10))
