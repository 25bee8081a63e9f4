from django.apps import AppConfig
from django.core import checks


class DesignDocsConfig(AppConfig):
    name = "designdocs"
    verbose_name = "Design documents"

    def ready(self) -> None:
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
