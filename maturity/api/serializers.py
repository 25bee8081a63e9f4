"""API representations of maturity models, assessments and classifications."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import validate_slug as SLUG
from rest_framework import serializers

from designdocs.api.serializers import StrictCharField, StrictChoiceField, StrictIntegerField
from maturity.models import (
    Answer,
    Assessment,
    Classification,
    MaturityBand,
    MaturityCategory,
    MaturityItem,
    MaturityModel,
)


class StrictBooleanField(serializers.BooleanField):
    """true or false as JSON writes them: "yes", 1 or "true" are refused, never read."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MaturityItem
        fields = ["code", "category", "title", "detail", "position", "weight", "level"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityCategory
        fields = ["code", "title", "position", "required"]


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityBand
        fields = ["code", "label", "description", "lower", "lower_inclusive", "upper"]


class MaturityModelSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = MaturityModel
        fields = ["id", "slug", "name", "rule", "version", "description", "source",
                  "not_applicable_rule", "builtin", "categories", "items", "bands"]  # fmt: skip
        read_only_fields = fields


class ItemWriteSerializer(serializers.Serializer):
    code = StrictCharField(max_length=50, validators=[SLUG])
    title = StrictCharField(max_length=500)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.01"), default=1
    )
    level = StrictIntegerField(min_value=0, max_value=100, required=False, allow_null=True)


class CategoryWriteSerializer(serializers.Serializer):
    code = StrictCharField(max_length=50, validators=[SLUG])
    title = StrictCharField(max_length=300)
    required = StrictBooleanField(default=True)
    items = ItemWriteSerializer(many=True, max_length=500)


class BandWriteSerializer(serializers.Serializer):
    code = StrictCharField(max_length=50)
    label = StrictCharField(max_length=300)
    lower = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True
    )
    upper = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True
    )
    lower_inclusive = StrictBooleanField(default=False)


class MaturityModelWriteSerializer(serializers.Serializer):
    slug = StrictCharField(max_length=100, validators=[SLUG])
    name = StrictCharField(max_length=200)
    rule = StrictChoiceField(choices=["weighted", "all_yes", "levels", "ml_test_score"])
    description = StrictCharField(required=False, allow_blank=True, max_length=10000)
    not_applicable_rule = StrictCharField(required=False, allow_blank=True, max_length=2000)
    categories = CategoryWriteSerializer(many=True, max_length=100)
    bands = BandWriteSerializer(many=True, required=False, max_length=50)


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = Answer
        fields = ["item", "title", "value", "evidence_links", "comment"]


class AssessmentSerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    model = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assessor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "subject_type", "subject_id", "model", "model_version", "assessor",
                  "assessed_at", "score", "band", "band_label", "by_category", "notes",
                  "answers"]  # fmt: skip
        read_only_fields = fields

    def get_subject_type(self, obj) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}"


class AssessmentWriteSerializer(serializers.Serializer):
    subject_type = StrictCharField(help_text="e.g. designdoc", max_length=50)
    subject_id = StrictIntegerField(min_value=1)
    model = StrictCharField(help_text="The model's slug.", max_length=100, validators=[SLUG])
    answers = serializers.DictField(
        help_text="item code -> value, or -> {value, evidence_links, comment}"
    )
    notes = StrictCharField(required=False, allow_blank=True, max_length=10000)


class ClassificationSerializer(serializers.ModelSerializer):
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Classification
        fields = ["id", "tier", "art50_transparency", "reasons", "answers", "answered_by",
                  "answered_at"]  # fmt: skip
        read_only_fields = fields


class ClassificationWriteSerializer(serializers.Serializer):
    art5_practices = serializers.ListField(child=StrictCharField(max_length=1),
                                           required=False, max_length=8)  # fmt: skip
    annex_i_safety_component = StrictBooleanField(required=False)
    annex_iii_point = StrictCharField(required=False, allow_blank=True, max_length=3)
    profiles_natural_persons = StrictBooleanField(required=False)
    art6_3_condition = StrictChoiceField(choices=["none", "a", "b", "c", "d"], required=False)
    art50_transparency = StrictBooleanField(required=False)
