"""The sections of a design document, in reading order.

This is the one description of the document's shape: the editor, the read view, the
completeness meter, the canonical JSON, the diff and the Markdown import/export all walk it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.db import models

from designdocs.choices import RaciRole, RiskCategory, RiskStatus, RiskTier

FieldKind = Literal["text", "longtext", "int", "choice", "user", "team"]

#: The longest username and team slug (User.username, Team.slug): a reference longer than
#: that names nobody.
USERNAME_MAX_LENGTH = 150
TEAM_SLUG_MAX_LENGTH = 100
#: Likelihood and impact (NIST SP 800-30 scales).
SCALE_MIN, SCALE_MAX = 1, 5


@dataclass(frozen=True)
class RowField:
    """One field of the content (a metadata field or a column of a row section) and the
    model field that stores it. `kind` says how it is stored and checked: text in a
    CharField (longtext: a TextField, still bounded here), an int from SCALE_MIN to
    SCALE_MAX, one of `choices`, or a reference by username (user) or slug (team) stored
    as a foreign key. Every reader (content_of, the writer, the prefetches, the API
    serializers, the forms, the validator) takes its facts from here."""

    name: str
    label: str
    required: bool = True
    kind: FieldKind = "text"
    max_length: int | None = 200
    choices: type[models.TextChoices] | None = None
    #: What an empty value becomes (a risk's status: open).
    default: str = ""
    #: The model attribute, when it is not `name`.
    model_field: str = ""

    def __post_init__(self) -> None:
        if self.kind == "user":
            object.__setattr__(self, "max_length", USERNAME_MAX_LENGTH)
        elif self.kind == "team":
            object.__setattr__(self, "max_length", TEAM_SLUG_MAX_LENGTH)
        elif self.kind == "int":
            object.__setattr__(self, "max_length", None)
        if self.kind == "choice":
            assert self.choices is not None, self.name
            assert self.max_length is not None
            assert all(len(value) <= self.max_length for value in self.choices.values)

    @property
    def attname(self) -> str:
        return self.model_field or self.name

    @property
    def is_reference(self) -> bool:
        return self.kind in ("user", "team")


@dataclass(frozen=True)
class LinkField:
    """A list of catalogue entries a section names by slug (the architecture section's
    adopted architecture examples and components used). Stored in the many-to-many
    `attname` of DesignDoc (declared by string: designdocs never imports the catalogue);
    the content holds the sorted slugs."""

    name: str
    label: str
    model_label: str  # "catalogue.Component"
    attname: str
    max_items: int = 50

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: Literal["narrative", "rows"]
    required: bool
    help: str
    row_fields: tuple[RowField, ...] = ()
    row_label: str = ""
    #: Row sections: the model of a row and its related name on DesignDoc.
    row_model_name: str = ""
    related_name: str = ""
    #: Catalogue entries the section names, by slug (see LinkField).
    links: tuple[LinkField, ...] = ()

    @property
    def is_rows(self) -> bool:
        return self.kind == "rows"

    @property
    def row_model(self) -> type[models.Model]:
        return apps.get_model("designdocs", self.row_model_name)

    @property
    def reference_fields(self) -> tuple[RowField, ...]:
        return tuple(f for f in self.row_fields if f.is_reference)


SECTIONS: tuple[Section, ...] = (
    Section(
        "problem_statement",
        "Problem statement",
        "narrative",
        True,
        "The problem the solution addresses, for whom, and why now.",
    ),
    Section(
        "business_value",
        "Business value",
        "narrative",
        True,
        "The value expected, how it is estimated, and the KPIs it moves.",
    ),
    Section(
        "success_criteria",
        "Success criteria",
        "rows",
        True,
        "How we will know it works: a metric, its baseline, the target and how it is measured.",
        row_fields=(
            RowField("metric", "Metric"),
            RowField("baseline", "Baseline", required=False),
            RowField("target", "Target"),
            RowField("measurement", "How measured", required=False, max_length=500),
        ),
        row_label="criterion",
        row_model_name="SuccessCriterion",
        related_name="success_criteria",
    ),
    Section(
        "raci",
        "Roles and responsibilities (RACI)",
        "rows",
        True,
        "Per activity: who is Responsible, Accountable (exactly one), Consulted and Informed. "
        "Name a person (username) or a team (slug) on each row.",
        row_fields=(
            RowField("activity", "Activity"),
            RowField("person", "Person", required=False, kind="user"),
            RowField("team", "Team", required=False, kind="team"),
            RowField("role", "Role", kind="choice", choices=RaciRole, max_length=1),
        ),
        row_label="assignment",
        row_model_name="RaciAssignment",
        related_name="raci_assignments",
    ),
    Section(
        "risks",
        "Risks",
        "rows",
        True,
        "Likelihood and impact from 1 (very low) to 5 (very high); high and very high risks "
        "need a mitigation and an owner.",
        row_fields=(
            RowField("title", "Risk"),
            RowField("category", "Category", kind="choice", choices=RiskCategory, max_length=32),
            RowField("likelihood", "Likelihood", kind="int"),
            RowField("impact", "Impact", kind="int"),
            RowField("mitigation", "Mitigation", required=False, kind="longtext", max_length=5000),
            RowField("owner", "Owner", required=False, kind="user"),
            RowField(
                "status",
                "Status",
                kind="choice",
                choices=RiskStatus,
                max_length=32,
                default=RiskStatus.OPEN.value,
            ),
        ),
        row_label="risk",
        row_model_name="Risk",
        related_name="risks",
    ),
    Section(
        "architecture",
        "Architecture",
        "narrative",
        True,
        "How the solution is built: components, data flow, training and serving. Name the "
        "catalogue's architecture examples it adopts and the components it uses.",
        links=(
            LinkField(
                "architecture_examples",
                "Adopted architecture examples",
                "catalogue.ArchitectureExample",
                "adopted_architectures",
            ),
            LinkField(
                "components_used", "Components used", "catalogue.Component", "components_used"
            ),
        ),
    ),
    Section(
        "data",
        "Data",
        "narrative",
        True,
        "Sources, quality, labelling, privacy and retention.",
    ),
    Section(
        "monitoring",
        "Monitoring contract",
        "rows",
        True,
        "What is watched in production, who is alerted, the fallback, and who agreed.",
        row_fields=(
            RowField("metric", "Metric"),
            RowField("threshold", "Threshold"),
            RowField("cadence", "Cadence", max_length=100),
            RowField("alert_owner", "Alert owner"),
            RowField("fallback", "Fallback", required=False, max_length=500),
            RowField("stakeholders", "Stakeholders who agreed", required=False, max_length=500),
        ),
        row_label="contract item",
        row_model_name="MonitoringItem",
        related_name="monitoring_items",
    ),
    Section(
        "deployment_constraints",
        "Deployment constraints",
        "narrative",
        True,
        "Latency, throughput, cost, infrastructure and release constraints.",
    ),
    Section(
        "alternatives",
        "Alternatives considered",
        "narrative",
        True,
        "Other approaches and why they were not chosen.",
    ),
    Section(
        "open_questions",
        "Open questions",
        "narrative",
        False,
        "What is still undecided.",
    ),
    Section(
        "other_notes",
        "Other notes",
        "narrative",
        False,
        "Text kept from an imported document whose headings match no section, in the order "
        "it came; move it where it belongs.",
    ),
)

SECTIONS_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
ROW_SECTIONS: tuple[Section, ...] = tuple(s for s in SECTIONS if s.is_rows)
NARRATIVE_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if not s.is_rows)
ROW_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.is_rows)
#: Every catalogue link of every section, and their content keys (lists of slugs).
LINK_FIELDS: tuple[LinkField, ...] = tuple(link for s in SECTIONS for link in s.links)
LINK_KEYS: tuple[str, ...] = tuple(link.name for link in LINK_FIELDS)

#: The metadata of the canonical content, stored on DesignDoc itself. `co_authors` (a
#: list of usernames, the many-to-many `co_authors`) is the one list among them.
#: The ML lifecycle stage is not content: it moves through lifecycle transitions
#: (designdocs.lifecycle), so that entering deployment does not make a revision and void
#: the approval it requires. Revisions written before that change still hold a `stage`.
#: The risk tier is content (a change of tier is a revision) but only the EU AI Act
#: questionnaire sets it (designdocs.services.designdoc_set_risk_tier).
METADATA_FIELDS: tuple[RowField, ...] = (
    RowField("title", "Title"),
    RowField("owner_team", "Owner team", kind="team"),
    RowField("product_owner", "Product owner", kind="user"),
    RowField("co_authors", "Co-authors", required=False, kind="user"),
    RowField("risk_tier", "Risk tier", kind="choice", choices=RiskTier, max_length=32),
)
METADATA_BY_KEY: dict[str, RowField] = {field.name: field for field in METADATA_FIELDS}
#: Metadata keys of the canonical content, besides `sections`.
METADATA_KEYS: tuple[str, ...] = tuple(field.name for field in METADATA_FIELDS)
#: Keys that content once held and no longer accepts, with the reason a refusal gives.
RETIRED_CONTENT_KEYS: dict[str, str] = {
    "stage": (
        "The ML lifecycle stage is not edited with the content: it moves through lifecycle "
        "transitions (the Lifecycle panel of the doc page, or POST "
        "/api/designdocs/{id}/transition/). Leave `stage` out."
    ),
}
#: Content keys an edit may not change (the value stored now may be sent back unchanged).
READ_ONLY_CONTENT_KEYS: dict[str, str] = {
    "risk_tier": (
        "The risk tier is derived from the EU AI Act questionnaire of the document (its "
        "Classification page, or /api/designdocs/{id}/classification/); it cannot be set "
        "by an edit."
    ),
}
#: The many-valued metadata field (usernames).
LIST_METADATA_KEYS: frozenset[str] = frozenset({"co_authors"})
MAX_CO_AUTHORS = 50

#: Row limits keep every document renderable (pages and PDF) in bounded time.
MAX_ROWS_PER_SECTION = 200
