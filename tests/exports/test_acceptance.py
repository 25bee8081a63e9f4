"""Acceptance of the PDF export, as a new user would try it, with the real approval
provider (the reviews app's) and the real parts and subjects of the other apps: an
approved doc exported through the API, read back (text, signature, verify), exported
again (one render), edited (superseded); an architecture example, a filtered catalogue
and the portfolio report; who may print what; the buttons on the pages."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

import exports.renderer
from catalogue.models import ArchitectureComponent
from designdocs.presenters import document_view
from exports.models import PdfExport
from maturity.models import MaturityModel
from maturity.services import assessment_create, classification_answer
from reviews import services as reviews
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import FullDesignDocFactory
from tests.exports.conftest import pdf_pages
from tests.factories import TeamFactory
from tests.reviews.factories import edit, fresh

pytestmark = pytest.mark.django_db

#: The EU AI Act questionnaire of a credit-scoring system (Annex III 5(b), profiling): high.
CREDIT = {"art5_practices": [], "annex_i_safety_component": False, "annex_iii_point": "5b",
          "profiles_natural_persons": True, "art6_3_condition": "none",
          "art50_transparency": False}  # fmt: skip


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint ran (the renderer wrapped, nothing else changed)."""
    calls = []
    real = exports.renderer.render_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(exports.renderer, "render_pdf", counting)
    return calls


@pytest.fixture
def mts(published_rubrics):
    return MaturityModel.objects.prefetch_related("categories", "items").get(slug="ml-test-score")


def answers(model, per_category: int) -> dict[str, str]:
    result = {}
    for category in model.categories.all():
        codes = [i.code for i in model.items.all() if i.category_id == category.pk]
        result.update({code: "automated" for code in codes[:per_category]})
    return result


@pytest.fixture
def approved(alice, bob, carol, team, mts):
    """A credit-scoring doc classified high through the questionnaire, assessed, submitted
    and approved by two architects through the review services."""
    doc = FullDesignDocFactory(title="Credit scoring", product_owner=alice, owner_team=team)
    classification_answer(doc=doc, actor=alice, answers=CREDIT)
    assessment_create(actor=alice, subject=fresh(doc), model=mts, answers=answers(mts, 3))
    doc = fresh(doc)
    reviews.designdoc_submit(doc=doc, actor=alice, reviewers=["bob", "carol"])
    for architect in (bob, carol):
        reviews.review_decide(
            doc=fresh(doc), actor=architect, decision="approve", revision=doc.revision_number
        )
    doc = fresh(doc)
    assert doc.status == "approved" and doc.risk_tier == "high"
    return doc


def download(client, status) -> bytes:
    return b"".join(client.get(status["download_url"]).streaming_content)


def verify(client, pdf: bytes) -> dict:
    upload = ContentFile(pdf, name="signed.pdf")
    response = client.post("/api/exports/verify/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    return response.json()


def test_an_approved_doc_exports_signs_verifies_caches_and_is_superseded(
    approved, alice, bob, carol, token_client, eager, media, renders,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = token_client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/designdocs/{approved.pk}/exports/", {})
    assert response.status_code == 202, response.content
    status = client.get(response["Location"]).json()
    assert status["status"] == "done" and status["progress"] == 100, status
    assert status["signed"] and status["revision_number"] == approved.revision_number
    pdf = download(client, status)
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    revision = approved.latest_revision

    cover = pages[0]
    for fact in ("Credit scoring", "Fraud Detection", "Alice", "Approved",
                 f"Revision {revision.number}", revision.content_hash, "Bob", "Carol"):  # fmt: skip
        assert fact in cover, fact
    assert "Draft - not approved" not in text
    contents = pages[1]
    view = document_view(revision.content)
    for title in [s.title for s in view.sections] + ["Approvals", "Maturity"]:
        match = re.search(re.escape(title) + r"\s*\.{5,}\s*(\d+)", contents)
        assert match, title
        assert title in pages[int(match.group(1)) - 1], title
    # RACI table, heat map, success criteria, monitoring contract.
    assert "Approve design" in text and "Accountable: answers for it" in text
    assert "Risks by likelihood" in flat and "Very high" in flat
    assert "MAPE at store-day level" in flat and "Forecast bias" in flat
    # The approvals appendix: the architects, the decision, the revision and its hash.
    appendix = next(p for p in pages if "Reviewer" in p and "Decision" in p)
    for name in (
        bob.get_full_name(),
        carol.get_full_name(),
        "approved",
        revision.content_hash[:16],
    ):
        assert name in " ".join(appendix.split()).replace(" ", "") or name in appendix, name
    assert re.search(rf"\b{revision.number}\b", appendix)
    # The maturity part: score, band, model, date; the EU AI Act tier and why.
    maturity = next(p for p in pages if "Current maturity" in p)
    assert "ML Test Score" in maturity and "Band" in maturity
    assert "High risk" in maturity and "Annex III" in " ".join(maturity.split())
    assert len(renders) == 1

    verdict = verify(client, pdf)
    assert verdict["signed_by_registry"] and verdict["unmodified"] and verdict["still_approved"]
    assert verdict["revision_number"] == revision.number
    assert {a["username"] for a in verdict["approvers"]} == {"bob", "carol"}
    # One changed byte (inside the signed range): no longer unmodified.
    at = len(pdf) // 3
    tampered = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    assert not verify(client, tampered)["unmodified"]

    # The same revision again: the stored export at once, no second render.
    again = client.post(f"/api/designdocs/{approved.pk}/exports/", {})
    assert again.status_code == 200 and again.json()["id"] == status["id"]
    assert len(renders) == 1 and PdfExport.objects.count() == 1

    # The doc is edited: the old PDF verifies as superseded by the new revision.
    edited = edit(approved, alice, title="Credit scoring v2")
    later = verify(client, pdf)
    assert later["unmodified"] and not later["still_approved"]
    assert later["superseded_by"] == edited.revision_number
    assert f"superseded by revision {edited.revision_number}" in later["summary"]


@pytest.fixture
def catalogue(team, media):
    pricing = TeamFactory(name="Pricing", slug="pricing")
    store = ComponentFactory(name="Feature store", slug="feature-store", owner_team=team)
    serving = ComponentFactory(name="Model serving <gateway>", slug="serving", owner_team=team)
    ComponentFactory(name="Price engine", slug="price-engine", owner_team=pricing,
                     lifecycle="deprecated")  # fmt: skip
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
           b'<rect width="200" height="60" fill="#4575b4"/>'
           b'<text x="10" y="35" fill="#ffffff">Nightly scoring job</text>'
           b'<image href="file:///etc/passwd" width="10" height="10"/></svg>')  # fmt: skip
    arch = ArchitectureFactory(
        title="Batch scoring", slug="batch-scoring", owner_team=team,
        summary="Nightly scores for every customer.",
        problem="Scores are needed **before** the morning run.",
        body="## Flow\n\n1. Read features\n2. Score <script>alert(1)</script>\n\n| Step | SLA |\n|---|---|\n| Score | 2 h |",
        diagram=ContentFile(svg, name="batch.svg"), diagram_format="svg",
    )  # fmt: skip
    ArchitectureComponent.objects.create(architecture=arch, component=store, role="Features")
    ArchitectureComponent.objects.create(architecture=arch, component=serving, role="Scoring",
                                         position=1)  # fmt: skip
    ArchitectureFactory(title="Dynamic pricing", slug="dynamic-pricing", owner_team=pricing)
    return {"arch": arch, "team": team, "pricing": pricing}


def export_subject(client, subject, key, capture):
    with capture(execute=True):
        response = client.post("/api/exports/", {"subject": subject, "key": key})
    assert response.status_code == 202, response.content
    status = client.get(response["Location"]).json()
    assert status["status"] == "done" and not status["signed"], status
    return pdf_pages(download(client, status))


def test_an_architecture_example_prints_its_diagram_components_and_markdown(
    catalogue, media, dave, token_client, eager, django_capture_on_commit_callbacks
):
    pages = export_subject(token_client(dave), "architecture", "batch-scoring",
                           django_capture_on_commit_callbacks)  # fmt: skip
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert "ARCHITECTURE EXAMPLE" in pages[0] and "Batch scoring" in pages[0]
    assert "Fraud Detection" in pages[0]
    assert re.search(r"Components\s*\.{5,}\s*\d+", pages[1])
    assert "Nightly scores for every customer." in flat
    assert "Feature store" in flat and "Features" in flat and "Model serving <gateway>" in flat
    assert "Flow" in flat and "Read features" in flat and "Score | 2 h" not in flat
    assert "<script>alert(1)</script>" in flat or "alert(1)" in flat  # printed as text
    assert "before the morning run" in flat
    # The diagram, sanitised again and printed inline: its text is in the PDF.
    assert "Diagram of Batch scoring (SVG)" in flat and "Nightly scoring job" in flat
    assert "root:" not in flat


def test_a_filtered_catalogue_and_the_portfolio_print_what_they_show(
    catalogue, approved, media, dave, token_client, eager, django_capture_on_commit_callbacks
):
    client = token_client(dave)
    pages = export_subject(client, "catalogue", "team=fraud-detection",
                           django_capture_on_commit_callbacks)  # fmt: skip
    flat = " ".join("\n".join(pages).split())
    assert "Catalogue (filtered)" in pages[0] and "team = fraud-detection" in pages[0]
    assert "Batch scoring" in flat and "Feature store" in flat
    assert "Dynamic pricing" not in flat and "Price engine" not in flat
    whole = export_subject(client, "catalogue", "", django_capture_on_commit_callbacks)
    whole_text = " ".join("\n".join(whole).split())
    assert "Dynamic pricing" in whole_text and "Price engine" in whole_text

    report = export_subject(client, "portfolio", "", django_capture_on_commit_callbacks)
    flat = " ".join("\n".join(report).split())
    assert "Maturity portfolio" in report[0]
    for title in ("Maturity by team", "Distribution of bands", "Trend over time",
                  "Lifecycle funnel", "Approvals gone stale"):  # fmt: skip
        assert re.search(re.escape(title) + r"\s*\.{5,}\s*\d+", report[1]), title
        assert title in flat
    assert "Fraud Detection" in flat and "3.00" in flat


def test_who_may_print_what_and_bad_filters(
    catalogue, user_without_role, dave, token_client, media
):
    stranger = token_client(user_without_role)
    hidden = stranger.post("/api/exports/", {"subject": "architecture", "key": "batch-scoring"})
    assert hidden.status_code == 404
    missing = token_client(dave).post("/api/exports/", {"subject": "architecture", "key": "nope"})
    assert missing.status_code == 404
    assert stranger.post("/api/exports/", {"subject": "portfolio", "key": ""}).status_code == 404
    client = token_client(dave)
    bad = client.post("/api/exports/", {"subject": "catalogue", "key": "lifecycle=bogus"})
    assert bad.status_code == 400 and "lifecycle" in bad.json()["errors"]
    unknown = client.post("/api/exports/", {"subject": "catalogue", "key": "colour=red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["errors"]
    assert PdfExport.objects.count() == 0


def test_a_subject_key_that_is_not_text_is_refused_on_the_page_and_the_api(
    catalogue, client, dave, token_client, media
):
    client.force_login(dave)
    page = client.post("/exports/subjects/architecture/", {"key": "batch\x00scoring"})
    assert page.status_code == 400 and "subject key" in page.content.decode()
    api = token_client(dave)
    # JSON escapes (a browser's form cannot send a lone surrogate at all).
    for key in ("batch\\u0000scoring", "\\ud800"):
        body = '{"subject": "architecture", "key": "' + key + '"}'
        answer = api.post("/api/exports/", body, content_type="application/json")
        assert answer.status_code == 400, key
    assert PdfExport.objects.count() == 0


def test_the_pages_carry_export_buttons_that_show_progress_and_the_download(
    catalogue, client, dave, user_without_role, media, eager, django_capture_on_commit_callbacks
):
    client.force_login(dave)
    arch_page = client.get("/catalogue/architectures/batch-scoring/").content.decode()
    assert 'action="/exports/subjects/architecture/"' in arch_page
    assert 'name="key" value="batch-scoring"' in arch_page
    browse = client.get("/catalogue/?team=fraud-detection&page=1").content.decode()
    assert 'action="/exports/subjects/catalogue/"' in browse
    assert 'name="key" value="team=fraud-detection"' in browse and "Export filtered PDF" in browse
    portfolio = client.get("/maturity/").content.decode()
    assert 'action="/exports/subjects/portfolio/"' in portfolio
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/subjects/architecture/", {"key": "batch-scoring"},
                               HTTP_HX_REQUEST="true")  # fmt: skip
    body = response.content.decode()
    # The progress shows in place and polls its status, which offers the download once done.
    assert response.status_code == 200 and "<progress" in body
    status_url = re.search(r'hx-get="(/exports/\d+/status/)"', body).group(1)
    done = client.get(status_url).content.decode()
    assert "Download PDF" in done and "/download/" in done
    refused = client.post("/exports/subjects/catalogue/", {"key": "lifecycle=bogus"},
                          HTTP_HX_REQUEST="true")  # fmt: skip
    assert refused.status_code == 200 and "lifecycle" in refused.content.decode()
    client.force_login(user_without_role)
    assert (
        client.post("/exports/subjects/architecture/", {"key": "batch-scoring"}).status_code == 404
    )


def test_the_demo_seed_exports_one_approved_doc_signed_in_process(approved, media, renders):
    from exports import demo
    from registry.core import demo as core_demo

    order = {s.key: s.order for s in core_demo.seeders()}
    assert order["exports"] > order["reviews"]  # a demo doc is approved by then
    summary = demo.seed()
    export = PdfExport.objects.get()
    assert export.status == "done" and export.signed and export.design_doc_id == approved.pk
    assert "1 signed PDF" in summary and "made" in summary
    # The broker is configured in the tests (and no worker runs): it rendered in-process.
    assert len(renders) == 1
    assert "already made" in demo.seed() and len(renders) == 1


def test_the_maturity_part_is_left_out_when_it_has_nothing_to_say(alice, team, mts):
    from registry.core import printing

    doc = FullDesignDocFactory(title="Quiet", product_owner=alice, owner_team=team)
    assert "maturity" not in [p.key for p in printing.parts_for(fresh(doc).latest_revision)]
    classification_answer(doc=doc, actor=alice, answers=CREDIT)
    parts = {p.key: p for p in printing.parts_for(fresh(doc).latest_revision)}
    assert "High risk" in parts["maturity"].html and "Not assessed yet." in parts["maturity"].html
