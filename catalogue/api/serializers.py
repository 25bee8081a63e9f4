"""Serializers of the catalogue API. They parse and present; the services validate and
write (catalogue.services)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.choices import ComponentKind, Lifecycle, RaciActivity, RaciRole
from catalogue.models import ArchitectureExample, Component, LifecycleTransition
from registry.core import facts as core_facts
from registry.core.markdown import render_markdown
from teams.models import Team


def _teams():
    return Team.objects.all()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "What other apps know of the entry (registry.core.facts), e.g. "
        "`maturity`: its current maturity score with the model and date (null: not assessed).",
    }
)
class FactsField(serializers.Field):
    def to_representation(self, value):
        return value


class FactsListSerializer(serializers.ListSerializer):
    """A page of entries: the facts of all of them in one call per provider (a fixed number
    of queries whatever the page's length)."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        self.child.context["facts"] = core_facts.bulk_facts(
            items, user=getattr(request, "user", None)
        )
        return super().to_representation(items)


def _facts_of(serializer, obj) -> dict:
    known = serializer.context.get("facts")
    if known is not None and obj.pk in known:
        return known[obj.pk]
    request = serializer.context.get("request")
    return core_facts.facts_for(obj, user=getattr(request, "user", None))


class RaciRowSerializer(serializers.Serializer):
    activity = serializers.ChoiceField(choices=RaciActivity.choices)
    person = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Username; name a person or a team.",
    )
    team = serializers.SlugRelatedField(
        slug_field="slug", queryset=_teams(), required=False, allow_null=True
    )
    role = serializers.ChoiceField(choices=RaciRole.choices)


class LifecycleTransitionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="actor_username", read_only=True)

    class Meta:
        model = LifecycleTransition
        fields = ["from_state", "to_state", "by", "reason", "replacement_name", "created_at"]
        read_only_fields = fields


class BriefComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["id", "slug", "name", "kind", "lifecycle"]
        read_only_fields = fields


class UsingDocSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    stage = serializers.CharField()
    owner_team = serializers.CharField(source="owner_team.slug")


class ComponentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:component-detail", lookup_field="slug"
    )
    owner_team = serializers.SlugRelatedField(slug_field="slug", queryset=_teams())
    kind = serializers.ChoiceField(choices=ComponentKind.choices, required=False)
    lifecycle = serializers.ChoiceField(
        choices=Lifecycle.choices,
        required=False,
        help_text="On creation: experimental (default) or production. Afterwards it moves "
        "only through POST …/transition/.",
    )
    slug = serializers.SlugField(max_length=100, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=63),
        required=False,
        max_length=30,
        write_only=True,
    )
    depends_on = serializers.SlugRelatedField(
        slug_field="slug", queryset=Component.objects.all(), many=True, required=False
    )
    dependants = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    raci = RaciRowSerializer(many=True, required=False, write_only=True)
    replacement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    description_html = serializers.SerializerMethodField()
    used_by_count = serializers.IntegerField(read_only=True)
    # Maturity and other apps' facts (registry.core.facts), in bulk on lists.
    facts = serializers.SerializerMethodField()

    class Meta:
        model = Component
        fields = ["id", "url", "slug", "name", "kind", "description", "description_html",
                  "owner_team", "lifecycle", "deprecation_reason", "replacement", "tags",
                  "repository_url", "docs_url", "dashboard_url", "model_registry_uri",
                  "depends_on", "dependants", "raci", "used_by_count", "external_ref", "facts",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["deprecation_reason", "external_ref", "created_at", "updated_at"]
        extra_kwargs = {"name": {"max_length": 200}}
        list_serializer_class = FactsListSerializer

    @extend_schema_field(FactsField)
    def get_facts(self, obj) -> dict:
        return _facts_of(self, obj)

    @extend_schema_field(OpenApiTypes.STR)
    def get_description_html(self, obj) -> str:
        return str(render_markdown(obj.description))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tags"] = sorted(t.name for t in instance.tags.all())
        data["raci"] = [
            {
                "activity": r.activity,
                "person": r.person.get_username() if r.person_id else None,
                "team": r.team.slug if r.team_id else None,
                "role": r.role,
            }
            for r in instance.raci.all()
        ]
        return data


class ComponentDetailSerializer(ComponentSerializer):
    lifecycle_history = LifecycleTransitionSerializer(many=True, read_only=True)
    used_by = serializers.SerializerMethodField()
    architectures = serializers.SerializerMethodField()
    backstage = serializers.JSONField(read_only=True)

    class Meta(ComponentSerializer.Meta):
        fields = [*ComponentSerializer.Meta.fields, "lifecycle_history", "used_by",
                  "architectures", "backstage"]  # fmt: skip

    @extend_schema_field(UsingDocSerializer(many=True))
    def get_used_by(self, obj):
        docs = self.context.get("using_docs", [])
        return UsingDocSerializer(docs, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_architectures(self, obj):
        return [
            {"slug": r.architecture.slug, "title": r.architecture.title, "role": r.role}
            for r in obj.architecture_roles.all()
        ]


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Lifecycle.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    replacement = serializers.SlugField(required=False, allow_null=True, default=None)


class TransitionResultSerializer(serializers.Serializer):
    lifecycle = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    used_by = UsingDocSerializer(many=True)


class ComponentRoleSerializer(serializers.Serializer):
    component = serializers.SlugRelatedField(slug_field="slug", queryset=Component.objects.all())
    role = serializers.CharField(max_length=200)


class ArchitectureSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:architecture-detail", lookup_field="slug"
    )
    owner_team = serializers.SlugRelatedField(slug_field="slug", queryset=_teams())
    lifecycle = serializers.ChoiceField(choices=Lifecycle.choices, required=False)
    slug = serializers.SlugField(max_length=100, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=63),
        required=False,
        max_length=30,
        write_only=True,
    )
    components = ComponentRoleSerializer(many=True, required=False, write_only=True)
    diagram = serializers.FileField(required=False, allow_null=True)
    replacement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    used_by_count = serializers.IntegerField(read_only=True)
    # Maturity and other apps' facts (registry.core.facts), in bulk on lists.
    facts = serializers.SerializerMethodField()

    class Meta:
        model = ArchitectureExample
        fields = ["id", "url", "slug", "title", "summary", "problem", "body", "diagram",
                  "diagram_format", "owner_team", "lifecycle", "deprecation_reason",
                  "replacement", "tags", "components", "used_by_count", "facts", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = ["diagram_format", "deprecation_reason", "created_at", "updated_at"]
        list_serializer_class = FactsListSerializer

    @extend_schema_field(FactsField)
    def get_facts(self, obj) -> dict:
        return _facts_of(self, obj)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tags"] = sorted(t.name for t in instance.tags.all())
        data["components"] = [
            {"component": r.component.slug, "role": r.role} for r in instance.component_roles.all()
        ]
        # The diagram is served by the app to those who may see the example (not as a
        # public media file).
        data["diagram"] = None
        if instance.diagram:
            url = reverse("catalogue:architecture_diagram", kwargs={"slug": instance.slug})
            request = self.context.get("request")
            data["diagram"] = request.build_absolute_uri(url) if request else url
        return data


class ArchitectureDetailSerializer(ArchitectureSerializer):
    lifecycle_history = LifecycleTransitionSerializer(many=True, read_only=True)
    used_by = serializers.SerializerMethodField()

    class Meta(ArchitectureSerializer.Meta):
        fields = [*ArchitectureSerializer.Meta.fields, "lifecycle_history", "used_by"]

    @extend_schema_field(UsingDocSerializer(many=True))
    def get_used_by(self, obj):
        return UsingDocSerializer(self.context.get("using_docs", []), many=True).data


class ImportSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    rejected = serializers.IntegerField()
    files = serializers.ListField(child=serializers.DictField())


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A catalog-info.yaml (multi-document YAML).")
