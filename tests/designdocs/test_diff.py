"""Section-by-section diff of two contents: word-level inside changed lines, line-level
elsewhere, rows added/removed/changed with the changed fields, metadata changes."""

from __future__ import annotations

import copy
import itertools

import pytest

from designdocs.diff import FieldChange, RowChange, TextOp, diff_contents, diff_rows, diff_text
from designdocs.sections import SECTIONS
from tests.designdocs.factories import criterion_row, full_content, risk_row


def old_side(ops: list[TextOp]) -> str:
    return "".join(op.text for op in ops if op.op in ("equal", "delete"))


def new_side(ops: list[TextOp]) -> str:
    return "".join(op.text for op in ops if op.op in ("equal", "insert"))


def changed_ops(ops: list[TextOp]) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in ops if op.op != "equal"]


def content() -> dict:
    return full_content(title="Demand forecasting", team="supply", product_owner="alice")


def by_key(sections) -> dict:
    return {section.key: section for section in sections}


# --- narrative text ------------------------------------------------------------------------


@pytest.mark.embedded
def test_one_word_change_shows_as_that_word_only():
    ops = diff_text(
        "The model predicts daily demand per store.", "The model predicts weekly demand per store."
    )
    assert ops == [
        TextOp("equal", "The model predicts "),
        TextOp("delete", "daily"),
        TextOp("insert", "weekly"),
        TextOp("equal", " demand per store."),
    ]


def test_word_change_in_one_line_of_many_leaves_other_lines_equal():
    old = "\n".join(f"Paragraph {i} about the pipeline." for i in range(50))
    new = old.replace("Paragraph 25 about", "Paragraph 25 all about")
    ops = diff_text(old, new)
    assert changed_ops(ops) == [("insert", " all")]
    assert (old_side(ops), new_side(ops)) == (old, new)


def test_added_and_removed_lines_show_as_whole_lines():
    old_lines = [f"Step {i}: do thing {i}." for i in range(40)]
    new_lines = old_lines[:10] + old_lines[20:] + ["Step 40: a new step.", "Step 41: another."]
    old, new = "\n".join(old_lines) + "\n", "\n".join(new_lines) + "\n"
    ops = diff_text(old, new)
    assert changed_ops(ops) == [
        ("delete", "".join(line + "\n" for line in old_lines[10:20])),
        ("insert", "Step 40: a new step.\nStep 41: another.\n"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "New text."),
        ("Old text.", ""),
        ("same\ntext", "same\ntext"),
        ("数据 é ü\n🚀", "数据 é\n🚀 ñ"),
        ("tabs\tand  spaces", "tabs and spaces"),
        ("no newline", "no newline\n"),
        ("\n".join(str(i) for i in range(300)), "\n".join(str(i * 7 % 300) for i in range(300))),
    ],
)
def test_text_ops_rebuild_both_sides_exactly(old, new):
    ops = diff_text(old, new)
    assert (old_side(ops), new_side(ops)) == (old, new)
    assert all(op.text for op in ops)  # no empty ops
    assert all(a.op != b.op for a, b in itertools.pairwise(ops))  # merged runs


def test_identical_text_has_only_equal_ops():
    assert diff_text("Same\ntext.", "Same\ntext.") == [TextOp("equal", "Same\ntext.")]
    assert diff_text("", "") == []


# --- rows ------------------------------------------------------------------------------------------


def test_row_added_at_the_end():
    a, b = criterion_row("Precision"), criterion_row("Recall")
    assert diff_rows([a], [a, b]) == [RowChange("unchanged", a, a), RowChange("added", None, b)]


def test_row_removed_from_the_middle():
    a, b, c = criterion_row("A"), criterion_row("B"), criterion_row("C")
    assert diff_rows([a, b, c], [a, c]) == [
        RowChange("unchanged", a, a),
        RowChange("removed", b, None),
        RowChange("unchanged", c, c),
    ]


@pytest.mark.embedded
def test_changed_row_names_the_changed_fields():
    old = risk_row("Drift", likelihood=2, impact=2)
    new = risk_row("Drift", likelihood=4, impact=2, mitigation="Retrain weekly.")
    assert diff_rows([old], [new]) == [RowChange("changed", old, new, ["likelihood", "mitigation"])]


def test_replacing_one_row_with_two_pairs_the_first_and_adds_the_second():
    old = criterion_row("Precision", target="0.9")
    new1, new2 = criterion_row("Precision", target="0.95"), criterion_row("Recall")
    assert diff_rows([old], [new1, new2]) == [
        RowChange("changed", old, new1, ["target"]),
        RowChange("added", None, new2),
    ]


def test_identical_rows_are_all_unchanged():
    rows = [criterion_row("A"), criterion_row("B")]
    assert [change.change for change in diff_rows(rows, copy.deepcopy(rows))] == [
        "unchanged",
        "unchanged",
    ]


# --- whole documents ---------------------------------------------------------------------------


@pytest.mark.embedded
def test_identical_contents_report_no_change_in_any_section():
    sections = diff_contents(content(), content())
    assert [s.key for s in sections] == ["details", *(s.key for s in SECTIONS)]
    assert not any(s.changed for s in sections)


def test_metadata_changes_are_listed_with_label_old_and_new():
    old, new = content(), content()
    new.update(title="Demand forecasting v2", co_authors=["bob"], risk_tier="high")
    details = diff_contents(old, new)[0]
    assert details.changed
    assert details.fields == [
        FieldChange("title", "Title", "Demand forecasting", "Demand forecasting v2"),
        FieldChange("co_authors", "Co-authors", [], ["bob"]),
        FieldChange("risk_tier", "Risk tier", "unclassified", "high"),
    ]


def test_only_the_edited_sections_report_a_change():
    old, new = content(), content()
    new["data"] = new["data"].replace("Two years", "Three years")
    new["risks"] = [*new["risks"], risk_row("New risk")]
    sections = by_key(diff_contents(old, new))
    assert {key for key, s in sections.items() if s.changed} == {"data", "risks"}
    assert changed_ops(sections["data"].text) == [("delete", "Two"), ("insert", "Three")]
    assert [r.change for r in sections["risks"].rows] == ["unchanged", "unchanged", "added"]


def test_section_diff_as_dict_carries_only_its_kind_of_detail():
    old, new = content(), content()
    new.update(title="T2", data="Other", risks=[])
    sections = by_key(diff_contents(old, new))
    assert set(sections["details"].as_dict()) == {"key", "title", "kind", "changed", "fields"}
    assert set(sections["data"].as_dict()) == {"key", "title", "kind", "changed", "text"}
    risks = sections["risks"].as_dict()
    assert set(risks) == {"key", "title", "kind", "changed", "rows"}
    assert [row["change"] for row in risks["rows"]] == ["removed", "removed"]


def test_diff_against_empty_old_content_treats_everything_as_added():
    new = content()
    new["other_notes"] = "Kept from an imported wiki page."
    sections = by_key(diff_contents({}, new))
    assert all(s.changed for key, s in sections.items())
    assert [r.change for r in sections["risks"].rows] == ["added", "added"]
    assert sections["data"].text == [TextOp("insert", new["data"])]


@pytest.mark.embedded
def test_one_word_added_to_a_long_paragraph_is_shown_as_that_word():
    words = [f"w{n}x" for n in range(600)]
    changed = [*words[:300], "INSERTED", *words[300:]]
    ops = diff_text(" ".join(words), " ".join(changed))
    changes = [(op.op, op.text.strip()) for op in ops if op.op != "equal"]
    assert changes == [("insert", "INSERTED")]


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a b " * 50_000, "b a " * 50_000 + "c"),  # one huge, repetitive paragraph
        ("a\n" * 2_000, "b\na\n" * 1_000),  # many identical lines (quadratic for difflib)
        ("a\n" * 10_000, "b\n" * 10_000),  # more line pairs than the line cap
    ],
    ids=["huge-paragraph", "repetitive-lines", "many-lines"],
)
def test_blocks_too_large_to_compare_show_as_removed_and_added_whole(old, new):
    ops = diff_text(old, new)
    assert "".join(op.text for op in ops if op.op != "insert") == old
    assert "".join(op.text for op in ops if op.op != "delete") == new
