"""What a newcomer tripped on while walking the product in the system Chromium: the home
page of someone in no team, and the list's sort menu clipping its longest choice."""

from __future__ import annotations

import re

import pytest

from tests.designdocs.factories import DesignDocFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1024, "height": 768}


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def test_home_of_someone_in_no_team_says_how_to_get_in_instead_of_a_table_of_zeros(
    page, user_without_role
):
    log_in(page, user_without_role.username)
    page.set_viewport_size(PHONE)
    main = page.locator("main")
    assert main.get_by_text("You are not in a team yet").is_visible()
    assert main.get_by_role("link", name="See the teams and their leads").is_visible()
    # "Browse design docs" led to an empty list: it is not offered to them.
    assert main.get_by_role("link", name="Browse design docs").count() == 0
    assert main.get_by_text("No design docs to count yet").is_visible()
    assert main.locator(".portfolio-table").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_home_of_a_team_member_still_shows_the_portfolio_tables(page, alice, team):
    DesignDocFactory(title="Churn", product_owner=alice, owner_team=team)
    log_in(page, alice.username)
    assert page.locator("main .portfolio-table").count() == 2
    assert page.locator("main").get_by_text("You are not in a team yet").count() == 0


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1024", "390"])
def test_the_sort_menu_shows_its_longest_choice_whole(page, alice, team, viewport):
    log_in(page, alice.username)
    page.set_viewport_size(viewport)
    page.goto("/designdocs/")
    sort = page.locator("select[name=sort]")
    # The select's box fits the text of its selected (longest) option plus the arrow.
    text_width = sort.evaluate(
        """s => { const c = document.createElement('canvas').getContext('2d');
                  c.font = getComputedStyle(s).font;
                  return c.measureText(s.options[s.selectedIndex].text).width; }"""
    )
    assert sort.evaluate("s => s.options[s.selectedIndex].text").startswith("Best match")
    assert sort.bounding_box()["width"] >= text_width + 24
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_reader_who_cannot_edit_is_told_so_and_whom_to_ask(page, alice, dave, team):
    doc = DesignDocFactory(title="Churn", product_owner=alice, owner_team=team)
    log_in(page, dave.username)
    page.goto(doc.get_absolute_url())
    notice = page.locator("main .read-only-notice")
    assert notice.is_visible()
    assert "You can read this design doc" in notice.inner_text()
    assert "alice" in notice.inner_text()
    assert page.locator("main").get_by_role("link", name="Edit", exact=True).count() == 0


def test_the_editor_of_a_doc_sees_no_read_only_notice(page, alice, team):
    doc = DesignDocFactory(title="Churn", product_owner=alice, owner_team=team)
    log_in(page, alice.username)
    page.goto(doc.get_absolute_url())
    assert page.locator("main .read-only-notice").count() == 0


def test_an_empty_sections_mark_stays_inside_its_contents_entry(page, alice, team):
    doc = DesignDocFactory(title="Churn", product_owner=alice, owner_team=team)
    log_in(page, alice.username)
    page.goto(doc.get_absolute_url())
    link = page.locator(".toc-list li:has(.muted)").first.locator("a")
    mark = page.locator(".toc-list li:has(.muted)").first.locator(".muted")
    # The "(empty)" mark sits within its entry's indented, bordered link, not under it.
    box, entry = mark.bounding_box(), link.bounding_box()
    assert entry["y"] <= box["y"] and box["y"] + box["height"] <= entry["y"] + entry["height"]
    assert entry["x"] <= box["x"] and box["x"] + box["width"] <= entry["x"] + entry["width"]
