"""Section-by-section comparison of two revisions' content.

Narrative sections are compared line by line, then word by word inside changed lines, so
that a long section stays fast to diff and a one-word edit shows as one word. Structured
sections are compared row by row: rows added, removed, or changed (with the fields that
changed).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from designdocs.content import Content
from designdocs.sections import LINK_FIELDS, METADATA_KEYS, SECTIONS

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
METADATA_LABELS = {
    "title": "Title",
    "owner_team": "Owner team",
    "product_owner": "Product owner",
    "co_authors": "Co-authors",
    "stage": "ML lifecycle stage",
    "risk_tier": "Risk tier",
}


@dataclass
class TextOp:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class RowChange:
    change: str  # "added", "removed", "changed" or "unchanged"
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: list[str] = field(default_factory=list)


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class SectionDiff:
    key: str
    title: str
    kind: str  # "metadata", "narrative" or "rows"
    changed: bool
    text: list[TextOp] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.kind != "narrative":
            data.pop("text")
        if self.kind != "rows":
            data.pop("rows")
        if self.kind != "metadata":
            data.pop("fields")
        return data


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _append(ops: list[TextOp], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1].text += text
    else:
        ops.append(TextOp(op, text))


#: difflib's matcher degrades badly on repetitive input: it runs with `autojunk` (popular
#: lines and words do not anchor matches), and above these products of sizes a block is
#: shown as removed and added whole instead of compared word by word (or line by line), so
#: that comparing two revisions of a 200 KB section stays well under a second.
MAX_WORD_PAIRS = 25_000_000
MAX_LINE_PAIRS = 4_000_000


def diff_text(old: str, new: str) -> list[TextOp]:
    ops: list[TextOp] = []
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(old_lines) * len(new_lines) > MAX_LINE_PAIRS:
        _append(ops, "delete", old)
        _append(ops, "insert", new)
        return ops
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines).get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "".join(old_lines[i1:i2]))
        elif tag == "delete":
            _append(ops, "delete", "".join(old_lines[i1:i2]))
        elif tag == "insert":
            _append(ops, "insert", "".join(new_lines[j1:j2]))
        else:
            a, b = _words("".join(old_lines[i1:i2])), _words("".join(new_lines[j1:j2]))
            if len(a) * len(b) > MAX_WORD_PAIRS:
                _append(ops, "delete", "".join(a))
                _append(ops, "insert", "".join(b))
                continue
            for wtag, a1, a2, b1, b2 in SequenceMatcher(None, a, b).get_opcodes():
                if wtag == "equal":
                    _append(ops, "equal", "".join(a[a1:a2]))
                else:
                    _append(ops, "delete", "".join(a[a1:a2]))
                    _append(ops, "insert", "".join(b[b1:b2]))
    return ops


def _row_key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def diff_rows(
    old: list[dict], new: list[dict], field_order: tuple[str, ...] = ()
) -> list[RowChange]:
    """Row changes; changed field names follow `field_order` (the section's), since stored
    JSON does not keep key order on PostgreSQL."""
    changes: list[RowChange] = []
    matcher = SequenceMatcher(
        None, [_row_key(r) for r in old], [_row_key(r) for r in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(
                RowChange("unchanged", old[i], new[j1 + n]) for n, i in enumerate(range(i1, i2))
            )
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if tag == "replace" else 0
        for a, b in zip(olds[:paired], news[:paired], strict=True):
            names = list(field_order) + sorted((set(a) | set(b)) - set(field_order))
            changed_fields = [name for name in names if a.get(name) != b.get(name)]
            changes.append(RowChange("changed", a, b, changed_fields))
        changes.extend(RowChange("removed", a, None) for a in olds[paired:])
        changes.extend(RowChange("added", None, b) for b in news[paired:])
    return changes


def diff_contents(old: Content, new: Content) -> list[SectionDiff]:
    """Every section of the document, in reading order, each saying whether it changed."""
    details = SectionDiff("details", "Details", "metadata", changed=False)
    for key in METADATA_KEYS:
        if old.get(key) != new.get(key):
            details.fields.append(
                FieldChange(key, METADATA_LABELS[key], old.get(key), new.get(key))
            )
    for link in LINK_FIELDS:
        if (old.get(link.name) or []) != (new.get(link.name) or []):
            details.fields.append(
                FieldChange(link.name, link.label, old.get(link.name), new.get(link.name))
            )
    details.changed = bool(details.fields)
    result = [details]
    for section in SECTIONS:
        before, after = old.get(section.key), new.get(section.key)
        if section.is_rows:
            order = tuple(f.name for f in section.row_fields)
            rows = diff_rows(before or [], after or [], order)
            changed = any(r.change != "unchanged" for r in rows)
            result.append(SectionDiff(section.key, section.title, "rows", changed, rows=rows))
        else:
            ops = diff_text(before or "", after or "")
            changed = any(op.op != "equal" for op in ops)
            result.append(SectionDiff(section.key, section.title, "narrative", changed, text=ops))
    return result
