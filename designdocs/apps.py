from django.apps import AppConfig


class DesignDocsConfig(AppConfig):
    name = "designdocs"
    verbose_name = "Design documents"
