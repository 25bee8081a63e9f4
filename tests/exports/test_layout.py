"""The print layout, read back from the PDF: cover, contents with page numbers, every
section, the approvals appendix, the draft mark, metadata, parts from the registry, scripts
and fonts, long tables."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from designdocs.sections import SECTIONS
from exports.layout import DRAFT_LABEL, designdoc_print_job
from exports.renderer import render_pdf
from registry.core import printing
from tests.designdocs.factories import DesignDocFactory, criterion_row, full_content
from tests.exports.conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def render(revision) -> bytes:
    job = designdoc_print_job(revision)
    return render_pdf(job.html, job.css).pdf


@pytest.mark.embedded
def test_every_section_contents_and_cover_are_printed(doc):
    revision = doc.revisions.get()
    pdf = render(revision)
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    cover = pages[0]
    for fact in ("Demand forecasting", "Fraud Detection", "Alice", "Draft", revision.content_hash):
        assert fact in cover
    assert "Revision 1" in cover
    contents = pages[1]
    assert "Contents" in contents
    for section in SECTIONS:
        assert section.title in text
        # "Problem statement ........ 3": the title, a leader and its page number.
        assert re.search(re.escape(section.title) + r"\s*\.{5,}\s*\d+", contents), section.title
    assert re.search(r"Approvals\s*\.{5,}\s*\d+", contents)
    # The rows: success criteria, RACI matrix with its legend, heat map, monitoring contract.
    flat = " ".join(text.split())  # (a table cell may wrap its text over lines)
    assert "MAPE at store-day level" in flat
    assert "Approve design" in text and "Accountable: answers for it" in text
    assert "Very high" in flat and "Promotions calendar arrives late" in flat
    assert "Forecast bias" in flat and "Serve last week's forecast" in flat


def test_contents_page_numbers_point_at_the_sections(doc):
    pdf = render(doc.revisions.get())
    pages = pdf_pages(pdf)
    entries = dict(re.findall(r"^(.+?)\s*\.{5,}\s*(\d+)\s*$", pages[1], re.MULTILINE))
    for title, number in entries.items():
        assert title.strip() in pages[int(number) - 1], title


def test_header_footer_and_draft_mark_on_every_page(doc):
    pdf = render(doc.revisions.get())
    pages = pdf_pages(pdf)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert DRAFT_LABEL in page
        assert f"Page {number} of {len(pages)}" in page
    for page in pages[1:]:
        assert "Demand forecasting" in page
        assert "Revision 1" in page


def test_pdf_metadata_and_page_count(doc):
    pdf = render(doc.revisions.get())
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Demand forecasting"
    assert reader.metadata.author == "Alice"
    assert reader.metadata.subject == "Design document, revision 1 (Draft)"
    assert len(reader.pages) == len(pdf_pages(pdf))


def test_approved_revision_has_approvals_and_no_draft_mark(doc, approvals, bob, carol):
    revision = doc.revisions.get()
    approvals.approve(revision, bob, carol)
    pages = pdf_pages(render(revision))
    text = "\n".join(pages)
    assert DRAFT_LABEL not in text
    assert "Status Approved" in pages[0]
    assert "Signed with a development key" not in text  # the job was built without a note
    appendix = next(p for p in pages if "Approvals" in p and "Reviewer" in p)
    for expected in (
        "Bob (bob)",
        "Carol (carol)",
        "approved",
        "2026-11-30 09:30",
        revision.content_hash[:20],
    ):
        assert expected in appendix.replace("\n", " ")


def test_superseded_revision_says_so_and_keeps_the_draft_mark(doc, approvals, bob, alice):
    from designdocs.services import designdoc_update

    first = doc.revisions.get()
    approvals.approve(first, bob)
    designdoc_update(
        doc=doc, user=alice, expected_version=doc.version, changes={"data": "New data."}
    )
    pages = pdf_pages(render(first))
    assert "Superseded by revision 2" in pages[0]
    assert all(DRAFT_LABEL in page for page in pages)
    assert "Bob (bob)" in "\n".join(pages)


def test_registered_parts_are_printed_in_order_with_contents_entries(doc):
    printing.register_part(
        printing.PdfPart("maturity", "Maturity summary", lambda r: "<p>Level 3 of 5</p>", order=20)
    )
    printing.register_part(printing.PdfPart("empty", "Never shown", lambda r: None, order=10))
    try:
        pages = pdf_pages(render(doc.revisions.get()))
    finally:
        printing.unregister_part("maturity")
        printing.unregister_part("empty")
    text = "\n".join(pages)
    assert "Maturity summary" in pages[1] and "Never shown" not in text
    assert "Level 3 of 5" in text


def test_author_text_is_escaped_and_markdown_sanitised(alice, team):
    content = full_content(title="Escapes", team=team.slug, product_owner=alice.username)
    content["problem_statement"] = (
        "**bold** <script>alert(1)</script> <img src=file:///etc/passwd> [x](javascript:alert(1))"
    )
    content["success_criteria"] = [criterion_row("<b>metric</b>")]
    doc = DesignDocFactory(
        title="Escapes", owner_team=team, product_owner=alice,
        content={k: v for k, v in content.items() if k not in ("title", "owner_team")},
    )  # fmt: skip
    job = designdoc_print_job(doc.revisions.get())
    assert "<script>" not in job.html and "<b>metric</b>" not in job.html
    assert "&lt;b&gt;metric&lt;/b&gt;" in job.html
    assert "<strong>bold</strong>" in job.html
    assert "javascript:" not in job.html
    assert "<img" not in job.html


MULTILINGUAL = {
    "cyrillic": "Прогноз спроса для магазинов",
    "greek": "Πρόβλεψη ζήτησης καταστημάτων",
    "accented": "Prévision de la demande à Zürich, São Paulo, Kraków",
    "cjk": "需求预测模型的监控合同",
    "japanese": "需要予測のモニタリング",
}


def test_scripts_render_with_real_glyphs_and_an_embedded_cjk_font(alice, team, tmp_path):
    content = full_content(title="Scripts", team=team.slug, product_owner=alice.username)
    content["problem_statement"] = "\n\n".join(MULTILINGUAL.values())
    doc = DesignDocFactory(
        title="Scripts", owner_team=team, product_owner=alice,
        content={k: v for k, v in content.items() if k not in ("title", "owner_team")},
    )  # fmt: skip
    pdf = render(doc.revisions.get())
    text = pdf_text(pdf)
    for sample in MULTILINGUAL.values():
        assert sample in text.replace("\n", " "), sample
    path = tmp_path / "scripts.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdffonts"), "poppler-utils (pdffonts) is in SYSTEM_PACKAGES"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "CJK" in line]
    assert cjk, fonts.stdout
    # pdffonts columns: name type encoding emb sub uni object ID: embedded is "yes".
    assert all(" yes " in line for line in cjk), cjk
    # No glyph fell back to .notdef boxes: pdftotext reads the same characters.
    plain = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert MULTILINGUAL["cjk"] in plain.replace("\n", "")


def test_long_tables_repeat_their_header_and_long_words_wrap(alice, team):
    content = full_content(title="Long", team=team.slug, product_owner=alice.username)
    long_url = "https://example.org/" + "very-long-path-segment-" * 12
    content["success_criteria"] = [
        criterion_row(f"Metric {i}", measurement=long_url if i == 0 else "weekly")
        for i in range(150)
    ]
    doc = DesignDocFactory(
        title="Long", owner_team=team, product_owner=alice,
        content={k: v for k, v in content.items() if k not in ("title", "owner_team")},
    )  # fmt: skip
    pages = pdf_pages(render(doc.revisions.get()))
    with_rows = [p for p in pages if "Metric 1" in p or "Metric 149" in p or "Metric 80" in p]
    assert len(with_rows) >= 2
    header = "Metric Baseline Target How measured"
    assert all(header in page for page in with_rows)
    # The long URL is printed whole, broken over lines inside its cell.
    joined = "".join("\n".join(pages).split())
    assert "".join(long_url.split()) in joined
