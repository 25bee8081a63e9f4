from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "registry.core"
    label = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        # The permission policy registers its rules on import.
        import registry.policy  # noqa: F401
        from registry.core import token_signals

        token_signals.connect()
