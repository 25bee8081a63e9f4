"""The risks and monitoring editors at laptop widths (1366 and 1024 px) in the system
Chromium: nothing past the edge, selects showing their whole label, and each risk's level
and score shown while editing, updated as likelihood and impact change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def open_section(page, doc, key: str) -> None:
    page.goto(reverse("designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": key}))


OVERFLOWS = """() => {
  const wrap = document.querySelector('.rows-editor');
  const main = document.querySelector('main');
  const right = main.getBoundingClientRect().right;
  const past = [...wrap.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => el.getBoundingClientRect().right > right + 0.5)
    .map((el) => el.name || el.title || el.tagName);
  return {past, scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
          page: document.documentElement.scrollWidth > window.innerWidth};
}"""

CLIPPED_SELECTS = """() => [...document.querySelectorAll('.rows-editor select')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => {
    const probe = document.createElement('span');
    const style = getComputedStyle(el);
    probe.style.font = style.font;
    probe.style.position = 'absolute';
    probe.style.whiteSpace = 'pre';
    probe.textContent = el.options[el.selectedIndex] ? el.options[el.selectedIndex].text : '';
    document.body.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    // the text plus the arrow and the padding must fit
    return needed + 28 > el.getBoundingClientRect().width;
  })
  .map((el) => el.name + ': ' + el.options[el.selectedIndex].text)"""


@pytest.mark.parametrize("width", [1366, 1024])
@pytest.mark.parametrize("key", ["risks", "monitoring"])
def test_row_editors_fit_laptop_widths(page, alice, designdoc_full, width, key):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "alice")
    open_section(page, designdoc_full, key)

    page.screenshot(path=f"/tmp/h2-{key}-{width}.png", full_page=True)
    result = page.evaluate(OVERFLOWS)
    assert result == {"past": [], "scrolls": False, "page": False}, result
    assert page.evaluate(CLIPPED_SELECTS) == []


def test_each_risk_shows_its_level_and_score_updated_as_it_is_edited(page, alice, designdoc_full):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "alice")
    open_section(page, designdoc_full, "risks")
    level = page.locator("#id_risks-0-level")
    server = level.inner_text()

    page.select_option("#id_risks-0-likelihood", "4")
    page.select_option("#id_risks-0-impact", "1")
    assert level.inner_text() == "Very low · 4"  # the matrix is not symmetric
    assert "badge--risk-very_low" in level.get_attribute("class")
    page.select_option("#id_risks-0-likelihood", "5")
    page.select_option("#id_risks-0-impact", "5")
    assert level.inner_text() == "Very high · 25"
    assert "badge--risk-very_high" in level.get_attribute("class")

    page.click("[data-add-row=risks]")
    added = page.locator("#id_risks-2-level")
    assert added.inner_text() == "Choose likelihood and impact"
    page.select_option("#id_risks-2-likelihood", "1")
    page.select_option("#id_risks-2-impact", "4")
    assert added.inner_text() == "Low · 4"
    page.screenshot(path="/tmp/h2-risks-levels.png", full_page=True)
    assert server  # the server rendered the first row's level before any script ran


def test_the_risks_cards_fit_a_phone(page, alice, designdoc_full):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "alice")
    open_section(page, designdoc_full, "risks")

    page.screenshot(path="/tmp/h2-risks-390.png", full_page=True)
    assert page.evaluate(OVERFLOWS) == {"past": [], "scrolls": False, "page": False}
