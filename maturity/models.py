"""Maturity models as data, assessments of subjects against them, and the EU AI Act
classification of design docs. Every row here is history: an assessment or a
classification is never edited; a new one is written."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from maturity.choices import AnswerValue, ScoringRule, Tier
from registry.core.constraints import choices_check
from registry.core.permissions import RestrictedQuerySet


class _Immutable(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(f"A {self._meta.verbose_name} is a record: it is never edited.")
        super().save(*args, **kwargs)


class MaturityModelQuerySet(RestrictedQuerySet):
    pass


class MaturityModel(models.Model):
    slug = models.SlugField("slug", max_length=100, unique=True)
    name = models.CharField("name", max_length=200)
    rule = models.CharField("scoring rule", max_length=32, choices=ScoringRule.choices)
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Raised on every change of items, weights or bands."
    )
    description = models.TextField("description", blank=True)
    source = models.CharField("source", max_length=500, blank=True)
    not_applicable_rule = models.TextField(
        "how “not applicable” counts", help_text="Shown beside every assessment."
    )
    builtin = models.BooleanField("published rubric", default=False)
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = MaturityModelQuerySet.as_manager()

    class Meta:
        ordering = ["-builtin", "name"]
        verbose_name = "maturity model"
        constraints = [
            choices_check("rule", ScoringRule),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maturity:model", kwargs={"slug": self.slug})


class MaturityCategory(models.Model):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField("code", max_length=50)
    title = models.CharField("title", max_length=300)
    position = models.PositiveSmallIntegerField("position", default=0)
    required = models.BooleanField(
        "required for maturity", default=True, help_text="all_yes rule: must every item hold?"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "maturity categories"
        constraints = [
            models.UniqueConstraint(
                fields=["model", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message="A category code is unique within its model.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MaturityItem(models.Model):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(MaturityCategory, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("code", max_length=50)
    title = models.CharField("title", max_length=500)
    detail = models.TextField("detail", blank=True)
    position = models.PositiveSmallIntegerField("position", default=0)
    weight = models.DecimalField("weight", max_digits=6, decimal_places=2, default=1)
    level = models.PositiveSmallIntegerField("level", null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message="An item code is unique within its model.",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0),
                name="%(app_label)s_%(class)s_positive_weight",
                violation_error_message="An item's weight is positive.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class MaturityBand(models.Model):
    """A band (or level) of a model: scores in (lower, upper] (closed below when
    `lower_inclusive`); an empty bound is unbounded."""

    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField("code", max_length=50)
    label = models.CharField("label", max_length=300)
    description = models.TextField("description", blank=True)
    lower = models.DecimalField(
        "lower bound", max_digits=8, decimal_places=2, null=True, blank=True
    )
    lower_inclusive = models.BooleanField("lower bound included", default=False)
    upper = models.DecimalField(
        "upper bound", max_digits=8, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField("position", default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message="A band code is unique within its model.",
            )
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentQuerySet(RestrictedQuerySet):
    pass


class Assessment(_Immutable):
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField("subject id")
    subject = GenericForeignKey("subject_type", "subject_id")
    #: The owner team of the subject when assessed (for the portfolio's heat map and the
    #: permission rules, without joining the subject's own tables).
    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    model = models.ForeignKey(MaturityModel, on_delete=models.PROTECT, related_name="assessments")
    model_version = models.PositiveIntegerField("model version")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_at = models.DateTimeField("assessed", db_index=True)
    score = models.DecimalField("score", max_digits=8, decimal_places=2)
    band = models.CharField("band or level", max_length=50)
    band_label = models.CharField("band label", max_length=300, blank=True)
    by_category = models.JSONField("score per category", default=dict)
    notes = models.TextField("notes", blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "model", "-assessed_at"],
                name="maturity_subject_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} of {self.subject_type.model} {self.subject_id}: {self.score}"

    def get_absolute_url(self) -> str:
        return reverse("maturity:assessment", kwargs={"pk": self.pk})


class Answer(_Immutable):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(MaturityItem, on_delete=models.PROTECT, related_name="+")
    value = models.CharField("answer", max_length=20, choices=AnswerValue.choices)
    evidence_links = models.JSONField("evidence links", default=list, blank=True)
    comment = models.TextField("comment", blank=True)

    class Meta:
        ordering = ["item__position", "id"]
        constraints = [
            choices_check("value", AnswerValue),
            models.UniqueConstraint(
                fields=["assessment", "item"],
                name="%(app_label)s_%(class)s_unique_item",
                violation_error_message="An assessment answers each item once.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.value}"


class ClassificationQuerySet(RestrictedQuerySet):
    pass


class Classification(_Immutable):
    """One answering of the EU AI Act questionnaire for a design doc, with the tier it gives
    and why. The doc's current classification is its latest."""

    design_doc = models.ForeignKey(
        "designdocs.DesignDoc", on_delete=models.CASCADE, related_name="classifications"
    )
    answers = models.JSONField("answers")
    tier = models.CharField("tier", max_length=32, choices=Tier.choices)
    art50_transparency = models.BooleanField("Art. 50 transparency obligations")
    reasons = models.JSONField("reasons", default=list)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField("answered", auto_now_add=True, db_index=True)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [choices_check("tier", Tier)]

    def __str__(self) -> str:
        return f"{self.design_doc}: {self.tier}"
