"""Other printable subjects come through registry.core.printing (an app registers one; the
exports app renders it without importing that app); the export rules' two faces agree."""

from __future__ import annotations

import hashlib

import pytest
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from exports.choices import ExportStatus, SubjectKind
from exports.models import PdfExport
from registry.core import printing, roles
from registry.core.testing.permissions import permission_mismatches
from tests.designdocs.factories import DesignDocFactory
from tests.exports.conftest import pdf_text
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    """A "portfolio report" subject, as the catalogue or maturity app would register it:
    readable by architects only; its key is a filter."""

    def render(key, options):
        rows = [("Forecast", "Level 3"), ("Pricing <script>", "Level 2")]
        html = format_html(
            '<section id="part-summary"><h2>Summary</h2><p>Filter: {}</p><table class="pdf-table">'
            "<thead><tr><th>Solution</th><th>Maturity</th></tr></thead><tbody>{}</tbody></table></section>",
            key or "all",
            mark_safe("".join(format_html("<tr><td>{}</td><td>{}</td></tr>", *r) for r in rows)),
        )
        return printing.PrintedBody(
            title="Portfolio report",
            html=str(html),
            content_hash=hashlib.sha256(f"{key}{rows}".encode()).hexdigest(),
            author="ML Design Registry",
            subject="Portfolio report",
            facts=(("Filter", key or "all"),),
            toc=(("part-summary", "Summary"),),
        )

    previous = printing.subject("portfolio")  # maturity's own, restored afterwards
    subject = printing.register_subject(
        printing.PrintableSubject(
            "portfolio",
            "Portfolio report",
            may_print=lambda user, key: roles.is_architect.holds(user, None),
            render=render,
        )
    )
    yield subject
    printing.unregister_subject("portfolio")
    if previous is not None:
        printing.register_subject(previous)


def test_a_registered_subject_is_exported_through_the_api(
    portfolio, token_client, bob, eager, media, django_capture_on_commit_callbacks
):
    client = token_client(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/exports/", {"subject": "portfolio", "key": "team=supply"})
    assert response.status_code == 202, response.content
    status = client.get(response["Location"]).json()
    assert status["status"] == "done" and status["kind"] == SubjectKind.SUBJECT
    assert not status["signed"]
    pdf = b"".join(client.get(status["download_url"]).streaming_content)
    text = pdf_text(pdf)
    assert "Portfolio report" in text and "Filter: team=supply" in text
    assert "Pricing <script>" in text  # escaped by the subject, printed as text
    assert "Draft - not approved" not in text
    # Contents with a page number.
    import re

    assert re.search(r"Summary\s*\.{5,}\s*3", text)


def test_subject_permission_and_unknown_subjects_are_refused(portfolio, token_client, dave):
    client = token_client(dave)
    refused = client.post("/api/exports/", {"subject": "portfolio", "key": ""})
    # A subject the user may not see is not found, as its page would be.
    assert refused.status_code == 404 and "subject" in refused.json()["errors"]
    unknown = client.post("/api/exports/", {"subject": "nope"})
    assert unknown.status_code == 400
    assert PdfExport.objects.count() == 0


def test_export_rules_agree_for_querysets_and_objects(portfolio):
    supply, pricing = TeamFactory(slug="supply"), TeamFactory(slug="pricing")
    alice = UserFactory(username="alice", roles=[roles.PRODUCT_OWNERS])
    erin = UserFactory(username="erin", roles=[roles.PRODUCT_OWNERS])
    bob = UserFactory(username="bob", roles=[roles.ARCHITECTS])
    nora = UserFactory(username="nora")
    TeamMembershipFactory(user=nora, team=supply)
    forecast = DesignDocFactory(title="Forecast", product_owner=alice, owner_team=supply)
    prices = DesignDocFactory(title="Prices", product_owner=erin, owner_team=pricing)
    exports = [
        PdfExport.objects.create(
            design_doc=doc, revision=doc.revisions.get(), cache_key=str(i) * 64, title=doc.title,
            requested_by=user, status=ExportStatus.QUEUED,
        )
        for i, (doc, user) in enumerate(((forecast, alice), (prices, erin)))
    ]  # fmt: skip
    exports.append(
        PdfExport.objects.create(
            kind=SubjectKind.SUBJECT, subject_name="portfolio", cache_key="s" * 64,
            requested_by=bob, title="Portfolio report",
        )
    )  # fmt: skip
    rules = [r for r in printing_rules()]
    assert {r.permission for r in rules} == {"exports.view_pdfexport", "exports.retry_pdfexport"}
    assert permission_mismatches([alice, erin, bob, nora], exports, rules=None) == []
    # nora (no role) sees nothing; bob sees the docs' exports and his own subject export.
    assert not PdfExport.objects.restrict(nora, "view").exists()
    assert set(PdfExport.objects.restrict(bob, "view")) == set(exports)
    assert set(PdfExport.objects.restrict(erin, "view")) == set(exports[:2])


def printing_rules():
    from registry.core.permissions import all_rules

    return [r for r in all_rules() if r.model is PdfExport]
