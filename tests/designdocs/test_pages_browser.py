"""The design-doc pages in the system Chromium (Playwright): live preview, editable rows,
and Markdown full of XSS attempts staying inert under the page's CSP.

The data is created before a page is opened; the live server shares the test database.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from designdocs.content import content_of
from designdocs.models import DesignDoc
from designdocs.services import designdoc_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS_PROBLEM_STATEMENT = "\n\n".join(
    [
        "Attempts that must stay inert:",
        "<script>window.__xss=1</script>",
        '<img src=x onerror="window.__xss=1">',
        "[a javascript link](javascript:window.__xss=1)",
        "[an encoded javascript link](jav&#x61;script:window.__xss=1)",
        "<svg onload=window.__xss=1></svg>",
        "<iframe src=javascript:window.__xss=1></iframe>",
        '<a href="javascript:window.__xss=1">raw anchor</a>',
        "[a data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
        '<div style="background:url(javascript:window.__xss=1)">styled</div>',
        "[a safe link](https://example.org/) and **bold** text",
    ]
)

# Collects CSP violations from the first script that runs in every page (init scripts are
# injected by the browser, not by the page, so the page's CSP does not apply to them).
CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The Playwright page, recording CSP violations and console errors."""
    page.add_init_script(CSP_RECORDER)
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def log_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def assert_clean(page) -> None:
    assert page.evaluate("window.__csp") == [], page.evaluate("window.__csp")
    csp_messages = [m for m in page.console_errors if "Content Security Policy" in m]
    assert csp_messages == []
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_product_owner_edits_a_section_with_live_preview_and_saves(watched, alice, designdoc_full):
    page = watched
    doc = designdoc_full
    log_in(page, "alice")

    page.goto(reverse("designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": "data"}))
    assert_clean(page)
    textarea = page.locator("textarea[name=text]")
    textarea.fill("")
    textarea.press_sequentially("Sales **live** data and <b>tags</b>", delay=5)
    preview = page.locator("#markdown-preview")
    preview.locator("strong", has_text="live").wait_for(timeout=5000)
    assert preview.locator("b").count() == 0  # HTML is shown as text
    assert "<b>tags</b>" in preview.inner_text()

    page.fill("input[name=message]", "Data sources, live")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r".*/edit/data/$"))
    assert "Saved as revision 2." in page.locator(".messages").inner_text()
    assert (
        content_of(DesignDoc.objects.get(pk=doc.pk))["data"]
        == "Sales **live** data and <b>tags</b>"
    )
    assert_clean(page)


def test_preview_past_its_rate_says_so_in_the_pane_and_keeps_the_text(
    watched, alice, designdoc_full, settings
):
    settings.MARKDOWN_PREVIEW_RATE = "1/day"  # a minute's window could turn mid-test
    page = watched
    log_in(page, "alice")
    page.goto(
        reverse(
            "designdocs:section_edit", kwargs={"slug": designdoc_full.slug, "section_key": "data"}
        )
    )
    textarea = page.locator("textarea[name=text]")
    textarea.fill("")
    textarea.press_sequentially("**first**", delay=5)
    preview = page.locator("#markdown-preview")
    preview.locator("strong", has_text="first").wait_for(timeout=5000)
    textarea.press_sequentially(" second", delay=5)
    preview.locator(".field-error", has_text="Preview paused").wait_for(timeout=5000)
    assert textarea.input_value() == "**first** second"
    assert_clean(page)


def test_structured_rows_are_added_reordered_and_removed_in_the_page(
    watched, alice, designdoc_full
):
    page = watched
    doc = designdoc_full
    log_in(page, "alice")
    page.goto(
        reverse(
            "designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": "success_criteria"}
        )
    )
    rows = page.locator('tbody[data-rows="success_criteria"] > tr:not([data-rows-empty])')
    assert rows.count() == 1

    for metric, target in (("Fill rate", "97%"), ("Throwaway", "0")):
        page.click('button[data-add-row="success_criteria"]')
        new = rows.last
        new.locator('input[name$="-metric"]').fill(metric)
        new.locator('input[name$="-target"]').fill(target)
    assert page.locator("input[name=success_criteria-TOTAL_FORMS]").input_value() == "3"

    rows.nth(1).locator('[data-move-row="up"]').click()  # Fill rate first
    rows.last.locator("[data-remove-row]").click()  # Throwaway gone
    assert page.locator("input[name=success_criteria-TOTAL_FORMS]").input_value() == "2"
    assert rows.first.locator("input[name=success_criteria-0-metric]").input_value() == "Fill rate"

    page.click("button[name=save]")
    page.wait_for_url(re.compile(r".*/edit/success_criteria/$"))
    criteria = content_of(DesignDoc.objects.get(pk=doc.pk))["success_criteria"]
    assert [c["metric"] for c in criteria] == ["Fill rate", "MAPE at store-day level"]
    assert_clean(page)


def test_row_error_is_shown_next_to_the_field_in_the_browser(watched, alice, designdoc_full):
    page = watched
    log_in(page, "alice")
    page.goto(
        reverse(
            "designdocs:section_edit", kwargs={"slug": designdoc_full.slug, "section_key": "risks"}
        )
    )
    page.click('button[data-add-row="risks"]')
    row = page.locator('tbody[data-rows="risks"] > tr:not([data-rows-empty])').last
    row.locator('input[name$="-title"]').fill("Vendor lock-in")
    row.locator('select[name$="-category"]').select_option("operational")
    row.locator('select[name$="-likelihood"]').select_option("5")
    row.locator('select[name$="-impact"]').select_option("5")
    page.click("button[name=save]")
    error_row = page.locator("tr.row--error")
    error_row.wait_for()
    assert error_row.locator('input[name$="-title"]').input_value() == "Vendor lock-in"
    owner_cell = error_row.locator("td", has=page.locator('input[name$="-owner"]'))
    assert "an owner is required" in owner_cell.inner_text()
    assert_clean(page)


def test_xss_attempts_in_markdown_stay_inert_on_the_read_view(watched, alice, designdoc_full):
    doc = designdoc_full
    designdoc_update(
        doc=doc,
        user=alice,
        expected_version=doc.version,
        changes={"problem_statement": XSS_PROBLEM_STATEMENT, "data": XSS_PROBLEM_STATEMENT},
    )
    page = watched
    log_in(page, "alice")
    page.goto(doc.get_absolute_url())
    section = page.locator("#section-problem-statement .markdown")
    assert "bold" in section.locator("strong").inner_text()
    assert "<script>window.__xss=1</script>" in section.inner_text()  # shown as text
    for selector in ("script", "img", "svg", "iframe", "[style]", "[onerror]", "[onload]"):
        assert section.locator(selector).count() == 0, selector

    links = section.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs.count("https://example.org/") == 1
    assert all(h is None or h.startswith(("https:", "http:", "mailto:")) for h in hrefs), hrefs
    for i in range(links.count()):
        if links.nth(i).get_attribute("href") is None:
            links.nth(i).click()
    page.wait_for_timeout(300)
    assert page.url.endswith(doc.get_absolute_url())
    assert_clean(page)

    # The live preview goes through the same sanitiser.
    page.goto(
        reverse(
            "designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": "open_questions"}
        )
    )
    textarea = page.locator("textarea[name=text]")
    textarea.fill(XSS_PROBLEM_STATEMENT)
    textarea.press("End")
    textarea.press_sequentially(" done", delay=5)
    page.locator("#markdown-preview strong", has_text="bold").wait_for(timeout=5000)
    assert page.locator("#markdown-preview img, #markdown-preview script").count() == 0
    assert_clean(page)


def test_pages_have_no_csp_violations_at_phone_width(watched, alice, designdoc_full):
    page = watched
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "alice")
    slug = designdoc_full.slug
    for path in (
        reverse("home"),
        reverse("designdocs:designdoc_list"),
        designdoc_full.get_absolute_url(),
        reverse("designdocs:designdoc_edit", kwargs={"slug": slug}),
        reverse("designdocs:section_edit", kwargs={"slug": slug, "section_key": "raci"}),
        reverse("designdocs:revision_list", kwargs={"slug": slug}),
        reverse("designdocs:revision_diff", kwargs={"slug": slug}) + "?from=1&to=1",
        reverse("search") + "?q=forecast",
    ):
        page.goto(path)
        assert_clean(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{path} scrolls sideways at 390px"
    assert page.console_errors == []
