"""What an import would create, shown before anything is: the page's mapping table, the
API's dry run and the command's `--dry-run` all render an `ImportPreview`."""

from __future__ import annotations

from dataclasses import dataclass

from designdocs.content import Content
from designdocs.foreign_import import ForeignPlan, MappingRow, count_words
from designdocs.markdown_io import ParsedFile
from designdocs.sections import NARRATIVE_KEYS, ROW_KEYS, SECTIONS, SECTIONS_BY_KEY

REGISTRY = "registry"
FOREIGN = "foreign"


@dataclass(frozen=True)
class SectionTotal:
    key: str
    title: str
    words: int
    headings: int


@dataclass(frozen=True)
class ImportPreview:
    format: str  # REGISTRY (this registry's export) or FOREIGN (another template)
    title: str
    owner_team: str | None
    rows: list[MappingRow]
    content: Content

    @property
    def is_foreign(self) -> bool:
        return self.format == FOREIGN

    @property
    def totals(self) -> list[SectionTotal]:
        """The sections receiving text, in the document's order, with their word counts."""
        totals = []
        for section in SECTIONS:
            rows = [row for row in self.rows if row.section == section.key]
            if rows:
                totals.append(
                    SectionTotal(section.key, section.title, sum(r.words for r in rows), len(rows))
                )
        return totals

    @property
    def unmatched(self) -> list[MappingRow]:
        return [row for row in self.rows if row.how == "unmatched"]

    def as_dict(self) -> dict:
        return {
            "dry_run": True,
            "created": False,
            "format": self.format,
            "title": self.title,
            "owner_team": self.owner_team,
            "mapping": [row.as_dict() for row in self.rows],
            "sections": [
                {"section": t.key, "title": t.title, "words": t.words, "headings": t.headings}
                for t in self.totals
            ],
        }

    @classmethod
    def of_foreign_file(
        cls, plan: ForeignPlan, content: Content, *, owner_team: str | None
    ) -> ImportPreview:
        return cls(FOREIGN, content["title"], owner_team, list(plan.rows), content)

    @classmethod
    def of_registry_file(cls, parsed: ParsedFile, content: Content) -> ImportPreview:
        rows = []
        for key in ROW_KEYS:
            count = len(content[key])
            if key in parsed.lines:
                noun = SECTIONS_BY_KEY[key].row_label or "row"
                note = f"{count} {noun}{'' if count == 1 else 's'} from the front matter"
                rows.append(
                    MappingRow(parsed.lines[key], f"{key}:", 0, key, key, "front matter", 0, note)
                )
        for key in NARRATIVE_KEYS:
            if key in parsed.lines:
                rows.append(
                    MappingRow(
                        parsed.lines[key],
                        f"<!-- section: {key} -->",
                        2,
                        key,
                        key,
                        "marker",
                        count_words(content[key]),
                    )
                )
        rows.sort(key=lambda row: row.line)
        return cls(REGISTRY, content["title"], content["owner_team"], rows, content)
