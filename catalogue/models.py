"""The catalogue: reusable components and reference architectures, each owned by a team.

Writes go through `catalogue.services` (permission, transaction, lifecycle guard, audit);
the models hold the invariants a database can keep (named constraints) and the single-row
checks (`clean`). The links from design documents live on the document's side
(`designdocs.DesignDoc.adopted_architectures` / `.components_used`); from here they read as
`adopting_design_docs` and `using_design_docs`.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.urls import reverse

from catalogue.choices import (
    ComponentKind,
    DiagramFormat,
    Lifecycle,
    RaciActivity,
    SystemKind,
)
from registry.core.constraints import choices_check
from registry.core.models import RaciParty
from registry.core.permissions import RestrictedQuerySet

#: Backstage's tag rule (metadata.tags): `[a-z0-9:+#]` words joined by `-`, at most 63.
TAG_RE = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")
TAG_MAX_LENGTH = 63
#: An MLflow model registry URI: `models:/name/version`, `models:/name/stage`,
#: `models:/name@alias`, or a run's artifact `runs:/<run id>/path`.
MODEL_URI_RE = re.compile(
    r"^(models:/[^\s/@]+(/[^\s/@]+|@[A-Za-z0-9_-]+)?|runs:/[A-Za-z0-9]+/[^\s]+)$"
)

web_url = URLValidator(schemes=["http", "https"], message="Enter a web address (http or https).")
model_uri = RegexValidator(
    MODEL_URI_RE,
    "Enter a model registry URI such as models:/churn@champion, models:/churn/3 or "
    "runs:/<run id>/model.",
)
tag_name = RegexValidator(
    TAG_RE,
    "A tag is lower-case letters, digits and : + # in words joined by hyphens (e.g. "
    "“feature-store”).",
)


class Tag(models.Model):
    name = models.CharField("name", max_length=TAG_MAX_LENGTH, unique=True, validators=[tag_name])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CatalogueQuerySet(RestrictedQuerySet):
    """Catalogue entries; `restrict(user, action)` applies catalogue.rules."""


class CatalogueEntry(models.Model):
    """What components and architecture examples share: a slug, an owner team, a lifecycle
    with its deprecation reason, tags, the search vector."""

    slug = models.SlugField("slug", max_length=100, unique=True)
    lifecycle = models.CharField(
        "lifecycle", max_length=16, choices=Lifecycle.choices, default=Lifecycle.EXPERIMENTAL
    )
    deprecation_reason = models.TextField("why deprecated", blank=True)
    # PostgreSQL: the weighted full-text vector, kept by the services (registry.core.search)
    # and GIN-indexed by a PostgreSQL-only migration. Always empty on SQLite.
    search_vector = SearchVectorField("search vector", null=True, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True, db_index=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.lifecycle == Lifecycle.RETIRED


class Component(CatalogueEntry):
    name = models.CharField("name", max_length=200)
    kind = models.CharField(
        "kind", max_length=16, choices=ComponentKind.choices, default=ComponentKind.SERVICE
    )
    description = models.TextField("description", blank=True, help_text="Markdown.")
    owner_team = models.ForeignKey(
        "teams.Team",
        verbose_name="owner team",
        on_delete=models.PROTECT,
        related_name="components",
    )
    tags = models.ManyToManyField(Tag, verbose_name="tags", blank=True, related_name="components")
    replacement = models.ForeignKey(
        "self",
        verbose_name="replaced by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    repository_url = models.CharField(
        "repository", max_length=500, blank=True, validators=[web_url]
    )
    docs_url = models.CharField("documentation", max_length=500, blank=True, validators=[web_url])
    dashboard_url = models.CharField("dashboard", max_length=500, blank=True, validators=[web_url])
    model_registry_uri = models.CharField(
        "model registry URI", max_length=300, blank=True, validators=[model_uri]
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name="depends on",
        symmetrical=False,
        through="ComponentDependency",
        related_name="dependants",
        blank=True,
    )
    #: Backstage identity (`component:default/feature-store`) when it came from or went
    #: to a catalog-info.yaml, and what of the descriptor the registry has no field for
    #: (kind, spec.type, annotations, labels, links, refs it could not resolve).
    external_ref = models.CharField(
        "Backstage entity ref", max_length=300, null=True, blank=True, unique=True
    )
    backstage = models.JSONField("Backstage descriptor data", default=dict, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            choices_check("kind", ComponentKind),
            choices_check("lifecycle", Lifecycle),
            models.CheckConstraint(
                condition=~models.Q(replacement=models.F("pk")),
                name="%(app_label)s_%(class)s_not_its_own_replacement",
                violation_error_message="A component cannot replace itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_team", "lifecycle"], name="catalogue_comp_team_life_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:component", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.pk and self.replacement_id == self.pk:
            raise ValidationError({"replacement": "A component cannot replace itself."})


class ComponentDependency(models.Model):
    """`component` depends on `target`. No self-dependency (constraint) and no cycle (the
    service checks the graph before writing)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["component_id", "target_id"]
        verbose_name_plural = "component dependencies"
        constraints = [
            models.UniqueConstraint(
                fields=["component", "target"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="This dependency is already recorded.",
            ),
            models.CheckConstraint(
                condition=~models.Q(component=models.F("target")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="A component cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_id} -> {self.target_id}"


class ComponentRaci(RaciParty):
    """One party's letter for one activity of a component's life (design, deploy, run)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="raci")
    activity = models.CharField("activity", max_length=16, choices=RaciActivity.choices)
    position = models.PositiveSmallIntegerField("position", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "RACI assignment"
        constraints = [
            *RaciParty.constraints_for("component"),
            choices_check("activity", RaciActivity),
        ]


class ArchitectureExample(CatalogueEntry):
    title = models.CharField("title", max_length=200)
    summary = models.CharField("summary", max_length=500)
    problem = models.TextField("problem solved", blank=True, help_text="Markdown.")
    body = models.TextField("narrative", blank=True, help_text="Markdown.")
    diagram = models.FileField("diagram", upload_to="catalogue/diagrams/", blank=True)
    diagram_format = models.CharField(
        "diagram format",
        max_length=3,
        choices=DiagramFormat.choices,
        default=DiagramFormat.NONE,
        blank=True,
    )
    owner_team = models.ForeignKey(
        "teams.Team",
        verbose_name="owner team",
        on_delete=models.PROTECT,
        related_name="architecture_examples",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name="tags", blank=True, related_name="architecture_examples"
    )
    replacement = models.ForeignKey(
        "self",
        verbose_name="replaced by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    components = models.ManyToManyField(
        Component,
        verbose_name="components",
        through="ArchitectureComponent",
        related_name="architecture_examples",
        blank=True,
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "architecture example"
        constraints = [
            choices_check("lifecycle", Lifecycle),
            choices_check("diagram_format", DiagramFormat),
            models.CheckConstraint(
                condition=~models.Q(replacement=models.F("pk")),
                name="%(app_label)s_%(class)s_not_its_own_replacement",
                violation_error_message="An architecture example cannot replace itself.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:architecture", kwargs={"slug": self.slug})


class ArchitectureComponent(models.Model):
    """A component an architecture example is made of, and its role there."""

    architecture = models.ForeignKey(
        ArchitectureExample, on_delete=models.CASCADE, related_name="component_roles"
    )
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, related_name="architecture_roles"
    )
    role = models.CharField("role in the architecture", max_length=200)
    position = models.PositiveSmallIntegerField("position", default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["architecture", "component"],
                name="%(app_label)s_%(class)s_unique_component",
                violation_error_message="This component is already part of the architecture.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.component} as {self.role}"


class LifecycleTransition(models.Model):
    """One recorded move of a component or an architecture example: from, to, who, when,
    why. Written only by the services, never changed afterwards."""

    component = models.ForeignKey(
        Component,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lifecycle_history",
    )
    architecture = models.ForeignKey(
        ArchitectureExample,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lifecycle_history",
    )
    from_state = models.CharField("from", max_length=16, choices=Lifecycle.choices, blank=True)
    to_state = models.CharField("to", max_length=16, choices=Lifecycle.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField("by (username)", max_length=150, blank=True)
    reason = models.TextField("why", blank=True)
    replacement_name = models.CharField("replaced by", max_length=200, blank=True)
    created_at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(component__isnull=False, architecture__isnull=True)
                    | models.Q(component__isnull=True, architecture__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_subject",
                violation_error_message="A transition is of a component or an architecture.",
            ),
            models.CheckConstraint(
                condition=models.Q(to_state__in=Lifecycle.values),
                name="%(app_label)s_%(class)s_valid_to_state",
                violation_error_message="The new lifecycle must be a known one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} -> {self.to_state}"


class ExternalIdentity(models.Model):
    """The Backstage entity a team or a person came from (or is exported as):
    `group:default/team-a`, `user:development/guest`. Re-imports match on it, so the same
    descriptor updates the same row and never duplicates it."""

    ref = models.CharField("Backstage entity ref", max_length=300, unique=True)
    team = models.OneToOneField(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="backstage_identity",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="backstage_identity",
    )
    #: A team made to own a component whose owner was not (yet) in the catalogue.
    placeholder = models.BooleanField("placeholder", default=False)
    data = models.JSONField("Backstage descriptor data", default=dict, blank=True)

    class Meta:
        ordering = ["ref"]
        verbose_name_plural = "external identities"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, user__isnull=True)
                    | models.Q(team__isnull=True, user__isnull=False)
                ),
                name="%(app_label)s_%(class)s_team_xor_user",
                violation_error_message="An identity is of a team or of a person.",
            )
        ]

    def __str__(self) -> str:
        return self.ref


class System(models.Model):
    """A Backstage System or Domain, kept as imported (the registry groups components by
    tags and architecture examples instead; see catalogue/backstage/README.md)."""

    kind = models.CharField("kind", max_length=8, choices=SystemKind.choices)
    ref = models.CharField("Backstage entity ref", max_length=300, unique=True)
    title = models.CharField("title", max_length=200, blank=True)
    description = models.TextField("description", blank=True)
    owner_team = models.ForeignKey(
        "teams.Team", verbose_name="owner team", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField("Backstage descriptor data", default=dict, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["ref"]
        constraints = [choices_check("kind", SystemKind)]

    def __str__(self) -> str:
        return self.title or self.ref
