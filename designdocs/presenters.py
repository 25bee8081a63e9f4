"""What the pages show of a document's content, from one canonical content dict.

A live document (`content_of(doc)`) and a stored revision (`revision.content`) have the
same shape, so the read view, the revision page and the editor's previews all build a
`DocumentView` from a content dict and render it with the same partial templates. Nothing
here renders Markdown: templates pass narrative text through the `markdown` filter, the
product's one sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from designdocs.choices import MLStage, RaciRole, RiskCategory, RiskStatus, RiskTier
from designdocs.content import ROW_CHOICES, Content, completeness, may_browse_directory
from designdocs.risk import RISK_MATRIX, risk_level, risk_score
from designdocs.sections import SECTIONS, SECTIONS_BY_KEY, Section
from teams.models import Team
from teams.selectors import team_ids_of

#: Words for the 1..5 scales of likelihood and impact (NIST SP 800-30 Rev. 1, Appendix G/H).
SCALE_LABELS: dict[int, str] = {1: "Very low", 2: "Low", 3: "Moderate", 4: "High", 5: "Very high"}
RACI_LABELS: dict[str, str] = dict(RaciRole.choices)
CATEGORY_LABELS: dict[str, str] = dict(RiskCategory.choices)
RISK_STATUS_LABELS: dict[str, str] = dict(RiskStatus.choices)


@dataclass(frozen=True)
class Party:
    """A person (username) or a team (slug) named in the content, with a display name."""

    kind: str  # "person" or "team"
    key: str
    name: str

    @property
    def label(self) -> str:
        return self.name if self.name == self.key else f"{self.name} ({self.key})"


@dataclass
class RaciMatrix:
    """Activities down, parties across, letters in the cells (first-appearance order)."""

    parties: list[Party]
    rows: list[tuple[str, list[list[tuple[str, str]]]]]  # (activity, [[(letter, label)], ...])


@dataclass
class HeatmapCell:
    likelihood: int
    impact: int
    level: str
    level_label: str
    risks: list[dict[str, Any]]

    @property
    def count(self) -> int:
        return len(self.risks)

    @property
    def label(self) -> str:
        noun = "risk" if self.count == 1 else "risks"
        return (
            f"Likelihood {self.likelihood} ({SCALE_LABELS[self.likelihood].lower()}), "
            f"impact {self.impact} ({SCALE_LABELS[self.impact].lower()}): "
            f"{self.level_label.lower()} level, {self.count} {noun}"
        )


@dataclass
class SectionView:
    section: Section
    value: Any
    rows: list[dict[str, Any]] = field(default_factory=list)
    raci: RaciMatrix | None = None
    heatmap: list[tuple[int, list[HeatmapCell]]] | None = None
    #: The catalogue entries the section names: [{"label", "entries": [(name, url)]}].
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def is_rows(self) -> bool:
        return self.section.is_rows

    @property
    def is_empty(self) -> bool:
        return not self.value and not any(link["entries"] for link in self.links)

    @property
    def anchor(self) -> str:
        return f"section-{self.section.key.replace('_', '-')}"

    @property
    def template(self) -> str:
        name = self.section.key if self.section.is_rows else "narrative"
        return f"designdocs/partials/section_{name}.html"


@dataclass
class Completeness:
    filled: list[Section]
    missing: list[Section]

    @property
    def total(self) -> int:
        return len(self.filled) + len(self.missing)

    @property
    def done(self) -> int:
        return len(self.filled)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class DocumentView:
    content: Content
    title: str
    team: Party
    product_owner: Party | None
    co_authors: list[Party]
    stage: str
    stage_label: str
    risk_tier: str
    risk_tier_label: str
    sections: list[SectionView]
    completeness: Completeness

    def section(self, key: str) -> SectionView:
        return next(s for s in self.sections if s.key == key)


def completeness_of(content: Content) -> Completeness:
    filled, missing = completeness(content)
    return Completeness(
        filled=[SECTIONS_BY_KEY[k] for k in filled], missing=[SECTIONS_BY_KEY[k] for k in missing]
    )


def names_for(content: Content, viewer=None) -> tuple[dict[str, str], dict[str, str]]:
    """Display names of the people and teams the content names, in two queries. A `viewer`
    who may not browse people and teams (no registry role) sees the full names of only
    themselves and the members of their teams, and the names of only their teams; others
    stay as the document writes them (username, slug)."""
    usernames = {content.get("product_owner") or "", *content.get("co_authors", [])}
    usernames |= {row.get("person") or "" for row in content.get("raci", [])}
    usernames |= {row.get("owner") or "" for row in content.get("risks", [])}
    usernames.discard("")
    slugs = {
        content.get("owner_team") or "",
        *(row.get("team") or "" for row in content.get("raci", [])),
    }
    slugs.discard("")
    user_model = get_user_model()
    people_rows = user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})
    team_rows = Team.objects.filter(slug__in=slugs)
    if viewer is not None and not may_browse_directory(viewer):
        known_teams = team_ids_of(viewer)
        people_rows = people_rows.filter(
            Q(pk=viewer.pk) | Q(team_memberships__team_id__in=known_teams)
        ).distinct()
        team_rows = team_rows.filter(pk__in=known_teams)
    people = {}
    if usernames:
        for user in people_rows:
            people[user.get_username()] = user.get_full_name() or user.get_username()
    teams = dict(team_rows.values_list("slug", "name")) if slugs else {}
    return people, teams


def _raci_matrix(rows: list[dict[str, Any]], people: dict, teams: dict) -> RaciMatrix:
    parties: list[Party] = []
    index: dict[tuple[str, str], int] = {}
    activities: list[str] = []
    cells: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for row in rows:
        kind, key = (
            ("person", row["person"]) if row.get("person") else ("team", row.get("team") or "")
        )
        if (kind, key) not in index:
            names = people if kind == "person" else teams
            index[(kind, key)] = len(parties)
            parties.append(Party(kind, key, names.get(key, key)))
        if row["activity"] not in activities:
            activities.append(row["activity"])
        letter = row.get("role") or ""
        cells.setdefault((row["activity"], index[(kind, key)]), []).append(
            (letter, RACI_LABELS.get(letter, letter))
        )
    matrix_rows = [
        (activity, [cells.get((activity, i), []) for i in range(len(parties))])
        for activity in activities
    ]
    return RaciMatrix(parties=parties, rows=matrix_rows)


def _risk_rows(rows: list[dict[str, Any]], people: dict) -> list[dict[str, Any]]:
    shown = []
    for number, row in enumerate(rows, start=1):
        likelihood, impact = row.get("likelihood"), row.get("impact")
        valid = isinstance(likelihood, int) and isinstance(impact, int)
        valid = valid and 1 <= likelihood <= 5 and 1 <= impact <= 5
        level = risk_level(likelihood, impact) if valid else None
        shown.append(
            {
                **row,
                "number": number,
                "score": risk_score(likelihood, impact) if valid else None,
                "level": level.value if level else "",
                "level_label": level.label if level else "",
                "category_label": CATEGORY_LABELS.get(row.get("category"), row.get("category")),
                "status_label": RISK_STATUS_LABELS.get(row.get("status"), row.get("status")),
                "owner_name": people.get(row.get("owner") or "", row.get("owner") or ""),
            }
        )
    return shown


def _heatmap(risks: list[dict[str, Any]]) -> list[tuple[int, list[HeatmapCell]]]:
    grid = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            level = RISK_MATRIX[likelihood][impact]
            cells.append(
                HeatmapCell(
                    likelihood=likelihood,
                    impact=impact,
                    level=level.value,
                    level_label=level.label,
                    risks=[
                        r for r in risks if r["likelihood"] == likelihood and r["impact"] == impact
                    ],
                )
            )
        grid.append((likelihood, cells))
    return grid


def _linked(link, slugs: list[str], viewer) -> dict[str, Any]:
    """The catalogue entries a section names, as `viewer` may see them (one query); a slug
    naming nothing visible is shown as it is written."""
    entries: list[tuple[str, str]] = []
    if slugs:
        queryset = link.model.objects.filter(slug__in=slugs)
        if viewer is not None:
            queryset = queryset.restrict(viewer, "view")
        found = {entry.slug: entry for entry in queryset}
        entries = [
            (str(found[s]), found[s].get_absolute_url()) if s in found else (s, "") for s in slugs
        ]
    return {"key": link.name, "label": link.label, "entries": entries}


def document_view(
    content: Content,
    *,
    people: dict[str, str] | None = None,
    teams: dict[str, str] | None = None,
    viewer=None,
    stage: str | None = None,
) -> DocumentView:
    """Everything the read view shows of `content`. Without `people`/`teams`, the names are
    looked up (two queries), as `viewer` may see them (names_for). `stage`: the document's
    lifecycle stage now (not content); without it, the stage an older revision recorded."""
    if people is None or teams is None:
        people, teams = names_for(content, viewer)
    sections = []
    for section in SECTIONS:
        value = content.get(section.key) or ([] if section.is_rows else "")
        view = SectionView(section=section, value=value)
        if section.key == "raci":
            view.rows = [
                {**r, "role_label": RACI_LABELS.get(r.get("role"), r.get("role"))} for r in value
            ]
            view.raci = _raci_matrix(value, people, teams)
        elif section.key == "risks":
            view.rows = _risk_rows(value, people)
            view.heatmap = _heatmap(view.rows)
        elif section.is_rows:
            view.rows = list(value)
        view.links = [_linked(link, content.get(link.name) or [], viewer) for link in section.links]
        sections.append(view)
    team_slug = content.get("owner_team") or ""
    owner = content.get("product_owner") or ""
    return DocumentView(
        content=content,
        title=content.get("title") or "",
        team=Party("team", team_slug, teams.get(team_slug, team_slug)),
        product_owner=Party("person", owner, people.get(owner, owner)) if owner else None,
        co_authors=[Party("person", u, people.get(u, u)) for u in content.get("co_authors", [])],
        stage=stage or content.get("stage") or "",
        stage_label=dict(MLStage.choices).get(
            stage or content.get("stage"), stage or content.get("stage") or ""
        ),
        risk_tier=content.get("risk_tier") or "",
        risk_tier_label=dict(RiskTier.choices).get(
            content.get("risk_tier"), content.get("risk_tier") or ""
        ),
        sections=sections,
        completeness=completeness_of(content),
    )


#: Choice fields whose stored values are shown by their labels on the diff page.
_METADATA_CHOICES = {"stage": dict(MLStage.choices), "risk_tier": dict(RiskTier.choices)}
_ROW_CHOICE_LABELS = {key: dict(choices.choices) for key, choices in ROW_CHOICES.items()}


def _shown(value: Any, labels: dict[str, str] | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if labels:
        return labels.get(value, str(value))
    return str(value)


def diff_view(diffs: list) -> list[dict[str, Any]]:
    """`designdocs.diff.diff_contents` shaped for the diff page: row sections become tables
    (one column per row field, old and new value per cell), metadata a field list."""
    shown = []
    for diff in diffs:
        item: dict[str, Any] = {
            "key": diff.key,
            "title": diff.title,
            "kind": diff.kind,
            "changed": diff.changed,
            "anchor": f"diff-{diff.key.replace('_', '-')}",
        }
        if diff.kind == "metadata":
            item["fields"] = [
                {
                    "label": f.label,
                    "old": _shown(f.old, _METADATA_CHOICES.get(f.field)),
                    "new": _shown(f.new, _METADATA_CHOICES.get(f.field)),
                }
                for f in diff.fields
            ]
        elif diff.kind == "narrative":
            item["ops"] = diff.text
        else:
            specs = SECTIONS_BY_KEY[diff.key].row_fields
            item["columns"] = [spec.label for spec in specs]
            counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
            rows = []
            for change in diff.rows:
                counts[change.change] += 1
                cells = []
                for spec in specs:
                    labels = _ROW_CHOICE_LABELS.get((diff.key, spec.name))
                    old = _shown(change.old.get(spec.name), labels) if change.old else None
                    new = _shown(change.new.get(spec.name), labels) if change.new else None
                    cells.append({"old": old, "new": new, "changed": spec.name in change.fields})
                rows.append({"change": change.change, "cells": cells})
            item["rows"] = rows
            item["counts"] = counts
        shown.append(item)
    return shown
