"""What a new user tripped on, seen in the system Chromium: the 404 page in debug mode on a
phone, and the header search box's label and contrast (WCAG AA, 4.5:1)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The relative luminance and contrast ratio of WCAG 2.2, computed from the browser's
# computed colours (rgb()/rgba() strings; a translucent colour is blended on its backdrop).
CONTRAST = """
([fg, bg]) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const a = lum(parse(fg)), b = lum(parse(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def contrast(page, foreground: str, background: str) -> float:
    return page.evaluate(CONTRAST, [foreground, background])


def test_the_header_search_box_has_a_visible_label_and_legible_placeholder(page, alice):
    log_in(page, "alice")
    label = page.locator("label[for=site-search-q]")
    assert label.is_visible() and label.inner_text().strip() == "Search"
    header_bg = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header') || "
        "document.querySelector('header')).backgroundColor"
    )
    label_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.site-search__label')).color"
    )
    assert contrast(page, label_colour, header_bg) >= 4.5

    colours = """() => {
      const input = document.querySelector('#site-search-q');
      return [getComputedStyle(input, '::placeholder').color,
              getComputedStyle(input).backgroundColor];
    }"""
    placeholder, box = page.evaluate(colours)
    assert contrast(page, placeholder, box) >= 4.5, (placeholder, box)  # before focus
    page.focus("#site-search-q")
    placeholder, box = page.evaluate(colours)
    page.screenshot(
        path="/tmp/h2-search-focused.png", clip={"x": 0, "y": 0, "width": 1366, "height": 120}
    )
    assert box in ("rgb(255, 255, 255)", "rgba(255, 255, 255, 1)")  # the focused box is white
    assert contrast(page, placeholder, box) >= 4.5, placeholder


def test_a_404_in_debug_mode_is_the_products_page_and_fits_a_phone(page, alice, settings):
    settings.DEBUG = True
    log_in(page, "alice")
    page.set_viewport_size({"width": 390, "height": 844})

    response = page.goto("/designdocs/no-such-doc/")

    assert response.status == 404
    assert page.locator("h1").first.inner_text()
    assert "There is nothing at this address." in page.content()
    assert "Using the URLconf" not in page.content()
    # Styled (the product's stylesheet applies) and no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    page.screenshot(path="/tmp/h2-404-phone.png", full_page=True)
