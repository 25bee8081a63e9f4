"""API representations of design documents.

Writes accept the document's canonical content shape (designdocs.content). The write
serializers are generated from the section registry (designdocs.sections): they check the
type, length and choices of every value first (`"3"` for a likelihood is a 400 naming
`risks.0.likelihood`); the content validator in the service layer, the same one the pages
and the Markdown import use, then checks the rules and references.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designdocs.choices import MLStage, RiskLevel, WorkflowStatus
from designdocs.content import REVISION_MESSAGE_MAX, completeness, content_of
from designdocs.models import DesignDoc, LifecycleTransition, Revision
from designdocs.risk import risk_level, risk_score
from designdocs.sections import (
    LIST_METADATA_KEYS,
    MAX_ROWS_PER_SECTION,
    METADATA_FIELDS,
    ROW_SECTIONS,
    SCALE_MAX,
    SCALE_MIN,
    SECTIONS,
    RowField,
)
from registry.core import facts


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


class StrictCharField(serializers.CharField):
    """Text only: a number, boolean, list or object is refused, never turned into text.
    NUL and lone surrogates are refused by DRF's CharField validators."""

    default_error_messages = {"invalid": "Must be text."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number written as a JSON number. DRF's IntegerField also takes "3" (and 3.0):
    here text, fractions and booleans are refused."""

    default_error_messages = {"invalid": "Must be a whole number, written as a number (not text)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, as text: `true` or `1` never matches a choice by its str()."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


_HELP = {
    "user": "Username.",
    "team": "Team slug.",
}
_ROW_HELP = {
    ("raci", "person"): "Username; or give `team`.",
    ("raci", "team"): "Team slug; or give `person`.",
    ("risks", "owner"): "Username of the risk owner.",
}


def content_field(
    field: RowField, *, required: bool = False, help_text: str = ""
) -> serializers.Field:
    """The API field of one content field, from the section registry: its type, maximum
    length and choices. Required-ness and the rules (an Accountable per activity, ...) are
    the content validator's; the serializer checks what each value is."""
    help_text = help_text or _HELP.get(field.kind, "")
    if field.kind == "int":
        return StrictIntegerField(
            min_value=SCALE_MIN,
            max_value=SCALE_MAX,
            required=required,
            allow_null=True,
            help_text=help_text or f"{SCALE_MIN} (very low) to {SCALE_MAX} (very high).",
        )
    if field.kind == "choice":
        # Blank is allowed where the validator reads it as nothing or as the default.
        return StrictChoiceField(
            choices=field.choices.choices,
            required=required,
            allow_blank=not field.required or bool(field.default),
            help_text=help_text,
        )
    return StrictCharField(
        max_length=field.max_length,
        required=required,
        allow_blank=True,
        allow_null=True,
        help_text=help_text,
    )


def _row_serializer(section) -> type[serializers.Serializer]:
    fields: dict[str, serializers.Field] = {
        f.name: content_field(f, help_text=_ROW_HELP.get((section.key, f.name), ""))
        for f in section.row_fields
    }
    if section.key == "risks":
        fields["score"] = serializers.IntegerField(
            read_only=True, help_text="likelihood x impact (1-25)."
        )
        fields["level"] = serializers.ChoiceField(
            choices=RiskLevel.choices, read_only=True, help_text="NIST SP 800-30 Table I-2 level."
        )
    name = f"{section.row_model_name}RowSerializer"
    return type(name, (serializers.Serializer,), {"__module__": __name__, **fields})


ROW_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    section.key: _row_serializer(section) for section in ROW_SECTIONS
}


def _narrative_field() -> serializers.CharField:
    return StrictCharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        trim_whitespace=False,
        help_text="Markdown (200 KB max).",
    )


def _content_fields(*, required: frozenset[str]) -> dict[str, serializers.Field]:
    """Every field of the content, in the registry's order: metadata, then the sections."""
    fields: dict[str, serializers.Field] = {}
    for field in METADATA_FIELDS:
        if field.name in LIST_METADATA_KEYS:
            fields[field.name] = serializers.ListField(
                # Blank names are dropped by the content validator, as the schema allows them.
                child=StrictCharField(max_length=field.max_length, allow_blank=True),
                required=False,
                help_text="Usernames.",
            )
        else:
            help_text = "Slug of the owning team." if field.name == "owner_team" else ""
            fields[field.name] = content_field(
                field, required=field.name in required, help_text=help_text
            )
    for section in SECTIONS:
        if section.is_rows:
            fields[section.key] = ROW_SERIALIZERS[section.key](
                many=True, required=False, allow_null=True, max_length=MAX_ROWS_PER_SECTION
            )
        else:
            fields[section.key] = _narrative_field()
        for link in section.links:
            fields[link.name] = serializers.ListField(
                child=StrictCharField(max_length=100, allow_blank=True),
                required=False,
                allow_null=True,
                max_length=link.max_items,
                help_text=f"{link.label}: catalogue slugs.",
            )
    return fields


def _serializer(name: str, base: type, fields: dict, doc: str) -> type[serializers.Serializer]:
    return type(name, (base,), {"__module__": __name__, "__doc__": doc, **fields})


#: The whole content of a document: what a revision stores and an update may change.
DesignDocContentSerializer = _serializer(
    "DesignDocContentSerializer",
    serializers.Serializer,
    _content_fields(required=frozenset({"title", "owner_team"})),
    "The whole content of a document: what a revision stores and an update may change.",
)

_WRITE_EXTRAS = {
    "version": StrictIntegerField(
        required=False,
        min_value=1,
        help_text="The version this update is based on (or send If-Match with the ETag).",
    ),
    "message": StrictCharField(
        max_length=REVISION_MESSAGE_MAX,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Revision message.",
    ),
}

#: Create (POST) or update (PUT replaces the content).
DesignDocWriteSerializer = _serializer(
    "DesignDocWriteSerializer",
    serializers.Serializer,
    {**_content_fields(required=frozenset({"title", "owner_team"})), **_WRITE_EXTRAS},
    "Create (POST) or update (PUT replaces the content, PATCH changes the keys given).",
)

#: PATCH: every key optional.
DesignDocPatchSerializer = _serializer(
    "DesignDocPatchSerializer",
    serializers.Serializer,
    {**_content_fields(required=frozenset()), **_WRITE_EXTRAS},
    "Update (PATCH): the keys given replace the document's.",
)

#: POST: a write, and the confirmation that a duplicate title is meant.
DesignDocCreateSerializer = _serializer(
    "DesignDocCreateSerializer",
    DesignDocWriteSerializer,
    {
        "allow_duplicate_title": serializers.BooleanField(
            required=False,
            help_text="true: create it even though a design doc with this title exists (else "
            "409 naming that doc).",
        )
    },
    "Create (POST): the content, and whether a duplicate title is meant.",
)


class CompletenessSerializer(serializers.Serializer):
    filled = serializers.IntegerField()
    required = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "What other apps know of the document (registry.core.facts), e.g. "
        "`maturity`: its current maturity score with the model and date (null: not assessed).",
    }
)
class FactsField(serializers.Field):
    def to_representation(self, value):
        return value


class FactsListSerializer(serializers.ListSerializer):
    """A page of documents: the facts of all of them in one call per provider (a fixed
    number of queries whatever the page's length)."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        self.child.context["facts"] = facts.bulk_facts(items, user=getattr(request, "user", None))
        return super().to_representation(items)


def _facts_of(serializer, doc) -> dict:
    known = serializer.context.get("facts")
    if known is not None and doc.pk in known:
        return known[doc.pk]
    request = serializer.context.get("request")
    return facts.facts_for(doc, user=getattr(request, "user", None))


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = LifecycleTransition
        fields = ["id", "from_stage", "to_stage", "actor", "reason", "created_at"]
        read_only_fields = fields


class TransitionRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[c for c in MLStage.choices if c[0] != MLStage.UNCLASSIFIED],
        help_text="The stage to move the solution to.",
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Why; required to retire the solution.",
    )


class DesignDocBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:designdoc-detail")
    html_url = serializers.SerializerMethodField()
    owner_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product_owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    facts = serializers.SerializerMethodField()
    approved_revision = serializers.IntegerField(
        source="approved_revision_number",
        read_only=True,
        allow_null=True,
        help_text="The number of the revision approved last (kept after an edit), or null.",
    )
    is_approved = serializers.BooleanField(
        read_only=True, help_text="The approved revision is the latest one."
    )

    class Meta:
        model = DesignDoc
        fields = ["id", "url", "html_url", "slug", "title", "owner_team", "product_owner",
                  "status", "stage", "risk_tier", "version", "revision_number",
                  "approved_revision", "is_approved", "facts",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields
        list_serializer_class = FactsListSerializer

    @extend_schema_field(FactsField)
    def get_facts(self, doc: DesignDoc) -> dict:
        return _facts_of(self, doc)

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
    stage = serializers.ChoiceField(
        choices=MLStage.choices,
        read_only=True,
        help_text="ML lifecycle stage; it moves through POST …/transition/, not by an edit.",
    )
    facts = FactsField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    revision_number = serializers.IntegerField(read_only=True)
    content_hash = serializers.CharField(read_only=True)
    approved_revision = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The number of the revision approved last (kept after an edit), or null.",
    )
    is_approved = serializers.BooleanField(
        read_only=True, help_text="The approved revision is the latest one."
    )
    superseded_by = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the document replacing this one."
    )
    completeness = CompletenessSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, doc: DesignDoc) -> dict:
        """`content` in the context (what a write just stored) spares reading it again."""
        request = self.context.get("request")
        stored = self.context.get("content")
        content = with_risk_figures(stored if stored is not None else content_of(doc))
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
            "stage": doc.stage,
            "version": doc.version,
            "revision_number": doc.revision_number,
            "content_hash": doc.content_hash,
            "approved_revision": doc.approved_revision_number,
            "is_approved": doc.is_approved,
            "superseded_by": doc.superseded_by_id,
            "completeness": {
                "filled": len(filled),
                "required": len(filled) + len(missing),
                "missing": missing,
            },
            "created_at": serializers.DateTimeField().to_representation(doc.created_at),
            "updated_at": serializers.DateTimeField().to_representation(doc.updated_at),
            "facts": _facts_of(self, doc),
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
