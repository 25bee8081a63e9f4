"""Design documents, their structured rows and their immutable revisions.

The document row holds the metadata and the narrative (Markdown) sections; the structured
sections are child rows ordered by `position`. Content only changes through
`designdocs.services`, which validates the whole document, replaces the rows of a changed
section atomically and snapshots a numbered `Revision` with the canonical JSON and its
sha256.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from designdocs.choices import (
    MLStage,
    RiskCategory,
    RiskLevel,
    RiskStatus,
    RiskTier,
    WorkflowStatus,
)
from designdocs.risk import risk_level, risk_score
from registry.core.constraints import choices_check
from registry.core.models import RaciParty
from registry.core.permissions import RestrictedQuerySet


class DesignDocQuerySet(RestrictedQuerySet):
    """Design documents; `restrict(user, action)` applies designdocs.rules."""


class DesignDoc(models.Model):
    title = models.CharField("title", max_length=200)
    slug = models.SlugField("slug", max_length=220, unique=True)
    owner_team = models.ForeignKey(
        "teams.Team",
        verbose_name="owner team",
        on_delete=models.PROTECT,
        related_name="design_docs",
    )
    product_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="product owner",
        on_delete=models.PROTECT,
        related_name="owned_design_docs",
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="co-authors",
        blank=True,
        related_name="co_authored_design_docs",
    )
    status = models.CharField(
        "workflow status",
        max_length=32,
        choices=WorkflowStatus.choices,
        default=WorkflowStatus.DRAFT,
    )
    stage = models.CharField(
        "ML lifecycle stage",
        max_length=32,
        choices=MLStage.choices,
        default=MLStage.UNCLASSIFIED,
    )
    risk_tier = models.CharField(
        "risk tier", max_length=32, choices=RiskTier.choices, default=RiskTier.UNCLASSIFIED
    )

    problem_statement = models.TextField("problem statement", blank=True)
    business_value = models.TextField("business value", blank=True)
    architecture = models.TextField("architecture", blank=True)
    data = models.TextField("data", blank=True)
    deployment_constraints = models.TextField("deployment constraints", blank=True)
    alternatives = models.TextField("alternatives considered", blank=True)
    open_questions = models.TextField("open questions", blank=True)
    other_notes = models.TextField("other notes", blank=True)

    # The architecture section's links into the catalogue (the link lives on the doc side;
    # the catalogue reads them as `adopting_design_docs` and `using_design_docs`).
    adopted_architectures = models.ManyToManyField(
        "catalogue.ArchitectureExample",
        verbose_name="adopted architecture examples",
        blank=True,
        related_name="adopting_design_docs",
    )
    components_used = models.ManyToManyField(
        "catalogue.Component",
        verbose_name="components used",
        blank=True,
        related_name="using_design_docs",
    )

    version = models.PositiveIntegerField(
        "version",
        default=1,
        help_text="Lock version: every accepted change increments it; updates must state it.",
    )
    # Wagtail's latest_revision / live_revision: the revision the document holds now, and
    # the last one architects approved (kept after an edit, for diffs and verification;
    # the document is approved only while both are the same revision).
    latest_revision = models.ForeignKey(
        "Revision",
        verbose_name="latest revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_revision = models.ForeignKey(
        "Revision",
        verbose_name="approved revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="superseded by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    # PostgreSQL: the weighted full-text vector, kept by the services (registry.core.search) and
    # GIN-indexed by a PostgreSQL-only migration. Always empty on SQLite.
    search_vector = SearchVectorField("search vector", null=True, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True, db_index=True)

    objects = DesignDocQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "design document"
        constraints = [
            choices_check("status", WorkflowStatus),
            choices_check("stage", MLStage),
            choices_check("risk_tier", RiskTier),
            models.CheckConstraint(
                condition=~models.Q(status=WorkflowStatus.APPROVED)
                | models.Q(approved_revision=models.F("latest_revision")),
                name="%(app_label)s_%(class)s_approved_is_latest",
                violation_error_message=(
                    "An approved document's approved revision is its latest revision."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=WorkflowStatus.SUPERSEDED)
                | models.Q(superseded_by__isnull=False),
                name="%(app_label)s_%(class)s_superseded_names_successor",
                violation_error_message="A superseded document names the document replacing it.",
            ),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("id")),
                name="%(app_label)s_%(class)s_not_superseded_by_itself",
                violation_error_message="A document cannot supersede itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_team", "status"], name="designdocs_team_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("designdocs:designdoc", kwargs={"slug": self.slug})

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    @property
    def revision_number(self) -> int:
        """The number of the latest revision (0 before the first is written). Selectors
        join `latest_revision` (without its content) so that reading this costs no query."""
        return self.latest_revision.number if self.latest_revision_id else 0

    @property
    def content_hash(self) -> str:
        return self.latest_revision.content_hash if self.latest_revision_id else ""

    @property
    def approved_revision_number(self) -> int | None:
        """The number of the revision approved last (kept after an edit), or None. Selectors
        join `approved_revision` (without its content) so that reading this costs no query.
        A row locked after waiting for a concurrent approval is re-read by PostgreSQL with
        the join left empty: the number is then read on its own."""
        if not self.approved_revision_id:
            return None
        revision = self.approved_revision
        if revision is None:
            return (
                Revision.objects.filter(pk=self.approved_revision_id)
                .values_list("number", flat=True)
                .first()
            )
        return revision.number

    @property
    def is_approved(self) -> bool:
        """Approved means: the revision architects approved is the one the document holds."""
        return (
            self.status == WorkflowStatus.APPROVED
            and self.approved_revision_id is not None
            and self.approved_revision_id == self.latest_revision_id
        )


class DesignDocRow(models.Model):
    """A row of one of the structured sections, kept in the author's order."""

    position = models.PositiveSmallIntegerField("position", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class SuccessCriterion(DesignDocRow):
    design_doc = models.ForeignKey(
        DesignDoc, on_delete=models.CASCADE, related_name="success_criteria"
    )
    metric = models.CharField("metric", max_length=200)
    baseline = models.CharField("baseline", max_length=200, blank=True)
    target = models.CharField("target", max_length=200)
    measurement = models.CharField("how measured", max_length=500, blank=True)

    class Meta(DesignDocRow.Meta):
        verbose_name = "success criterion"
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return f"{self.metric}: {self.target}"


class RaciAssignment(DesignDocRow, RaciParty):  # noqa: DJ008  (RaciParty's __str__)
    """One party's letter for one activity. A party is a person or a team, never both."""

    design_doc = models.ForeignKey(
        DesignDoc, on_delete=models.CASCADE, related_name="raci_assignments"
    )
    activity = models.CharField("activity", max_length=200)

    class Meta(DesignDocRow.Meta):
        verbose_name = "RACI assignment"
        constraints = RaciParty.constraints_for("design_doc")


class Risk(DesignDocRow):
    design_doc = models.ForeignKey(DesignDoc, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField("title", max_length=200)
    category = models.CharField("category", max_length=32, choices=RiskCategory.choices)
    likelihood = models.PositiveSmallIntegerField(
        "likelihood", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        "impact", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mitigation = models.TextField("mitigation", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "status", max_length=32, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )

    class Meta(DesignDocRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="%(app_label)s_%(class)s_likelihood_1_to_5",
                violation_error_message="Likelihood is between 1 and 5.",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5),
                name="%(app_label)s_%(class)s_impact_1_to_5",
                violation_error_message="Impact is between 1 and 5.",
            ),
            choices_check("category", RiskCategory),
            choices_check("status", RiskStatus),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)

    @property
    def level(self) -> RiskLevel:
        return risk_level(self.likelihood, self.impact)


class MonitoringItem(DesignDocRow):
    """One line of the monitoring contract agreed with stakeholders."""

    design_doc = models.ForeignKey(
        DesignDoc, on_delete=models.CASCADE, related_name="monitoring_items"
    )
    metric = models.CharField("metric", max_length=200)
    threshold = models.CharField("threshold", max_length=200)
    cadence = models.CharField("cadence", max_length=100)
    alert_owner = models.CharField("alert owner", max_length=200)
    fallback = models.CharField("fallback", max_length=500, blank=True)
    stakeholders = models.CharField(
        "stakeholders who agreed", max_length=500, blank=True, help_text="Comma-separated names."
    )

    class Meta(DesignDocRow.Meta):
        verbose_name = "monitoring contract item"

    def __str__(self) -> str:
        return f"{self.metric} {self.threshold}"


class Revision(models.Model):
    """An immutable snapshot of a document's whole content."""

    design_doc = models.ForeignKey(DesignDoc, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("number")
    content = models.JSONField("content")
    content_hash = models.CharField("content hash (sha256)", max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="author",
        null=True,
        on_delete=models.SET_NULL,
        related_name="design_doc_revisions",
    )
    message = models.CharField("message", max_length=300, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["design_doc", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="This document already has a revision with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.design_doc} r{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("A revision is immutable once written.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "designdocs:revision", kwargs={"slug": self.design_doc.slug, "number": self.number}
        )


class LifecycleTransition(models.Model):
    """One move of a solution through the ML lifecycle (designdocs.lifecycle): who moved it,
    when, from which stage to which, and why. Never edited; the document's `stage` is the
    `to_stage` of its latest transition."""

    design_doc = models.ForeignKey(
        DesignDoc, on_delete=models.CASCADE, related_name="lifecycle_transitions"
    )
    from_stage = models.CharField("from stage", max_length=32, choices=MLStage.choices)
    to_stage = models.CharField("to stage", max_length=32, choices=MLStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="moved by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField("reason", blank=True)
    created_at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lifecycle transition"
        constraints = [
            choices_check("from_stage", MLStage),
            choices_check("to_stage", MLStage),
            models.CheckConstraint(
                condition=~models.Q(from_stage=models.F("to_stage")),
                name="%(app_label)s_%(class)s_moves",
                violation_error_message="A transition moves to another stage.",
            ),
            models.CheckConstraint(
                condition=~models.Q(to_stage=MLStage.RETIRED) | ~models.Q(reason=""),
                name="%(app_label)s_%(class)s_retiring_has_reason",
                violation_error_message="Retiring a solution records a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.design_doc}: {self.from_stage} → {self.to_stage}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("A lifecycle transition is a record: it is never edited.")
        super().save(*args, **kwargs)
