"""Export PDF in the system Chromium: the button shows progress in place (htmx polling under
the page's CSP) and then the download."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_export_button_shows_progress_then_the_download(page, celery_worker, alice, doc, media):
    """The real worker renders; the page polls the status until the download appears."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(doc.get_absolute_url())
    page.get_by_role("button", name="Export PDF").click()
    # Queued or rendering first: the progress bar, polled in place.
    page.locator("progress").first.wait_for(timeout=10000)
    link = page.get_by_role("link", name="Download PDF")
    link.wait_for(timeout=60000)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith("-r1.pdf")
    assert errors == []
