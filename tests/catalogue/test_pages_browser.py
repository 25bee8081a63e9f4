"""An architect adds an architecture example from the page in the system Chromium
(Playwright): an SVG diagram (a script in it is cleaned away), two components added as
rows in place, the Markdown preview, then the example on the browse page; under the
page's CSP, with no violation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalogue.models import ArchitectureExample
from tests.catalogue.factories import ComponentFactory
from tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" onload="alert(1)">'
    b'<script>alert(2)</script><rect width="120" height="40" fill="#369"/></svg>'
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_an_architect_adds_an_example_with_a_diagram_and_two_components(page, bob):
    team = TeamFactory(name="Forecasting", slug="forecasting")
    ComponentFactory(name="Feature store", slug="feature-store", owner_team=team)
    ComponentFactory(name="Batch scoring", slug="batch-scoring", owner_team=team)
    page.add_init_script(CSP_RECORDER)
    page.goto(reverse("login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(reverse("catalogue:browse"))
    page.click("text=Add architecture example")
    page.wait_for_url(re.compile(r".*/catalogue/architectures/new/$"))
    page.fill("#id_title", "Batch forecasting")
    page.fill("#id_summary", "Nightly forecasts from the feature store.")
    page.select_option("#id_owner_team", "forecasting")
    page.select_option("#id_lifecycle", "production")
    page.fill("#id_tags", "batch, forecasting")
    page.type("#id_body", "Scores **every night**.")
    page.wait_for_selector("#body-preview strong >> text=every night")
    page.set_input_files(
        "#id_diagram", files=[{"name": "flow.svg", "mimeType": "image/svg+xml", "buffer": SVG}]
    )
    page.fill("#id_components-0-component", "feature-store")
    page.fill("#id_components-0-role", "serves the features")
    page.click("button[data-add-row=components]")
    page.fill("#id_components-1-component", "batch-scoring")
    page.fill("#id_components-1-role", "scores nightly")
    page.click("form.form button[type=submit].button--primary")

    page.wait_for_url(re.compile(r".*/catalogue/architectures/batch-forecasting/$"))
    page.wait_for_selector("text=Architecture example “Batch forecasting” added.")
    table = page.inner_text("section[aria-labelledby=components-title] table")
    assert "Feature store" in table and "serves the features" in table
    assert "Batch scoring" in table and "scores nightly" in table
    # The diagram is served and shown (an image of its real width).
    page.wait_for_function("document.querySelector('figure.diagram img').naturalWidth > 0")

    page.goto(reverse("catalogue:browse"))
    card = page.locator("li.card", has_text="Batch forecasting")
    assert card.count() == 1
    assert "Nightly forecasts from the feature store." in card.inner_text()
    assert page.evaluate("window.__csp") == []

    arch = ArchitectureExample.objects.get(slug="batch-forecasting")
    stored = arch.diagram.open("rb").read()
    assert arch.diagram_format == "svg" and b"script" not in stored and b"onload" not in stored
    assert [r.component.slug for r in arch.component_roles.all()] == [
        "feature-store",
        "batch-scoring",
    ]
