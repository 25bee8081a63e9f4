"""The catalogue's fixed vocabularies."""

from django.db import models

from registry.core.choices import RaciRole as _RaciRole


class ComponentKind(models.TextChoices):
    SERVICE = "service", "Service"
    PIPELINE = "pipeline", "Pipeline"
    MODEL = "model", "Model"
    DATASET = "dataset", "Dataset"
    FEATURE_STORE = "feature_store", "Feature store"
    LIBRARY = "library", "Library"
    PLATFORM_TOOL = "platform_tool", "Platform tool"
    OTHER = "other", "Other"


class Lifecycle(models.TextChoices):
    EXPERIMENTAL = "experimental", "Experimental"
    PRODUCTION = "production", "Production"
    DEPRECATED = "deprecated", "Deprecated"
    RETIRED = "retired", "Retired"


#: The moves a catalogue entry may make; retired is final.
LIFECYCLE_TRANSITIONS: dict[str, frozenset[str]] = {
    Lifecycle.EXPERIMENTAL: frozenset({Lifecycle.PRODUCTION, Lifecycle.DEPRECATED}),
    Lifecycle.PRODUCTION: frozenset({Lifecycle.DEPRECATED}),
    Lifecycle.DEPRECATED: frozenset({Lifecycle.PRODUCTION, Lifecycle.RETIRED}),
    Lifecycle.RETIRED: frozenset(),
}

LIFECYCLE_HELP: dict[str, str] = {
    Lifecycle.EXPERIMENTAL: "An experiment or early component: low or no reliability guarantees.",
    Lifecycle.PRODUCTION: "An established, owned and maintained component.",
    Lifecycle.DEPRECATED: "At the end of its life: use its replacement for anything new.",
    Lifecycle.RETIRED: "No longer available. Retired is final.",
}


class RaciActivity(models.TextChoices):
    DESIGN = "design", "Design"
    DEPLOY = "deploy", "Deploy"
    RUN = "run", "Run"


#: The RACI letters, one set for design docs and the catalogue (registry.core.raci).
RaciRole = _RaciRole


class DiagramFormat(models.TextChoices):
    NONE = "", "No diagram"
    PNG = "png", "PNG"
    SVG = "svg", "SVG"


class SystemKind(models.TextChoices):
    SYSTEM = "system", "System"
    DOMAIN = "domain", "Domain"
