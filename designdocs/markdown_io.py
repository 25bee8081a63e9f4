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
from designdocs.sections import (
    LINK_KEYS,
    METADATA_KEYS,
    NARRATIVE_KEYS,
    ROW_KEYS,
    SECTIONS_BY_KEY,
)
from registry.core.errors import DomainError
from registry.core.text import (
    DEPTH_MESSAGE,
    MAX_DEPTH,
    MAX_ITEMS,
    items_message,
    shown,
    text_problem,
)

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


class _Frame:
    """An open mapping or sequence while the front matter's events stream by."""

    __slots__ = ("expect_key", "index", "is_mapping", "key", "path")

    def __init__(self, is_mapping: bool, path: str) -> None:
        self.is_mapping, self.path = is_mapping, path
        self.index, self.expect_key, self.key = 0, True, ""

    def child(self, event) -> tuple[str, bool]:
        """The dotted name of the node `event` starts, and whether it is a mapping key."""
        if not self.is_mapping:
            self.index += 1
            return _join(self.path, self.index - 1), False
        if self.expect_key:
            self.expect_key = False
            self.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            return _join(self.path, self.key), True
        self.expect_key = True
        return _join(self.path, self.key), False


def _join(path: str, name: object) -> str:
    return f"{path}.{shown(name)}" if path else shown(name)


def _check_events(text: str, first_line: int) -> None:
    """One pass over the parser's events, before any node is built (building recurses per
    level, and walking a huge mapping takes seconds): refuse aliases (`*name`: the format
    never needs them, and each multiplies the work, as in "billion laughs"), nesting deeper
    than MAX_DEPTH, more than MAX_ITEMS values, and text that is not storable (YAML's
    escapes can write `"\0"`). Stops at the first problem, naming its line and field."""
    stack: list[_Frame] = []
    count = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        if not isinstance(
            event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ):
            continue
        line = event.start_mark.line + first_line
        path, is_key = stack[-1].child(event) if stack else ("", False)
        field = path.partition(".")[0] or "file"
        count += 1 if stack and (is_key or not stack[-1].is_mapping) else 0
        if count > MAX_ITEMS:
            raise MarkdownImportError(f"The front matter: {items_message()}", line=line)
        if isinstance(event, yaml.ScalarEvent):
            problem = text_problem(event.value)
            if problem:
                what = "the name of this field" if is_key else "this value"
                raise MarkdownImportError(
                    f"{path}: {what}: {problem}", line=line, field=path or "file"
                )
            continue
        if len(stack) + 1 > MAX_DEPTH:
            raise MarkdownImportError(f"{field}: {DEPTH_MESSAGE}", line=line, field=field)
        stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), path))


def _load_front_matter(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once, after `_check_events`: the node tree (for line numbers) and the data
    built from it."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


class MarkdownImportError(DomainError):
    """A file that cannot be read as a design document; `line` is 1-based."""

    code = "invalid_file"

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        errors: dict | None = None,
        field: str = "file",
    ):
        text = f"Line {line}: {message}" if line and not message.startswith("Line ") else message
        super().__init__(text, errors=errors or {field: [text]})
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
    # Catalogue links only when there are some: files of documents without any stay as
    # they were.
    front.update({key: content[key] for key in LINK_KEYS if content.get(key)})
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


def parse_markdown(text: str, *, field: str = "file") -> ParsedFile:
    """Read a design-doc Markdown file. Raises MarkdownImportError naming the line, and
    the field of the front matter or, for what concerns the whole file, `field` (the name
    the file was sent under)."""
    try:
        return _parse(text)
    except MarkdownImportError as exc:
        if field != "file" and "file" in exc.errors:
            exc.errors = {field if k == "file" else k: v for k, v in exc.errors.items()}
        raise


def _text_problem_line(text: str) -> tuple[int, str] | None:
    """(1-based line, message) of the first character no text may hold, or None."""
    problem = text_problem(text)
    if problem is None:
        return None
    if "\x00" in text:
        position = text.index("\x00")
    else:
        try:
            text.encode("utf-8")
            position = 0
        except UnicodeEncodeError as exc:
            position = exc.start
    return text.count("\n", 0, position) + 1, problem


def _parse(text: str) -> ParsedFile:
    located = _text_problem_line(text)
    if located:
        raise MarkdownImportError(located[1], line=located[0])
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
        _check_events(front_text, first_line=2)
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
