"""A design document as one Markdown file, and back.

The file starts with YAML front matter holding the metadata and the structured sections
(rows), followed by the narrative sections, each introduced by a marker comment and its
heading:

    ---
    format: ml-design-registry/design-doc@1
    title: Demand forecasting
    owner_team: supply-chain-ml
    ...
    risks:
    - title: Promotions calendar arrives late
      likelihood: 3
      ...
    ---

    <!-- section: problem_statement -->
    ## Problem statement

    Stores order ...

Export then import gives the same canonical content. A malformed file is refused with the
line at fault; nothing is created.

A narrative line that looks like a section marker is written with one more leading
backslash (`\\<!-- section: data -->`), and read back with one less, so that a section can
quote the format itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from designdocs.content import Content
from designdocs.sections import METADATA_KEYS, NARRATIVE_KEYS, ROW_KEYS, SECTIONS_BY_KEY
from registry.core.errors import DomainError

FORMAT = "ml-design-registry/design-doc@1"
MAX_FILE_BYTES = 2 * 1024 * 1024
_MARKER = re.compile(r"^<!-- section: ([a-z_]+) -->\s*$")
_HEADING = re.compile(r"^#{1,6} ")
_MARKER_LIKE = re.compile(r"^(\\*)<!-- section: [a-z_]+ -->\s*$")
#: Sections added to the format later, written only when they hold text: the export of a
#: document without them stays byte for byte what it was (an absent section reads as empty).
OMITTED_WHEN_EMPTY = frozenset({"other_notes"})


def is_registry_format(text: str) -> bool:
    """This registry's files open with front matter; any other Markdown is a design doc
    from another template (designdocs.foreign_import)."""
    return text.split("\n", 1)[0].rstrip() == "---"


def _quote_markers(text: str) -> str:
    return "\n".join("\\" + line if _MARKER_LIKE.match(line) else line for line in text.split("\n"))


# libyaml's parser when PyYAML has it (its wheels do): 5-25x faster than pure Python, which
# matters for a 2 MB upload.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_front_matter(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for line numbers) and the data built from it. Aliases
    (`*name`) are refused: the format never needs them, and each one multiplies the work of
    walking the document (a "billion laughs" file would hang the import)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


class MarkdownImportError(DomainError):
    """A file that cannot be read as a design document; `line` is 1-based."""

    code = "invalid_file"

    def __init__(self, message: str, *, line: int | None = None, errors: dict | None = None):
        text = f"Line {line}: {message}" if line and not message.startswith("Line ") else message
        super().__init__(text, errors=errors or {"file": [text]})
        self.line = line


@dataclass
class ParsedFile:
    content: dict[str, Any]
    #: 1-based line of each content key (and dotted row key) in the file, for error messages.
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return None


def export_markdown(content: Content) -> str:
    front: dict[str, Any] = {"format": FORMAT}
    front.update({key: content[key] for key in METADATA_KEYS})
    front.update({key: content[key] for key in ROW_KEYS})
    parts = [
        "---\n",
        yaml.safe_dump(
            front, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        ),
        "---\n",
    ]
    for key in NARRATIVE_KEYS:
        if key in OMITTED_WHEN_EMPTY and not content.get(key):
            continue
        parts.append(f"\n<!-- section: {key} -->\n## {SECTIONS_BY_KEY[key].title}\n\n")
        if content[key]:
            parts.append(_quote_markers(content[key]) + "\n")
    return "".join(parts)


def _node_lines(node: yaml.Node, prefix: str, offset: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines[name] = key_node.start_mark.line + 1 + offset
            _node_lines(value_node, name, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}.{index}"
            lines[name] = item.start_mark.line + 1 + offset
            _node_lines(item, name, offset, lines)


def parse_markdown(text: str) -> ParsedFile:
    """Read a design-doc Markdown file. Raises MarkdownImportError naming the line."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise MarkdownImportError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Only an unindented "---" opens or closes the front matter: YAML writes a "---" inside
    # a multi-line value indented, and that line belongs to the value.
    if not lines or lines[0].rstrip() != "---":
        raise MarkdownImportError(
            "The file must start with YAML front matter: a line “---”.", line=1
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    except StopIteration:
        # The last line, not the empty "line" after a final newline.
        last = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
        raise MarkdownImportError(
            "The front matter is not closed: add a line “---” after it.", line=last
        ) from None
    front_text = "\n".join(lines[1:end])
    try:
        node, front = _load_front_matter(front_text)
    except RecursionError:
        raise MarkdownImportError("The front matter is nested too deeply.", line=2) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An error at the end of input is reported on the last line of the front matter.
        line = min(mark.line + 2, max(end, 2)) if mark else None
        raise MarkdownImportError(
            f"The front matter is not valid YAML: {exc.problem}.", line=line
        ) from None
    except yaml.YAMLError as exc:
        raise MarkdownImportError(f"The front matter is not valid YAML: {exc}.", line=2) from None
    if not isinstance(front, dict):
        raise MarkdownImportError("The front matter must be a mapping of field: value.", line=2)
    parsed = ParsedFile(content={})
    if node is not None:
        _node_lines(node, "", 1, parsed.lines)
    file_format = front.pop("format", FORMAT)
    if file_format != FORMAT:
        raise MarkdownImportError(
            f"Unknown format “{file_format}”; this registry reads “{FORMAT}”.",
            line=parsed.lines.get("format"),
        )
    for key, value in front.items():
        if key in NARRATIVE_KEYS:
            raise MarkdownImportError(
                f"“{key}” is a narrative section: write it in the body under its marker, "
                "not in the front matter.",
                line=parsed.lines.get(str(key)),
            )
        parsed.content[str(key)] = value

    current: str | None = None
    body: dict[str, list[str]] = {}
    for index in range(end + 1, len(lines)):
        line_no, line = index + 1, lines[index]
        marker = _MARKER.match(line)
        if marker:
            key = marker.group(1)
            if key not in NARRATIVE_KEYS:
                raise MarkdownImportError(f"Unknown section “{key}”.", line=line_no)
            if key in body:
                raise MarkdownImportError(f"Section “{key}” appears twice.", line=line_no)
            current, body[key] = key, []
            parsed.lines[key] = line_no
            continue
        if current is None:
            if line.strip():
                raise MarkdownImportError(
                    "Text before the first section marker (“<!-- section: problem_statement -->”).",
                    line=line_no,
                )
            continue
        section_lines = body[current]
        if not any(s.strip() for s in section_lines) and not line.strip():
            continue  # blank lines between the marker and the heading
        if not section_lines and _HEADING.match(line):
            section_lines.append("")  # the section's own heading, written by export
            continue
        quoted = _MARKER_LIKE.match(line)
        section_lines.append(line[1:] if quoted and quoted.group(1) else line)
    for key, section_lines in body.items():
        parsed.content[key] = "\n".join(section_lines).strip()
    for key in OMITTED_WHEN_EMPTY:
        parsed.content.setdefault(key, "")
    return parsed
