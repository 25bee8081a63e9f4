"""Design docs written elsewhere (wikis, Git, other templates): Markdown without this
registry's front matter or section markers, mapped onto the document's sections.

The file is cut at its headings into blocks (heading, body, line). Each heading is looked
up in the synonym table (`designdocs.headings`):

- a heading that matches a section starts it; its text goes there. Several headings
  mapping to one section are concatenated in the order of the file;
- a heading that matches nothing, deeper than the last matched heading, stays inside that
  section as a Markdown subheading (`### Techniques` under `## Methodology`);
- any other heading that matches nothing, and everything under it, goes to "Other notes",
  in order, heading included: nothing is ever dropped;
- structured sections (success criteria, risks, RACI, monitoring) are rows in this
  registry. Their text, tables included, is kept as Markdown in the narrative section the
  table names (`kept_under`), and the mapping says so, for someone to add the rows.

The title is the first heading when it is a level-1 heading that matches no section; else
the file's name, else its first line. Text before the first section heading (and under
the title) is the document's opening: it goes to the problem statement.

Every line of the source except the title heading and the heading that opens a section
(which that section's own title replaces) ends up in exactly one section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from designdocs.headings import SynonymTable, synonym_table
from designdocs.markdown_io import MarkdownImportError
from designdocs.sections import SECTIONS_BY_KEY

MAX_HEADINGS = 2000
TITLE_MAX = 200
PREAMBLE_TARGET = "problem_statement"
UNMATCHED_TARGET = "other_notes"

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Lines that cannot be the text of a setext heading (a list item, quote, table row, ...).
_NOT_SETEXT_TEXT = re.compile(r"^(?: {4}|\t| {0,3}(?:[-*+>|]|\d+[.)])(?:\s|$))|\|")
_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


@dataclass
class Block:
    line: int  # 1-based line of the heading; for the text before any heading, its first line
    level: int  # 1-6; 0 for the text before any heading
    heading: str  # the heading's text ("" for the text before any heading)
    heading_lines: list[str] = field(default_factory=list)  # as written (2 lines if setext)
    body: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.body).strip("\n")

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class MappingRow:
    """One heading of the source and where its text goes."""

    line: int
    heading: str  # as written, e.g. "### **I. Problem definition**"
    level: int
    section: str  # the narrative section receiving the text ("" for the title)
    matched: str  # the section the heading was recognised as ("" when none)
    how: str  # title | opening | synonym | inside | unmatched
    words: int
    note: str = ""

    @property
    def section_title(self) -> str:
        return SECTIONS_BY_KEY[self.section].title if self.section else ""

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "heading": self.heading,
            "level": self.level,
            "section": self.section or None,
            "section_title": self.section_title or None,
            "matched": self.matched or None,
            "how": self.how,
            "words": self.words,
            "note": self.note,
        }


@dataclass
class ForeignPlan:
    title: str
    rows: list[MappingRow]
    #: Narrative section key -> its Markdown text (only sections receiving text).
    sections: dict[str, str]
    #: Section key -> line of the first block it holds, for errors found later.
    lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key.partition(".")[0])

    def words_by_section(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for row in self.rows:
            if row.section:
                totals[row.section] = totals.get(row.section, 0) + row.words
        return totals


def _line_error(line: int, message: str) -> MarkdownImportError:
    return MarkdownImportError(message, line=line)


def split_blocks(text: str) -> list[Block]:
    """The text before the first heading (level 0, if any), then one block per heading.
    Headings inside fenced code are text."""
    lines = text.split("\n")
    blocks: list[Block] = [Block(line=1, level=0, heading="")]
    fence: str | None = None
    headings = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        current = blocks[-1]
        if fence is not None:
            current.body.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            index += 1
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            current.body.append(line)
            index += 1
            continue
        atx = _ATX.match(line)
        underline = _SETEXT.match(lines[index + 1]) if index + 1 < len(lines) else None
        setext = (
            underline is not None
            and line.strip()
            and not atx
            and not _NOT_SETEXT_TEXT.search(line)
            and (not current.body or not current.body[-1].strip())
        )
        if atx or setext:
            headings += 1
            if headings > MAX_HEADINGS:
                raise _line_error(
                    index + 1,
                    f"The file has more than {MAX_HEADINGS} headings; split it into several "
                    "documents or make some headings text.",
                )
            if atx:
                block = Block(index + 1, len(atx.group(1)), (atx.group(2) or "").strip(), [line])
                index += 1
            else:
                level = 1 if underline.group(1).startswith("=") else 2
                block = Block(index + 1, level, line.strip(), [line, lines[index + 1]])
                index += 2
            blocks.append(block)
            continue
        current.body.append(line)
        index += 1
    if not blocks[0].text.strip():
        blocks.pop(0)
    return blocks


def _title_from(file_name: str, text: str) -> str:
    stem = PurePath(file_name).stem if file_name else ""
    title = re.sub(r"[-_]+", " ", stem).strip()
    if not title:
        first = next((line for line in text.split("\n") if line.strip()), "")
        title = re.sub(r"^[#>*\-+\s]+|[*_`]+", "", first).strip()
    return title[:TITLE_MAX].strip() or "Imported design doc"


def plan_foreign_import(
    text: str, *, file_name: str = "", table: SynonymTable | None = None
) -> ForeignPlan:
    """Map a Markdown document without front matter onto the sections. Raises
    MarkdownImportError (naming the line) for a file with nothing to import."""
    table = table or synonym_table()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _line_error(1, "The file is empty.")
    blocks = split_blocks(text)
    if not any(block.text.strip() for block in blocks):
        raise _line_error(
            blocks[0].line,
            f"The file holds only headings ({len(blocks)}) and no text under them: "
            "there is nothing to import.",
        )

    rows: list[MappingRow] = []
    pieces: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    first = blocks[0]
    title_block = None
    if first.level == 1 and first.heading and table.match(first.heading) is None:
        title_block = first
    title = re.sub(r"[*_`]+", "", first.heading).strip()[:TITLE_MAX].strip() if title_block else ""
    title = title or _title_from(file_name, text)

    def add(target: str, block: Block, *, keep_heading: bool) -> None:
        parts = []
        if keep_heading:
            parts.append("\n".join(block.heading_lines))
        if block.text.strip():
            parts.append(block.text)
        if parts:
            pieces.setdefault(target, []).append("\n\n".join(parts))
            lines.setdefault(target, block.line)

    # (level, target, heading) of the headings enclosing the current one.
    stack: list[tuple[int, str, str]] = []
    for block in blocks:
        shown = block.heading_lines[0].strip() if block.heading_lines else ""
        if block is title_block or block.level == 0:
            if block is title_block:
                rows.append(MappingRow(block.line, shown, 1, "", "", "title", 0, "the title"))
            if block.text.strip():
                add(PREAMBLE_TARGET, block, keep_heading=False)
                rows.append(
                    MappingRow(
                        block.line + (1 if block.level else 0),
                        "(text before the first section heading)",
                        0,
                        PREAMBLE_TARGET,
                        "",
                        "opening",
                        block.words,
                        "the document's opening",
                    )
                )
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        found = table.match(block.heading)
        if found is not None:
            target, how, matched = found.target, "synonym", found.section
            if found.kept_as_markdown:
                note = (
                    f"{SECTIONS_BY_KEY[found.section].title} are rows in this registry: kept "
                    f"as Markdown under {SECTIONS_BY_KEY[target].title}; add the rows in the editor."
                )
            else:
                note = ""
            # The section's own title replaces the heading that opens it; any later heading
            # for the same section stays, so the reader sees where each part came from.
            keep = found.kept_as_markdown or target == UNMATCHED_TARGET or target in pieces
        elif stack:
            target, how, matched = stack[-1][1], "inside", ""
            note = f"kept as a subheading, inside “{stack[-1][2]}”"
            keep = True
        else:
            target, how, matched = UNMATCHED_TARGET, "unmatched", ""
            note = "no section matches this heading: kept with its heading"
            keep = True
        stack.append((block.level, target, shown))
        add(target, block, keep_heading=keep)
        rows.append(
            MappingRow(block.line, shown, block.level, target, matched, how, block.words, note)
        )

    sections = {key: "\n\n".join(parts) for key, parts in pieces.items()}
    return ForeignPlan(title=title, rows=rows, sections=sections, lines=lines)
