"""A conflicting save drops nobody's edit without someone choosing it: the page shows the
two versions word by word and asks "keep theirs", "keep mine" or "save what I merged"."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from designdocs.content import content_of
from designdocs.models import DesignDoc
from designdocs.services import designdoc_update

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

THEIRS = "Stores order too much fresh produce on weekdays."
MINE = "Stores order too little fresh produce at weekends."


def section_url(doc) -> str:
    return reverse(
        "designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": "problem_statement"}
    )


def hidden_version(html: str) -> int:
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1))


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, name
    return unescape(match.group(1)).lstrip("\n")


def stored_text(doc) -> str:
    return content_of(DesignDoc.objects.get(pk=doc.pk))["problem_statement"]


@pytest.fixture
def conflict(client, alice, designdoc_team_member, designdoc_full):
    """Alice opened the section, Frank saved first, Alice's save conflicted."""
    doc = designdoc_full
    client.force_login(alice)
    opened_at = doc.version
    designdoc_update(
        doc=doc,
        user=designdoc_team_member,
        expected_version=opened_at,
        changes={"problem_statement": THEIRS},
    )
    response = client.post(section_url(doc), {"text": MINE, "version": opened_at})
    assert response.status_code == 412
    return doc, response.content.decode()


def test_the_conflict_page_shows_both_versions_word_by_word_and_three_choices(conflict):
    doc, page = conflict

    assert "What differs, word by word" in page
    assert "<del>much</del><ins>little</ins>" in page
    assert "<del>weekdays</del><ins>weekends</ins>" in page
    for choice in ("merged", "mine", "theirs"):
        assert f'name="resolve" value="{choice}"' in page
    assert "Save my merged version" not in page
    assert textarea(page, "conflict_mine") == MINE
    assert stored_text(doc) == THEIRS


def test_save_what_i_merged_refuses_text_nobody_merged(client, conflict):
    doc, page = conflict

    response = client.post(
        section_url(doc),
        {"text": MINE, "conflict_mine": MINE, "version": hidden_version(page), "resolve": "merged"},
    )

    assert response.status_code == 400
    assert "still exactly the version that conflicted" in response.content.decode()
    assert stored_text(doc) == THEIRS  # Frank's edit is still there


def test_save_what_i_merged_saves_the_merged_text(client, conflict):
    doc, page = conflict
    merged = "Stores order too much fresh produce on weekdays and too little at weekends."

    response = client.post(
        section_url(doc),
        {
            "text": merged,
            "conflict_mine": MINE,
            "version": hidden_version(page),
            "resolve": "merged",
        },
    )

    assert response.status_code == 302
    assert stored_text(doc) == merged


def test_keep_mine_saves_exactly_the_text_that_conflicted(client, conflict):
    doc, page = conflict

    response = client.post(
        section_url(doc),
        {
            "text": "half-edited merge",
            "conflict_mine": MINE,
            "version": hidden_version(page),
            "resolve": "mine",
        },
    )

    assert response.status_code == 302
    assert stored_text(doc) == MINE


def test_keep_theirs_saves_nothing_and_says_so(client, conflict):
    doc, page = conflict
    before = DesignDoc.objects.get(pk=doc.pk).revision_number

    response = client.post(
        section_url(doc),
        {"text": MINE, "conflict_mine": MINE, "version": hidden_version(page), "resolve": "theirs"},
        follow=True,
    )

    assert "your unsaved changes were discarded" in response.content.decode()
    assert stored_text(doc) == THEIRS
    assert DesignDoc.objects.get(pk=doc.pk).revision_number == before


def test_a_details_conflict_marks_what_differs_and_offers_both_choices(
    client, alice, designdoc_team_member, designdoc_full
):
    doc = designdoc_full
    client.force_login(alice)
    edit = reverse("designdocs:designdoc_edit", kwargs={"slug": doc.slug})
    opened_at = doc.version
    designdoc_update(
        doc=doc, user=designdoc_team_member, expected_version=opened_at, changes={"title": "Theirs"}
    )
    content = content_of(doc)
    posted = {
        "title": "Mine",
        "owner_team": content["owner_team"],
        "co_authors": ", ".join(content["co_authors"]),
        "version": opened_at,
    }

    page = client.post(edit, posted).content.decode()

    assert page.count("differs from yours") == 1  # the title only
    assert 'name="resolve" value="mine"' in page and 'name="resolve" value="theirs"' in page
    client.post(edit, {**posted, "version": hidden_version(page), "resolve": "theirs"})
    assert DesignDoc.objects.get(pk=doc.pk).title == "Theirs"
    client.post(edit, {**posted, "version": hidden_version(page), "resolve": "mine"})
    assert DesignDoc.objects.get(pk=doc.pk).title == "Mine"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_conflict_page_in_the_browser_shows_the_diff_and_the_choices(
    page, alice, designdoc_team_member, designdoc_full
):
    doc = designdoc_full
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(section_url(doc))
    designdoc_update(
        doc=doc,
        user=designdoc_team_member,
        expected_version=doc.version,
        changes={"problem_statement": THEIRS},
    )
    page.fill("textarea[name=text]", MINE)
    page.click("button[name=save]")

    assert page.locator(".conflict-diff .diff del").first.inner_text() == "much"
    page.screenshot(path="/tmp/h2-conflict.png", full_page=True)
    page.click("button[value=merged]")  # nothing merged: refused, nothing lost
    assert "still exactly the version that conflicted" in page.content()
    assert stored_text(doc) == THEIRS
