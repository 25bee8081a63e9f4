"""The pages: the "Export PDF" button on the doc and revision pages, progress in place
(htmx polling), the export page with its download, failure with reason and retry."""

from __future__ import annotations

import pytest

from exports.choices import ExportStatus
from exports.models import PdfExport

pytestmark = pytest.mark.django_db


@pytest.mark.embedded
def test_doc_and_revision_pages_have_the_export_button(client, alice, doc):
    client.force_login(alice)
    page = client.get(doc.get_absolute_url()).content.decode()
    action = f"/exports/designdocs/{doc.slug}/"
    assert f'action="{action}"' in page and "Export PDF" in page
    assert 'name="revision" value="1"' in page
    revision_page = client.get(doc.revisions.get().get_absolute_url()).content.decode()
    assert f'hx-post="{action}"' in revision_page


def test_export_without_javascript_redirects_to_the_export_page(
    client, alice, doc, eager, media, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/designdocs/{doc.slug}/", {"revision": "1"})
    export = PdfExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{export.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Download PDF" in page and f"/exports/{export.pk}/download/" in page
    download = client.get(f"/exports/{export.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_htmx_export_shows_progress_that_polls_until_done(client, alice, doc, media):
    client.force_login(alice)
    # With the broker configured and no worker, the export stays queued: the partial polls.
    response = client.post(
        f"/exports/designdocs/{doc.slug}/", {"revision": "1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    export = PdfExport.objects.get()
    assert response.status_code == 200
    assert "<progress" in body and f'hx-get="/exports/{export.pk}/status/"' in body
    assert 'hx-trigger="load delay:1s"' in body
    PdfExport.objects.filter(pk=export.pk).update(status=ExportStatus.RENDERING, progress=70)
    status = client.get(f"/exports/{export.pk}/status/").content.decode()
    assert 'value="70"' in status and "Rendering" in status


def test_failed_export_shows_the_reason_and_a_retry(client, alice, doc, media):
    client.force_login(alice)
    client.post(f"/exports/designdocs/{doc.slug}/", {"revision": "1"})
    export = PdfExport.objects.get()
    PdfExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, error="The render took longer than 90 s."
    )
    page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "The render took longer than 90 s." in page
    assert f'action="/exports/{export.pk}/retry/"' in page
    assert "hx-get" not in page  # a finished export does not poll
    response = client.post(f"/exports/{export.pk}/retry/")
    assert response.status_code == 302
    assert PdfExport.objects.get().status == ExportStatus.QUEUED


def test_bad_revision_and_invisible_doc(client, alice, user_without_role, doc):
    client.force_login(alice)
    response = client.post(f"/exports/designdocs/{doc.slug}/", {"revision": "x\x00"})
    assert response.status_code == 400 and "whole number" in response.content.decode()
    response = client.post(f"/exports/designdocs/{doc.slug}/", {"revision": "7"})
    assert response.status_code == 400 and "has no revision 7" in response.content.decode()
    assert doc.get_absolute_url() in response.content.decode()
    assert PdfExport.objects.count() == 0
    client.force_login(user_without_role)
    assert client.post(f"/exports/designdocs/{doc.slug}/", {}).status_code == 404


def test_export_pages_of_an_invisible_export_are_404(client, alice, user_without_role, doc, media):
    client.force_login(alice)
    client.post(f"/exports/designdocs/{doc.slug}/", {})
    export = PdfExport.objects.get()
    client.force_login(user_without_role)
    for url in ("", "status/", "download/"):
        assert client.get(f"/exports/{export.pk}/{url}").status_code == 404
    assert client.post(f"/exports/{export.pk}/retry/").status_code == 404
