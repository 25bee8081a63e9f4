"""API representations of design documents.

Writes accept the document's canonical content shape (designdocs.content) and are
validated by the one content validator in the service layer, the same one the pages and
the Markdown import use; these serializers describe that shape for the OpenAPI schema and
render documents for reading.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designdocs.choices import (
    MLStage,
    RaciRole,
    RiskCategory,
    RiskLevel,
    RiskStatus,
    RiskTier,
    WorkflowStatus,
)
from designdocs.content import completeness, content_of
from designdocs.models import DesignDoc, Revision
from designdocs.risk import risk_level, risk_score


def with_risk_figures(content: dict) -> dict:
    """A copy of `content` whose risk rows carry their derived score and level."""
    risks = [
        {
            **row,
            "score": risk_score(row["likelihood"], row["impact"]),
            "level": risk_level(row["likelihood"], row["impact"]).value,
        }
        for row in content.get("risks", [])
    ]
    return {**content, "risks": risks}


class SuccessCriterionSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=200)
    baseline = serializers.CharField(max_length=200, allow_blank=True, required=False)
    target = serializers.CharField(max_length=200)
    measurement = serializers.CharField(max_length=500, allow_blank=True, required=False)


class RaciRowSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=200)
    person = serializers.CharField(
        max_length=150, allow_blank=True, required=False, help_text="Username; or give `team`."
    )
    team = serializers.CharField(
        max_length=100, allow_blank=True, required=False, help_text="Team slug; or give `person`."
    )
    role = serializers.ChoiceField(choices=RaciRole.choices)


class RiskRowSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=RiskCategory.choices)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)
    mitigation = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    owner = serializers.CharField(
        max_length=150, allow_blank=True, required=False, help_text="Username of the risk owner."
    )
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    score = serializers.IntegerField(read_only=True, help_text="likelihood x impact (1-25).")
    level = serializers.ChoiceField(
        choices=RiskLevel.choices, read_only=True, help_text="NIST SP 800-30 Table I-2 level."
    )


class MonitoringRowSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=200)
    threshold = serializers.CharField(max_length=200)
    cadence = serializers.CharField(max_length=100)
    alert_owner = serializers.CharField(max_length=200)
    fallback = serializers.CharField(max_length=500, allow_blank=True, required=False)
    stakeholders = serializers.CharField(max_length=500, allow_blank=True, required=False)


def _narrative_field() -> serializers.CharField:
    return serializers.CharField(
        allow_blank=True, required=False, help_text="Markdown (200 KB max)."
    )


class DesignDocContentSerializer(serializers.Serializer):
    """The whole content of a document: what a revision stores and an update may change."""

    title = serializers.CharField(max_length=200)
    owner_team = serializers.CharField(max_length=100, help_text="Slug of the owning team.")
    product_owner = serializers.CharField(max_length=150, required=False, help_text="Username.")
    co_authors = serializers.ListField(child=serializers.CharField(max_length=150), required=False)
    stage = serializers.ChoiceField(choices=MLStage.choices, required=False)
    risk_tier = serializers.ChoiceField(choices=RiskTier.choices, required=False)
    problem_statement = _narrative_field()
    business_value = _narrative_field()
    architecture = _narrative_field()
    data = _narrative_field()
    deployment_constraints = _narrative_field()
    alternatives = _narrative_field()
    open_questions = _narrative_field()
    other_notes = _narrative_field()
    success_criteria = SuccessCriterionSerializer(many=True, required=False)
    raci = RaciRowSerializer(many=True, required=False)
    risks = RiskRowSerializer(many=True, required=False)
    monitoring = MonitoringRowSerializer(many=True, required=False)


class DesignDocWriteSerializer(DesignDocContentSerializer):
    """Create (POST) or update (PUT replaces the content, PATCH changes the keys given)."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version this update is based on (or send If-Match with the ETag).",
    )
    message = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="Revision message."
    )


class DesignDocCreateSerializer(DesignDocWriteSerializer):
    allow_duplicate_title = serializers.BooleanField(
        required=False,
        help_text="true: create it even though a design doc with this title exists (else 409 "
        "naming that doc).",
    )


class DesignDocPatchSerializer(DesignDocWriteSerializer):
    title = serializers.CharField(max_length=200, required=False)
    owner_team = serializers.CharField(max_length=100, required=False)


class CompletenessSerializer(serializers.Serializer):
    filled = serializers.IntegerField()
    required = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())


class DesignDocBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:designdoc-detail")
    html_url = serializers.SerializerMethodField()
    owner_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product_owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DesignDoc
        fields = ["id", "url", "html_url", "slug", "title", "owner_team", "product_owner",
                  "status", "stage", "risk_tier", "version", "revision_number",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields

    def get_html_url(self, doc: DesignDoc) -> str:
        request = self.context.get("request")
        path = doc.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class DesignDocSerializer(DesignDocContentSerializer):
    """A document for reading: its content plus identity, state and derived figures."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True)
    html_url = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=WorkflowStatus.choices, read_only=True)
    version = serializers.IntegerField(read_only=True)
    revision_number = serializers.IntegerField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    completeness = CompletenessSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, doc: DesignDoc) -> dict:
        request = self.context.get("request")
        content = with_risk_figures(content_of(doc))
        filled, missing = completeness(content)
        api_path = f"/api/designdocs/{doc.pk}/"
        return {
            "id": doc.pk,
            "url": request.build_absolute_uri(api_path) if request else api_path,
            "html_url": request.build_absolute_uri(doc.get_absolute_url())
            if request
            else doc.get_absolute_url(),
            "slug": doc.slug,
            "status": doc.status,
            "version": doc.version,
            "revision_number": doc.revision_number,
            "content_hash": doc.content_hash,
            "completeness": {
                "filled": len(filled),
                "required": len(filled) + len(missing),
                "missing": missing,
            },
            "created_at": serializers.DateTimeField().to_representation(doc.created_at),
            "updated_at": serializers.DateTimeField().to_representation(doc.updated_at),
            **content,
        }


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Revision
        fields = ["number", "content_hash", "author", "message", "created_at"]
        read_only_fields = fields


class RevisionDetailSerializer(RevisionSerializer):
    content = serializers.SerializerMethodField()

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "content"]
        read_only_fields = fields

    @extend_schema_field(DesignDocContentSerializer)
    def get_content(self, revision: Revision) -> dict:
        """The stored content, with each risk's derived score and level as on a document."""
        return with_risk_figures(revision.content)


class TextOpSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class RowChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["added", "removed", "changed", "unchanged"])
    old = serializers.DictField(allow_null=True)
    new = serializers.DictField(allow_null=True)
    fields = serializers.ListField(child=serializers.CharField())


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class SectionDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["metadata", "narrative", "rows"])
    changed = serializers.BooleanField()
    text = TextOpSerializer(many=True, required=False)
    rows = RowChangeSerializer(many=True, required=False)
    fields = FieldChangeSerializer(many=True, required=False)


class DiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    changed_sections = serializers.ListField(child=serializers.CharField())
    sections = SectionDiffSerializer(many=True)


class MarkdownImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A design-doc Markdown file.")
    markdown = serializers.CharField(required=False, help_text="The same, as text.")
    owner_team = serializers.CharField(
        required=False,
        help_text="Owner team slug; required for a file without front matter (another "
        "template), refused for this registry's format (the file names its team).",
    )
    title = serializers.CharField(
        required=False,
        help_text="Title of a file without front matter (default: its first heading, else "
        "the file name).",
    )
    dry_run = serializers.BooleanField(
        required=False, help_text="Answer the mapping (200) and create nothing."
    )
    allow_duplicate_title = serializers.BooleanField(
        required=False,
        help_text="true: import it even though a design doc with the file's title exists "
        "(else 409 naming that doc).",
    )


class ImportMappingRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="1-based line of the heading in the file.")
    heading = serializers.CharField(help_text="The heading as written.")
    level = serializers.IntegerField(help_text="1-6; 0 for text before any heading.")
    section = serializers.CharField(allow_null=True, help_text="Section receiving the text.")
    section_title = serializers.CharField(allow_null=True)
    matched = serializers.CharField(
        allow_null=True, help_text="Section the heading was recognised as (null: none)."
    )
    how = serializers.ChoiceField(
        choices=["title", "opening", "synonym", "inside", "unmatched", "marker", "front matter"]
    )
    words = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)


class ImportSectionTotalSerializer(serializers.Serializer):
    section = serializers.CharField()
    title = serializers.CharField()
    words = serializers.IntegerField()
    headings = serializers.IntegerField()


class ImportPreviewSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.BooleanField()
    format = serializers.ChoiceField(
        choices=["registry", "foreign"],
        help_text="registry: this registry's export; foreign: another template.",
    )
    title = serializers.CharField()
    owner_team = serializers.CharField(allow_null=True)
    mapping = ImportMappingRowSerializer(many=True)
    sections = ImportSectionTotalSerializer(many=True)
