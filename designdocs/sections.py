"""The sections of a design document, in reading order.

This is the one description of the document's shape: the editor, the read view, the
completeness meter, the canonical JSON, the diff and the Markdown import/export all walk it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class RowField:
    name: str
    label: str
    required: bool = True
    kind: Literal["text", "longtext", "int", "choice", "user", "team"] = "text"
    max_length: int = 200


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    kind: Literal["narrative", "rows"]
    required: bool
    help: str
    row_fields: tuple[RowField, ...] = ()
    row_label: str = ""

    @property
    def is_rows(self) -> bool:
        return self.kind == "rows"


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
            RowField("role", "Role", kind="choice", max_length=1),
        ),
        row_label="assignment",
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
            RowField("category", "Category", kind="choice", max_length=32),
            RowField("likelihood", "Likelihood", kind="int"),
            RowField("impact", "Impact", kind="int"),
            RowField("mitigation", "Mitigation", required=False, kind="longtext", max_length=5000),
            RowField("owner", "Owner", required=False, kind="user"),
            RowField("status", "Status", kind="choice", max_length=32),
        ),
        row_label="risk",
    ),
    Section(
        "architecture",
        "Architecture",
        "narrative",
        True,
        "How the solution is built: components, data flow, training and serving.",
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
NARRATIVE_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if not s.is_rows)
ROW_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.is_rows)

#: Metadata keys of the canonical content, besides `sections`.
METADATA_KEYS: tuple[str, ...] = (
    "title",
    "owner_team",
    "product_owner",
    "co_authors",
    "stage",
    "risk_tier",
)

#: Row limits keep every document renderable (pages and PDF) in bounded time.
MAX_ROWS_PER_SECTION = 200
