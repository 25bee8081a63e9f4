from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "registry.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
