"""Markdown export and import: a lossless round trip, and malformed files refused with the
line at fault and nothing created."""

from __future__ import annotations

import pytest

from designdocs.content import canonical_json, content_of
from designdocs.markdown_io import FORMAT, MarkdownImportError, export_markdown, parse_markdown
from designdocs.models import DesignDoc, Revision
from designdocs.services import designdoc_create, designdoc_import_markdown
from registry.core.errors import PermissionDeniedError
from registry.core.models import AuditEvent
from tests.designdocs.factories import (
    DesignDocFactory,
    criterion_row,
    full_content,
    monitoring_row,
    raci_row,
    risk_row,
)
from tests.factories import TeamFactory, UserFactory

# Strings that YAML 1.1 would read as booleans, numbers, null, dates or structure.
YAML_LOOKALIKES = [
    "yes",
    "NO",
    "on",
    "1.0",
    "null",
    "~",
    "0o17",
    "1e3",
    "2024-01-31",
    "- item",
    "key: value",
    "#hash",
    "@at",
    "'quoted'",
    '"double"',
    "!tag",
]


def rich_content(team_slug: str) -> dict:
    """Every section filled with text that is hard to carry through YAML and Markdown."""
    content = full_content(
        title="Prévision de la demande: v1.0 — 需求预测 🚀",
        team=team_slug,
        product_owner="alice",
        co_authors=["yes", "1.0", "null"],
    )
    content["problem_statement"] = (
        "# Why now\n\nStores over-order fresh produce.\n\n## Sub-heading\n\n"
        "#hashtag-looking line\n### Third level\n\nTrailing double space for a break  \nnext line"
    )
    content["business_value"] = (
        "| KPI | Now | Target |\n|:--|--:|:-:|\n| Waste | 9% | 6% |\n| Fill rate | 94% | 97% |"
    )
    content["architecture"] = (
        '## Components\n\n```python\ndef forecast(store):\n    return "---"  # not front matter\n'
        "```\n\n```\n---\n<!-- section: data -->\n## not a heading\n```\n\n\tTabbed line"
    )
    content["data"] = (
        "Emoji 🧪, accents éàü, CJK 数据, RTL עברית, maths ∑ x² ≤ ∞.\n\n---\n\nAfter a rule."
    )
    content["deployment_constraints"] = (
        "> quoted\n\n- list\n- items\n\n1. one\n2. two\n\n\n\nAfter blanks"
    )
    content["alternatives"] = "# Option A\n\nMoving averages.\n\n# Option B\n\nProphet."
    content["open_questions"] = (
        "yes\nnull\n1.0\n---\n...\n<!-- section: data -->\n\\<!-- section: alternatives -->\n"
        "\\\\<!-- section: nope -->  \n<!-- section: Data -->"
    )
    content["success_criteria"] = [
        criterion_row(word, baseline=word, target=word, measurement=word)
        for word in YAML_LOOKALIKES
    ]
    content["raci"] = [
        raci_row("Approve design", "A", person="alice"),
        raci_row("Approve design", "R", team="2024"),
        raci_row("Approve design", "C", person="yes"),
        raci_row("yes", "A", person="null"),
    ]
    content["risks"] = [
        risk_row(
            "NO",
            category="privacy",
            likelihood=5,
            impact=5,
            mitigation=(
                "Step 1: pseudonymise.\n\n---\n  indented: line # not a comment\n"
                "'single' \"double\" \\backslash\nStep 2: ✓"
            ),
            owner="null",
            status="in_progress",
        ),
        risk_row("1.0", likelihood=1, impact=1),
    ]
    content["monitoring"] = [
        monitoring_row(
            word, threshold=word, cadence=word, alert_owner=word, fallback=word, stakeholders=word
        )
        for word in YAML_LOOKALIKES
    ]
    return content


@pytest.fixture
def rich_doc(alice, team):
    for name in ("yes", "1.0", "null"):
        UserFactory(username=name)
    TeamFactory(name="Team 2024", slug="2024")
    content = rich_content(team.slug)
    doc = designdoc_create(user=alice, title=content["title"], owner_team=team, content=content)
    assert content_of(doc) == content  # the fixture itself is canonical
    return doc


def nothing_created(before_docs: int = 0) -> bool:
    return (
        DesignDoc.objects.count() == before_docs
        and Revision.objects.count() == before_docs
        and AuditEvent.objects.count() == before_docs
    )


# --- round trip ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_then_import_gives_identical_canonical_content(rich_doc, alice):
    text = export_markdown(content_of(rich_doc))
    imported = designdoc_import_markdown(user=alice, data=text)

    assert imported.pk != rich_doc.pk
    assert canonical_json(content_of(imported)) == canonical_json(content_of(rich_doc))
    assert imported.content_hash == rich_doc.content_hash
    assert AuditEvent.objects.filter(action="designdoc.import").get().actor == alice


@pytest.mark.django_db
def test_export_of_imported_doc_is_byte_identical(rich_doc, alice):
    text = export_markdown(content_of(rich_doc))
    imported = designdoc_import_markdown(user=alice, data=text)
    assert export_markdown(content_of(imported)) == text


@pytest.mark.django_db
def test_import_reads_windows_line_endings(rich_doc, alice):
    text = export_markdown(content_of(rich_doc)).replace("\n", "\r\n")
    imported = designdoc_import_markdown(user=alice, data=text)
    assert content_of(imported) == content_of(rich_doc)


@pytest.mark.embedded
def test_parse_of_export_returns_the_content_without_database():
    content = rich_content("fraud-detection")
    assert parse_markdown(export_markdown(content)).content == content


@pytest.mark.embedded
def test_narrative_lines_that_look_like_section_markers_survive_the_round_trip():
    content = full_content(title="T", team="t", product_owner="p")
    content["data"] = (
        "Our files look like this:\n\n<!-- section: data -->\n\\<!-- section: data -->"
    )
    text = export_markdown(content)
    assert text.count("\n<!-- section: data -->\n") == 1  # only the real marker
    assert parse_markdown(text).content == content


@pytest.mark.embedded
def test_export_starts_with_front_matter_and_marks_every_narrative_section():
    content = full_content(title="T", team="t", product_owner="p")
    text = export_markdown(content)
    lines = text.splitlines()
    assert lines[0] == "---"
    assert lines[1] == f"format: {FORMAT}"
    for key in (
        "problem_statement",
        "business_value",
        "architecture",
        "data",
        "deployment_constraints",
        "alternatives",
        "open_questions",
    ):
        assert f"<!-- section: {key} -->" in lines


@pytest.mark.embedded
def test_empty_narrative_sections_round_trip_as_empty():
    content = full_content(title="T", team="t", product_owner="p")
    content.update(open_questions="", alternatives="")
    assert parse_markdown(export_markdown(content)).content == content


# --- malformed files ------------------------------------------------------------------------------

GOOD_FRONT = [
    "---",
    f"format: {FORMAT}",
    "title: Imported doc",
    "owner_team: fraud-detection",
    "risks:",
    "- title: Drift",
    "  category: data",
    "  likelihood: 2",
    "  impact: 2",
    "---",
]
GOOD_BODY = ["", "<!-- section: problem_statement -->", "## Problem statement", "", "Text.", ""]


def file_of(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_good_front_and_body_import(alice, team):
    doc = designdoc_import_markdown(user=alice, data=file_of(*GOOD_FRONT, *GOOD_BODY))
    assert content_of(doc)["problem_statement"] == "Text."
    assert content_of(doc)["risks"][0]["likelihood"] == 2


def _with(index: int, line: str) -> list[str]:
    lines = [*GOOD_FRONT, *GOOD_BODY]
    lines[index] = line
    return lines


MALFORMED = {
    # Without front matter the file is read as a design doc from another template, which
    # needs an owner team (designdocs.foreign_import; tests/designdocs/test_foreign_import.py).
    "no-front-matter": (
        ["# Demand forecasting", "", "Text."],
        1,
        "The file has no YAML front matter",
    ),
    "empty-file": ([""], 1, "The file is empty."),
    "unclosed-front-matter": (GOOD_FRONT[:-1], 9, "front matter is not closed"),
    "bad-yaml": (_with(2, "title: Imported: doc"), 3, "not valid YAML"),
    "bad-yaml-indentation": (_with(7, "    likelihood: 2"), 8, "not valid YAML"),
    "front-matter-not-a-mapping": (["---", "- a", "- b", "---"], 2, "must be a mapping"),
    "unknown-format": (_with(1, "format: other/format@9"), 2, "Unknown format"),
    "narrative-in-front-matter": (
        [*GOOD_FRONT[:-1], "data: in the wrong place", "---"],
        10,
        "“data” is a narrative section",
    ),
    "text-before-first-marker": (
        [*GOOD_FRONT, "", "Stray text", *GOOD_BODY],
        12,
        "Text before the first section marker",
    ),
    "unknown-section-marker": (
        [*GOOD_FRONT, *GOOD_BODY, "<!-- section: appendix -->", "More."],
        17,
        "Unknown section “appendix”",
    ),
    "duplicated-section": (
        [*GOOD_FRONT, *GOOD_BODY, "<!-- section: problem_statement -->", "Again."],
        17,
        "Section “problem_statement” appears twice",
    ),
    "invalid-likelihood": (
        _with(7, "  likelihood: 7"),
        8,
        "Risks, row 1: likelihood must be between 1 and 5 (not 7).",
    ),
    "likelihood-yaml-boolean": (
        _with(7, "  likelihood: yes"),
        8,
        "Risks, row 1: likelihood must be a whole number from 1 to 5.",
    ),
    "likelihood-yaml-infinity": (
        _with(7, "  likelihood: .inf"),
        8,
        "Risks, row 1: likelihood must be a whole number from 1 to 5.",
    ),
    "invalid-category": (_with(6, "  category: weather"), 7, "category must be one of"),
    "unknown-field": (
        [*GOOD_FRONT[:-1], "colour: red", "---", *GOOD_BODY],
        10,
        "Unknown field “colour”.",
    ),
    "unknown-product-owner": (
        [*GOOD_FRONT[:-1], "product_owner: ghost", "---", *GOOD_BODY],
        10,
        "there is no active user “ghost”",
    ),
    "unknown-team": (_with(3, "owner_team: atlantis"), 4, "There is no team “atlantis”."),
    "yaml-alias": (
        [*GOOD_FRONT[:-1], "co_authors: &people [a, b]", "stage: *people", "---"],
        11,
        "aliases (*name) are not allowed",
    ),
    "yaml-nested-too-deeply": (
        [*GOOD_FRONT[:-1], "open: " + "[" * 2000 + "]" * 2000, "---"],
        10,
        "nesting depth",
    ),
    "yaml-500-deep-block-style": (
        [*GOOD_FRONT[:-1], "open:", *(" " * i + "- " for i in range(1, 501)), "---"],
        10 + 32,
        "open: Nested more than 32 levels deep.",
    ),
    "yaml-500-deep-flow-style": (
        [*GOOD_FRONT[:-1], "co_authors: " + "[" * 500 + "]" * 500, "---"],
        10,
        "co_authors: Nested more than 32 levels deep.",
    ),
    "yaml-200000-keys": (
        [*GOOD_FRONT[:-1], *(f"k{i}: 0" for i in range(200_000)), "---"],
        10 + 20_000 - 9,
        "The front matter: Too many values: at most 20,000",
    ),
    "yaml-nul-escape": (
        [*GOOD_FRONT[:-1], 'alternatives_x: "a\\0b"', "---"],
        10,
        "alternatives_x: this value: Text may not contain NUL",
    ),
    "stage-is-not-content-any-more": (
        [*GOOD_FRONT[:-1], "stage: deployment", "---", *GOOD_BODY],
        10,
        "The ML lifecycle stage is not edited with the content: it moves through lifecycle "
        "transitions",
    ),
    "yaml-risk-tier-null-is-not-a-default": (
        [*GOOD_FRONT[:-1], "risk_tier:", "---", *GOOD_BODY],
        10,
        "(not null)",
    ),
    "likelihood-quoted-text": (
        _with(7, '  likelihood: "3"'),
        8,
        "likelihood must be a whole number from 1 to 5 (a number, not the text “3”).",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("lines", "line", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_is_refused_naming_the_line_and_creates_nothing(
    alice, team, lines, line, message
):
    with pytest.raises(MarkdownImportError) as caught:
        designdoc_import_markdown(user=alice, data=file_of(*lines))
    error = caught.value
    assert error.status_code == 400
    assert error.message.startswith(f"Line {line}: "), error.message
    assert message in error.message
    assert any(m.startswith(f"Line {line}: ") for ms in error.errors.values() for m in ms)
    assert nothing_created()


@pytest.mark.django_db
def test_file_with_several_errors_names_each_line(alice, team):
    lines = _with(7, "  likelihood: 0")
    lines[8] = "  impact: 9"
    with pytest.raises(MarkdownImportError) as caught:
        designdoc_import_markdown(user=alice, data=file_of(*lines))
    assert caught.value.errors == {
        "risks.0.likelihood": ["Line 8: Risks, row 1: likelihood must be between 1 and 5 (not 0)."],
        "risks.0.impact": ["Line 9: Risks, row 1: impact must be between 1 and 5 (not 9)."],
    }


@pytest.mark.django_db
def test_file_larger_than_the_limit_is_refused(alice, team):
    text = file_of(*GOOD_FRONT, *GOOD_BODY) + "x" * (2 * 1024 * 1024)
    with pytest.raises(MarkdownImportError, match="larger than 2 MB"):
        designdoc_import_markdown(user=alice, data=text)
    assert nothing_created()


@pytest.mark.django_db
def test_import_for_a_team_the_user_cannot_create_for_is_forbidden(dave, team):
    with pytest.raises(PermissionDeniedError):
        designdoc_import_markdown(user=dave, data=file_of(*GOOD_FRONT, *GOOD_BODY))
    assert nothing_created()


@pytest.mark.django_db
def test_failed_import_leaves_existing_documents_alone(designdoc_full, alice):
    with pytest.raises(MarkdownImportError):
        designdoc_import_markdown(user=alice, data=file_of(*_with(7, "  likelihood: 7")))
    assert nothing_created(before_docs=1)


@pytest.mark.django_db
def test_row_text_holding_yaml_document_markers_round_trips(alice, team):
    mitigation = "Step one.\n---\nStep two.\n...\n--- not a marker"
    doc = DesignDocFactory(
        product_owner=alice,
        owner_team=team,
        content={
            "risks": [
                risk_row(
                    "Marker lines", likelihood=4, impact=4, owner="alice", mitigation=mitigation
                )
            ]
        },
    )
    text = export_markdown(content_of(doc))
    imported = designdoc_import_markdown(user=alice, data=text)
    assert canonical_json(content_of(imported)) == canonical_json(content_of(doc))


@pytest.mark.django_db
def test_a_byte_order_mark_is_accepted_from_every_entry_point(rich_doc, alice):
    data = "\ufeff".encode() + export_markdown(content_of(rich_doc)).encode()
    imported = designdoc_import_markdown(user=alice, data=data)
    assert canonical_json(content_of(imported)) == canonical_json(content_of(rich_doc))
