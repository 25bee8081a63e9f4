from django.apps import AppConfig


class FixtureAppConfig(AppConfig):
    name = "tests.fixture_app"
    label = "fixture_app"
    verbose_name = "Field notes (test fixture)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything a domain app declares, from its own modules only.
        from registry.core import navigation, panels, search
        from registry.core.audit import AuditAction, register_actions
        from tests.fixture_app.models import FieldNote

        register_actions(AuditAction("fieldnote.publish", "published a field note"))
        search.register(
            search.Searchable(
                key="field-notes",
                label="Field notes",
                model=FieldNote,
                fields={"title": "A", "body": "B"},
                queryset=lambda user: FieldNote.objects.order_by("-pk"),
                result_template="fixture_app/search_result.html",
                order=95,
            )
        )
        panels.register(
            panels.Panel(
                "fixture-field-notes",
                "fixture_app/panel.html",
                context=lambda request: {"notes": list(FieldNote.objects.order_by("-pk")[:5])},
                order=95,
            )
        )
        navigation.register(
            navigation.MenuItem(
                "Field notes", "fixture_app:note_list", namespace="fixture_app", order=95
            )
        )
