"""The design-doc pages, home and search, through the test client: who may see and do what,
the authoring flow, row-level validation, stale-version conflicts, import and export,
history and diff, and query counts."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designdocs.content import canonical_json, content_of
from designdocs.markdown_io import export_markdown
from designdocs.models import DesignDoc, Revision
from designdocs.sections import SECTIONS_BY_KEY
from designdocs.services import designdoc_update
from registry.core import roles
from registry.core.models import AuditEvent
from tests.designdocs.factories import DesignDocFactory, FullDesignDocFactory, risk_row
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

# --- helpers --------------------------------------------------------------------------------


def url(name: str, **kwargs) -> str:
    return reverse(f"designdocs:{name}", kwargs=kwargs)


def text_of(response) -> str:
    return response.content.decode()


def rows_post(section_key: str, rows: list[dict[str, Any]], *, version: int, **extra) -> dict:
    """The POST body of a structured section: the formset management form and the rows."""
    data = {
        f"{section_key}-TOTAL_FORMS": str(len(rows)),
        f"{section_key}-INITIAL_FORMS": "0",
        f"{section_key}-MIN_NUM_FORMS": "0",
        f"{section_key}-MAX_NUM_FORMS": "1000",
        "version": str(version),
        "message": "",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{section_key}-{index}-{name}"] = "" if value is None else str(value)
    data.update(extra)
    return data


def table_row_with(html: str, input_name: str) -> str:
    """The <tr>…</tr> of the page holding the input named `input_name`."""
    for match in re.finditer(r"<tr\b.*?</tr>", html, re.S):
        if f'name="{input_name}"' in match.group(0):
            return match.group(0)
    raise AssertionError(f"no table row holds an input named {input_name}")


def cell_with(row_html: str, input_name: str) -> str:
    for match in re.finditer(r"<td\b.*?</td>", row_html, re.S):
        if f'name="{input_name}"' in match.group(0):
            return match.group(0)
    raise AssertionError(f"no cell holds {input_name}")


def hidden_version(html: str) -> int:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert match, "the form carries no hidden version"
    return int(match.group(1))


def textarea_value(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1)).lstrip("\n")


def stored(doc: DesignDoc) -> dict:
    return content_of(DesignDoc.objects.get(pk=doc.pk))


@pytest.fixture
def doc(designdoc_full):
    return designdoc_full


@pytest.fixture
def other_team_po(db):
    """A product owner of another team: reads every doc, edits none of `team`'s."""
    grace = UserFactory(username="grace", first_name="Grace", roles=[roles.PRODUCT_OWNERS])
    TeamMembershipFactory(team=TeamFactory(name="Pricing ML", slug="pricing-ml"), user=grace)
    return grace


# --- permissions ----------------------------------------------------------------------------

DOC_PAGES = [
    ("designdoc", {}),
    ("designdoc_edit", {}),
    ("section_edit", {"section_key": "risks"}),
    ("designdoc_delete", {}),
    ("designdoc_export_markdown", {}),
    ("revision_list", {}),
    ("revision", {"number": 1}),
    ("revision_diff", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, kwargs",
    [("designdoc_list", {}), ("designdoc_add", {}), ("designdoc_import", {}), *DOC_PAGES],
)
def test_anonymous_visitor_is_sent_to_login_from_every_design_doc_page(client, doc, name, kwargs):
    if name not in ("designdoc_list", "designdoc_add", "designdoc_import"):
        kwargs = {"slug": doc.slug, **kwargs}
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_preview_post_is_sent_to_login_and_renders_nothing(client):
    response = client.post(url("markdown_preview"), {"text": "**bold**"})
    assert response.status_code == 302
    assert "<strong>" not in text_of(response)


@pytest.mark.django_db
def test_viewer_reads_a_doc_without_any_edit_control(client, dave, doc):
    client.force_login(dave)
    page = text_of(client.get(doc.get_absolute_url()))
    assert doc.title in page
    for forbidden in (url("designdoc_edit", slug=doc.slug), url("designdoc_delete", slug=doc.slug)):
        assert forbidden not in page
    assert "/edit/" not in page
    listing = text_of(client.get(url("designdoc_list")))
    assert url("designdoc_add") not in listing and url("designdoc_import") not in listing
    assert "New design doc" not in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, name, kwargs",
    [
        ("get", "designdoc_edit", {}),
        ("post", "designdoc_edit", {}),
        ("get", "section_edit", {"section_key": "problem_statement"}),
        ("post", "section_edit", {"section_key": "problem_statement"}),
        ("get", "designdoc_delete", {}),
        ("post", "designdoc_delete", {}),
    ],
)
def test_viewer_gets_403_on_every_edit_page_and_write(client, dave, doc, method, name, kwargs):
    client.force_login(dave)
    before = canonical_json(stored(doc))
    response = getattr(client, method)(
        url(name, slug=doc.slug, **kwargs), {"text": "Hacked", "version": "1", "title": "Hacked"}
    )
    assert response.status_code == 403
    assert DesignDoc.objects.filter(pk=doc.pk).exists()
    assert canonical_json(stored(doc)) == before


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["designdoc_add", "designdoc_import"])
def test_viewer_may_not_create_or_import(client, dave, team, method, name):
    client.force_login(dave)
    response = getattr(client, method)(url(name), {"title": "Mine", "owner_team": team.slug})
    assert response.status_code == 403
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, kwargs", DOC_PAGES)
def test_user_without_a_role_gets_404_for_a_doc_they_cannot_see(
    client, user_without_role, doc, name, kwargs
):
    client.force_login(user_without_role)
    response = client.get(url(name, slug=doc.slug, **kwargs) + "?from=1&to=1")
    assert response.status_code == 404
    assert doc.title not in text_of(response)


@pytest.mark.django_db
def test_user_without_a_role_gets_404_on_writes_too(client, user_without_role, doc):
    client.force_login(user_without_role)
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": "x", "version": "1"},
    )
    assert response.status_code == 404
    assert client.post(url("designdoc_delete", slug=doc.slug)).status_code == 404
    assert DesignDoc.objects.filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_product_owner_of_another_team_reads_but_may_not_edit(client, other_team_po, doc):
    client.force_login(other_team_po)
    page = text_of(client.get(doc.get_absolute_url()))
    assert doc.title in page and url("designdoc_edit", slug=doc.slug) not in page
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": "Hijacked", "version": str(doc.version)},
    )
    assert response.status_code == 403
    assert stored(doc)["problem_statement"] != "Hijacked"


@pytest.mark.django_db
def test_team_member_edits_but_may_neither_create_nor_delete(client, designdoc_team_member, doc):
    client.force_login(designdoc_team_member)
    page = text_of(client.get(doc.get_absolute_url()))
    assert url("designdoc_edit", slug=doc.slug) in page
    assert url("designdoc_delete", slug=doc.slug) not in page
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="open_questions"),
        {"text": "Who owns the fallback?", "version": str(doc.version), "message": "By Frank"},
    )
    assert response.status_code == 302
    assert stored(doc)["open_questions"] == "Who owns the fallback?"
    assert client.get(url("designdoc_add")).status_code == 403
    assert client.post(url("designdoc_delete", slug=doc.slug)).status_code == 403


@pytest.mark.django_db
def test_create_buttons_show_only_to_people_who_may_create(client, alice, team, dave):
    client.force_login(alice)
    page = text_of(client.get(url("designdoc_list")))
    assert url("designdoc_add") in page and url("designdoc_import") in page
    client.force_login(dave)
    page = text_of(client.get(url("designdoc_list")))
    assert url("designdoc_add") not in page


@pytest.mark.django_db
def test_create_offers_only_the_teams_the_product_owner_belongs_to(client, alice, team):
    TeamFactory(name="Elsewhere", slug="elsewhere")
    client.force_login(alice)
    page = text_of(client.get(url("designdoc_add")))
    assert 'value="fraud-detection"' in page
    assert "elsewhere" not in page
    response = client.post(url("designdoc_add"), {"title": "Sneaky", "owner_team": "elsewhere"})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
def test_superuser_may_create_for_any_team(client, superuser, team):
    client.force_login(superuser)
    response = client.post(url("designdoc_add"), {"title": "Admin doc", "owner_team": team.slug})
    assert response.status_code == 302
    assert DesignDoc.objects.get().owner_team == team


@pytest.mark.django_db
def test_product_owner_in_no_team_is_told_to_join_one(client):
    loner = UserFactory(username="loner", roles=[roles.PRODUCT_OWNERS])
    client.force_login(loner)
    page = text_of(client.get(url("designdoc_add")))
    assert "not yet a member of any team" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]


# --- the authoring flow (acceptance) ---------------------------------------------------------


@pytest.mark.django_db
def test_alice_creates_fills_every_section_saves_twice_and_compares_revisions(
    client, alice, bob, team
):
    client.force_login(alice)

    # Create: title and team only, then the editor.
    response = client.post(
        url("designdoc_add"), {"title": "Churn prediction", "owner_team": team.slug}
    )
    doc = DesignDoc.objects.get()
    assert response["Location"] == url("designdoc_edit", slug=doc.slug)
    editor = text_of(client.get(response["Location"]))
    assert "0 of 10 required sections" in editor
    assert "Problem statement" in editor and "Monitoring contract" in editor

    narratives = {
        "problem_statement": "Customers leave **without warning**.",
        "business_value": "Keep 2% more subscribers: about 1 M EUR a year.",
        "architecture": "A weekly batch scores every subscriber.",
        "data": "Two years of usage logs; no free-text fields.",
        "deployment_constraints": "Scores ready by Monday 06:00.",
        "alternatives": "Rules on inactivity: 40% recall.",
        "open_questions": "Do we contact low-value customers?",
    }
    for key, text in narratives.items():
        version = hidden_version(
            text_of(client.get(url("section_edit", slug=doc.slug, section_key=key)))
        )
        response = client.post(
            url("section_edit", slug=doc.slug, section_key=key),
            {"text": text, "version": version, "message": f"Wrote {key}"},
        )
        assert response.status_code == 302, text_of(response)

    row_sections = {
        "success_criteria": [
            {
                "metric": "Recall at top 10%",
                "baseline": "40%",
                "target": "60%",
                "measurement": "Monthly",
            }
        ],
        "raci": [
            {"activity": "Train", "person": "alice", "team": "", "role": "A"},
            {"activity": "Train", "person": "", "team": team.slug, "role": "R"},
            {"activity": "Train", "person": "bob", "team": "", "role": "C"},
        ],
        "risks": [
            {
                "title": "Label leakage",
                "category": "model",
                "likelihood": "4",
                "impact": "4",
                "mitigation": "Time-split validation",
                "owner": "alice",
                "status": "open",
            },
            {
                "title": "Biased against new customers",
                "category": "fairness",
                "likelihood": "2",
                "impact": "2",
                "mitigation": "",
                "owner": "",
                "status": "",
            },
        ],
        "monitoring": [
            {
                "metric": "Recall",
                "threshold": "< 50% for 2 weeks",
                "cadence": "weekly",
                "alert_owner": "#churn-oncall",
                "fallback": "Rules on inactivity",
                "stakeholders": "CRM lead",
            }
        ],
    }
    for key, rows in row_sections.items():
        version = hidden_version(
            text_of(client.get(url("section_edit", slug=doc.slug, section_key=key)))
        )
        response = client.post(
            url("section_edit", slug=doc.slug, section_key=key),
            rows_post(key, rows, version=version),
        )
        assert response.status_code == 302, text_of(response)
        page = text_of(client.get(response["Location"]))
        assert "Saved as revision" in page

    details = text_of(client.get(url("designdoc_edit", slug=doc.slug)))
    response = client.post(
        url("designdoc_edit", slug=doc.slug),
        {
            "title": "Churn prediction",
            "owner_team": team.slug,
            "stage": "model_training",
            "risk_tier": "limited",
            "co_authors": "bob",
            "version": hidden_version(details),
            "message": "Stage and tier",
        },
    )
    assert response.status_code == 302

    content = stored(doc)
    assert {k: content[k] for k in narratives} == narratives
    assert content["raci"][2] == {"activity": "Train", "person": "bob", "team": "", "role": "C"}
    assert content["risks"][1]["status"] == "open"  # blank status takes the default
    assert content["risks"][0]["likelihood"] == 4
    assert (content["stage"], content["risk_tier"], content["co_authors"]) == (
        "model_training",
        "limited",
        ["bob"],
    )

    # Save twice more (the brief's "save twice"), then compare the two revisions.
    for text in ("Customers leave without warning.", "Customers leave silently, without warning."):
        version = hidden_version(
            text_of(client.get(url("section_edit", slug=doc.slug, section_key="problem_statement")))
        )
        response = client.post(
            url("section_edit", slug=doc.slug, section_key="problem_statement"),
            {"text": text, "version": version},
            follow=True,
        )
        latest = DesignDoc.objects.get(pk=doc.pk).revision_number
        assert f"Saved as revision {latest}" in text_of(response)
    doc.refresh_from_db()
    assert doc.revision_number == 1 + len(narratives) + len(row_sections) + 1 + 2

    history = text_of(client.get(url("revision_list", slug=doc.slug)))
    assert "Wrote problem_statement" in history and "Stage and tier" in history
    response = client.get(
        url("revision_diff", slug=doc.slug),
        {"rev": [str(doc.revision_number), str(doc.revision_number - 1)]},
    )
    assert response["Location"] == (
        f"{url('revision_diff', slug=doc.slug)}?from={doc.revision_number - 1}&to={doc.revision_number}"
    )
    diff = text_of(client.get(response["Location"]))
    assert "leave<ins> silently,</ins> without" in diff
    assert "1 of 13 parts changed" in diff

    # The read view shows every section: RACI as a matrix, risks on the heat map.
    page = text_of(client.get(doc.get_absolute_url()))
    assert '<abbr class="raci raci--C" title="Consulted">C</abbr>' in page
    assert "10 of 10 required sections" not in page  # complete: no warning
    assert "Still empty" not in page
    assert "Label leakage" in page and "Recall at top 10%" in page and "#churn-oncall" in page


# --- validation next to the row at fault -----------------------------------------------------


@pytest.mark.django_db
def test_high_risk_without_mitigation_or_owner_is_marked_in_its_row_and_input_is_kept(
    client, alice, doc
):
    client.force_login(alice)
    before = canonical_json(stored(doc))
    rows = [
        risk_row("Fine risk", likelihood=1, impact=1),
        risk_row("Vendor lock-in", category="operational", likelihood=5, impact=5),
    ]
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="risks"),
        rows_post("risks", rows, version=doc.version, message="Add lock-in"),
    )
    page = text_of(response)
    assert response.status_code == 400
    assert "Nothing was saved" in page
    row = table_row_with(page, "risks-1-title")
    assert 'class="row--error"' in row
    assert "a mitigation is required" in cell_with(row, "risks-1-mitigation")
    assert "an owner is required" in cell_with(row, "risks-1-owner")
    assert 'value="Vendor lock-in"' in row  # the user's input is still there
    assert "row--error" not in table_row_with(page, "risks-0-title")
    assert 'value="Add lock-in"' in page
    assert canonical_json(stored(doc)) == before


@pytest.mark.django_db
def test_errors_follow_the_rows_kept_when_a_blank_row_is_dropped(client, alice, doc):
    client.force_login(alice)
    rows = [
        {"activity": "", "person": "", "team": "", "role": ""},  # blank: dropped
        {"activity": "Deploy", "person": "alice", "team": "", "role": "A"},
        {"activity": "Deploy", "person": "bob", "team": "", "role": "A"},
    ]
    bob = UserFactory(username="bob", roles=[roles.ARCHITECTS])
    assert bob.pk
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="raci"),
        rows_post("raci", rows, version=doc.version),
    )
    page = text_of(response)
    # The domain says "raci.1.role" (second kept row) = the third row shown.
    assert "has 2 Accountable" in cell_with(table_row_with(page, "raci-2-role"), "raci-2-role")
    assert "Accountable" not in re.sub(
        r"<select.*?</select>", "", table_row_with(page, "raci-1-role"), flags=re.S
    )
    assert stored(doc)["raci"] != [rows[1], rows[2]]


@pytest.mark.django_db
def test_raci_row_naming_no_party_is_refused_next_to_the_person(client, alice, doc):
    client.force_login(alice)
    rows = [{"activity": "Run", "person": "", "team": "", "role": "A"}]
    page = text_of(
        client.post(
            url("section_edit", slug=doc.slug, section_key="raci"),
            rows_post("raci", rows, version=doc.version),
        )
    )
    cell = cell_with(table_row_with(page, "raci-0-person"), "raci-0-person")
    assert "name a person or a team" in cell
    assert 'aria-invalid="true"' in cell


@pytest.mark.django_db
def test_unknown_username_is_refused_next_to_the_owner_field(client, alice, doc):
    client.force_login(alice)
    rows = [risk_row("Drift", likelihood=2, impact=2, owner="nobody")]
    page = text_of(
        client.post(
            url("section_edit", slug=doc.slug, section_key="risks"),
            rows_post("risks", rows, version=doc.version),
        )
    )
    assert "no active user “nobody”" in unescape(
        cell_with(table_row_with(page, "risks-0-owner"), "risks-0-owner")
    )


@pytest.mark.django_db
def test_likelihood_outside_1_to_5_posted_by_hand_is_refused_in_its_cell(client, alice, doc):
    client.force_login(alice)
    rows = [risk_row("Drift", likelihood=9, impact=2)]
    before = canonical_json(stored(doc))
    page = text_of(
        client.post(
            url("section_edit", slug=doc.slug, section_key="risks"),
            rows_post("risks", rows, version=doc.version),
        )
    )
    assert "Risks, row 1: likelihood must be between 1 and 5 (not 9)." in cell_with(
        table_row_with(page, "risks-0-likelihood"), "risks-0-likelihood"
    )
    assert canonical_json(stored(doc)) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tampered", "cell", "message"),
    [
        ({"likelihood": "9"}, "risks-0-likelihood", "likelihood must be between 1 and 5"),
        ({"likelihood": "often"}, "risks-0-likelihood", "likelihood must be a whole number"),
        ({"category": "weather"}, "risks-0-category", "category must be one of"),
        ({"status": "forgotten"}, "risks-0-status", "status must be one of"),
    ],
)
def test_a_tampered_choice_is_reported_with_every_other_rows_errors_in_one_answer(
    client, alice, doc, tampered, cell, message
):
    client.force_login(alice)
    rows = [
        risk_row("Drift", likelihood=2, impact=2),
        risk_row("Leak", likelihood=5, impact=5, owner="alice"),  # very high, no mitigation
    ]
    data = rows_post("risks", rows, version=doc.version)
    data.update({f"risks-0-{name}": value for name, value in tampered.items()})
    before = canonical_json(stored(doc))

    response = client.post(url("section_edit", slug=doc.slug, section_key="risks"), data)

    page = unescape(text_of(response))
    assert response.status_code == 400
    assert message in cell_with(table_row_with(page, cell), cell)
    assert "a mitigation is required" in cell_with(
        table_row_with(page, "risks-1-mitigation"), "risks-1-mitigation"
    )
    assert canonical_json(stored(doc)) == before


@pytest.mark.django_db
def test_section_over_the_size_limit_is_refused_next_to_the_text(client, alice, doc, settings):
    settings.MARKDOWN_MAX_BYTES = 1024
    client.force_login(alice)
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="data"),
        {"text": "x" * 2048, "version": doc.version},
    )
    page = text_of(response)
    assert "at most 1 KB" in page
    assert re.search(r'field-error" id="id_text_error">.*at most 1 KB', page, re.S)
    assert textarea_value(page, "text") == "x" * 2048


@pytest.mark.django_db
def test_details_errors_are_shown_next_to_their_field(client, alice, doc):
    client.force_login(alice)
    response = client.post(
        url("designdoc_edit", slug=doc.slug),
        {
            "title": "Demand forecasting",
            "owner_team": doc.owner_team.slug,
            "stage": "model_training",
            "risk_tier": "limited",
            "co_authors": "ghost",
            "version": doc.version,
        },
    )
    page = unescape(text_of(response))
    assert re.search(r'id="id_co_authors_error">.*no active user “ghost”', page, re.S)
    assert stored(doc)["co_authors"] == []


# --- no lost edits ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_stale_save_keeps_the_users_text_shows_the_stored_one_and_a_second_save_succeeds(
    client, alice, designdoc_team_member, doc
):
    client.force_login(alice)
    opened_at = hidden_version(
        text_of(client.get(url("section_edit", slug=doc.slug, section_key="problem_statement")))
    )
    designdoc_update(
        doc=doc,
        user=designdoc_team_member,
        expected_version=opened_at,
        changes={"problem_statement": "Frank's version of the problem."},
        message="Frank was faster",
    )
    mine = "Alice's careful rewrite, <b>with</b> an hour of work in it."
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": mine, "version": opened_at, "message": "Alice's rewrite"},
    )
    page = text_of(response)
    assert response.status_code == 412
    assert textarea_value(page, "text") == mine
    assert 'class="conflict"' in page
    assert "Frank&#x27;s version of the problem." in page
    assert "by frank" in page
    assert hidden_version(page) == opened_at + 1
    assert 'data-warn-unsaved="dirty"' in page
    assert stored(doc)["problem_statement"] == "Frank's version of the problem."

    merged = "Frank's version of the problem. " + mine
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": merged, "version": hidden_version(page), "message": "Merged"},
    )
    assert response.status_code == 302
    assert stored(doc)["problem_statement"] == merged


@pytest.mark.django_db
def test_stale_save_of_rows_keeps_the_users_rows_beside_the_stored_rows(
    client, alice, designdoc_team_member, doc
):
    client.force_login(alice)
    designdoc_update(
        doc=doc,
        user=designdoc_team_member,
        expected_version=doc.version,
        changes={"monitoring": []},
    )
    rows = [
        {
            "metric": "Alice's latency",
            "threshold": "p99 > 300 ms",
            "cadence": "hourly",
            "alert_owner": "#oncall",
            "fallback": "",
            "stakeholders": "",
        }
    ]
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="monitoring"),
        rows_post("monitoring", rows, version=doc.version),
    )
    page = text_of(response)
    assert response.status_code == 412
    assert 'value="Alice&#x27;s latency"' in page
    assert "conflict__theirs" in page and "Not written yet" in page  # stored: empty now
    assert hidden_version(page) == doc.version + 1
    assert stored(doc)["monitoring"] == []


@pytest.mark.django_db
def test_stale_details_save_keeps_the_users_values(client, alice, designdoc_team_member, doc):
    client.force_login(alice)
    designdoc_update(
        doc=doc,
        user=designdoc_team_member,
        expected_version=doc.version,
        changes={"title": "Renamed"},
    )
    response = client.post(
        url("designdoc_edit", slug=doc.slug),
        {
            "title": "Alice's title",
            "owner_team": doc.owner_team.slug,
            "stage": "deployment",
            "risk_tier": "high",
            "co_authors": "",
            "version": doc.version,
        },
    )
    page = text_of(response)
    assert response.status_code == 412
    assert 'value="Alice&#x27;s title"' in page
    assert "Renamed" in page
    assert hidden_version(page) == doc.version + 1
    assert stored(doc)["title"] == "Renamed"


@pytest.mark.django_db
def test_saving_unchanged_content_says_so_and_makes_no_revision(client, alice, doc):
    client.force_login(alice)
    before = doc.revision_number
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": stored(doc)["problem_statement"], "version": doc.version},
        follow=True,
    )
    assert "No changes to save" in text_of(response)
    assert DesignDoc.objects.get(pk=doc.pk).revision_number == before


@pytest.mark.django_db
def test_save_and_next_opens_the_next_section(client, alice, doc):
    client.force_login(alice)
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="problem_statement"),
        {"text": "New problem.", "version": doc.version, "save_next": "1"},
    )
    assert response["Location"] == url("section_edit", slug=doc.slug, section_key="business_value")


@pytest.mark.django_db
def test_add_row_without_javascript_returns_a_blank_row_and_saves_nothing(client, alice, doc):
    client.force_login(alice)
    before = doc.revision_number
    rows = stored(doc)["success_criteria"]
    response = client.post(
        url("section_edit", slug=doc.slug, section_key="success_criteria"),
        rows_post("success_criteria", rows, version=doc.version, add_row="1"),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert f'name="success_criteria-{len(rows)}-metric"' in page
    assert f'name="success_criteria-TOTAL_FORMS" value="{len(rows) + 1}"' in page
    assert DesignDoc.objects.get(pk=doc.pk).revision_number == before


@pytest.mark.django_db
def test_editor_rows_offer_the_js_row_template_and_datalists(client, alice, doc):
    client.force_login(alice)
    page = text_of(client.get(url("section_edit", slug=doc.slug, section_key="raci")))
    template = re.search(r'<template data-row-template="raci">(.*?)</template>', page, re.S)
    assert template is not None
    template = template.group(1)
    assert 'name="raci-__index__-activity"' in template
    assert 'data-rows="raci"' in page and 'data-add-row="raci"' in page
    assert '<datalist id="registry-usernames">' in page and '<option value="alice">' in page
    assert '<datalist id="registry-team-slugs">' in page


@pytest.mark.django_db
def test_narrative_editor_has_live_preview_wiring(client, alice, doc):
    client.force_login(alice)
    page = text_of(client.get(url("section_edit", slug=doc.slug, section_key="data")))
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert f'hx-post="{url("markdown_preview")}"' in textarea
    assert 'hx-trigger="keyup changed delay:400ms"' in textarea
    assert 'hx-target="#markdown-preview"' in textarea
    assert 'id="markdown-preview"' in page
    assert "data-warn-unsaved" in page


@pytest.mark.django_db
def test_unknown_section_is_404(client, alice, doc):
    client.force_login(alice)
    assert client.get(url("section_edit", slug=doc.slug, section_key="nope")).status_code == 404


# --- preview and read view ------------------------------------------------------------------

XSS = (
    "<script>window.__xss=1</script>\n\n"
    '<img src=x onerror="window.__xss=1">\n\n'
    "[click](javascript:window.__xss=1)\n\n"
    "<svg onload=window.__xss=1></svg>\n\n"
    "<iframe src=javascript:window.__xss=1></iframe>\n\n"
    "**bold**"
)


def assert_inert(html: str) -> None:
    """No element that runs code: the attempts may only survive as escaped text."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    for tag in tags:
        assert not re.match(r"<(script|img|svg|iframe|object|embed|style)\b", tag, re.I), tag
        assert not re.search(r"\son\w+\s*=", tag, re.I), tag
        assert "javascript:" not in tag.lower(), tag


@pytest.mark.django_db
def test_markdown_preview_returns_the_sanitised_html_of_the_posted_text(client, alice):
    client.force_login(alice)
    response = client.post(url("markdown_preview"), {"text": XSS}, HTTP_HX_REQUEST="true")
    html = text_of(response)
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "&lt;script&gt;" in html
    assert_inert(html)
    assert "<html" not in html  # a fragment, not a page


@pytest.mark.django_db
def test_markdown_preview_refuses_oversize_text_with_a_message(client, alice, settings):
    settings.MARKDOWN_MAX_BYTES = 1024
    client.force_login(alice)
    html = text_of(client.post(url("markdown_preview"), {"text": "y" * 4096}))
    assert "at most 1 KB" in html and "yyyy" not in html


@pytest.mark.django_db
def test_markdown_preview_only_answers_post(client, alice):
    client.force_login(alice)
    assert client.get(url("markdown_preview")).status_code == 405


@pytest.mark.django_db
def test_read_view_renders_markdown_through_the_sanitiser(client, alice, doc):
    designdoc_update(
        doc=doc, user=alice, expected_version=doc.version, changes={"problem_statement": XSS}
    )
    client.force_login(alice)
    page = text_of(client.get(doc.get_absolute_url()))
    section = page.split('id="section-problem-statement"', 1)[1].split("</section>", 1)[0]
    assert "<strong>bold</strong>" in section
    assert_inert(section)


@pytest.mark.django_db
def test_read_view_shows_the_raci_as_a_matrix_with_headers(client, alice, team, doc):
    client.force_login(alice)
    page = text_of(client.get(doc.get_absolute_url()))
    matrix = re.search(r'<table class="table raci-matrix">.*?</table>', page, re.S).group(0)
    assert '<th scope="col">Activity</th>' in matrix
    assert re.search(r'<th scope="col"[^>]*>Alice</th>', matrix)
    assert re.search(
        rf'<th scope="col"[^>]*>{team.name} <span class="muted small">\(team\)', matrix
    )
    row = re.search(r'<th scope="row">Approve design</th>(.*?)</tr>', matrix, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert 'title="Accountable">A</abbr>' in cells[0]
    assert 'title="Responsible">R</abbr>' in cells[1]


@pytest.mark.django_db
def test_read_view_heat_map_counts_risks_in_their_cells(client, alice, doc):
    client.force_login(alice)
    page = unescape(text_of(client.get(doc.get_absolute_url())))
    heatmap = re.search(r'<table class="heatmap">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", heatmap, re.S)[1:]
    assert len(rows) == 5
    assert "Likelihood </span>5" in rows[0] and "Likelihood </span>1" in rows[4]
    # Full content: one risk at (2, 2) and one at (4, 4).
    l4 = re.findall(r"<td class=\"heatmap__cell (.*?)</td>", rows[1], re.S)
    assert "heatmap__cell--high heatmap__cell--filled" in l4[3]
    assert '<span class="heatmap__count">1</span>' in l4[3]
    assert "Likelihood 4 (high), impact 4 (high): high level, 1 risk" in l4[3]
    assert "Promotions calendar arrives late" in l4[3]
    assert '<span class="heatmap__count">0</span>' in l4[0]
    assert page.count("heatmap__cell--filled") == 2
    assert "16 <span" in page  # score 4 x 4


@pytest.mark.django_db
def test_read_view_names_the_required_sections_still_empty(client, alice, team):
    doc = DesignDocFactory(title="Half done", product_owner=alice, owner_team=team)
    client.force_login(alice)
    page = text_of(client.get(doc.get_absolute_url()))
    assert "0 of 10 required sections written" in page
    assert url("section_edit", slug=doc.slug, section_key="risks") in page


@pytest.mark.django_db
def test_editor_meter_counts_required_sections_and_names_the_empty_ones(client, alice, team):
    doc = DesignDocFactory(
        title="Partly", product_owner=alice, owner_team=team, content={"problem_statement": "Why."}
    )
    client.force_login(alice)
    page = unescape(text_of(client.get(url("designdoc_edit", slug=doc.slug))))
    assert "1 of 10 required sections" in page
    missing = re.search(r'<p class="meter__missing">(.*?)</p>', page, re.S).group(1)
    assert "Business value" in missing and "Monitoring contract" in missing
    assert "Problem statement" not in missing and "Open questions" not in missing
    assert 'value="1"' in re.search(r"<meter[^>]*>", page).group(0)


# --- history, revisions, diff ---------------------------------------------------------------


@pytest.fixture
def revised_doc(alice, doc):
    designdoc_update(
        doc=doc,
        user=alice,
        expected_version=doc.version,
        changes={
            "problem_statement": "Stores order far too much fresh produce; waste is 9% of sales.",
            "risks": [*content_of(doc)["risks"], risk_row("New risk", likelihood=3, impact=3)],
            "stage": "deployment",
        },
        message="Sharper problem, one more risk",
    )
    return DesignDoc.objects.get(pk=doc.pk)


@pytest.mark.django_db
def test_history_lists_revisions_with_author_and_message(client, alice, revised_doc):
    client.force_login(alice)
    page = text_of(client.get(url("revision_list", slug=revised_doc.slug)))
    assert "Revision 2" in page and "Revision 1" in page
    assert "Sharper problem, one more risk" in page and "Alice" in page
    assert page.count("data-compare") == 3  # two checkboxes and the submit button
    assert "<time" in page


@pytest.mark.django_db
def test_picking_other_than_two_revisions_explains_and_goes_back(client, alice, revised_doc):
    client.force_login(alice)
    response = client.get(url("revision_diff", slug=revised_doc.slug), {"rev": ["1"]}, follow=True)
    assert "Pick exactly two revisions" in text_of(response)
    response = client.get(url("revision_diff", slug=revised_doc.slug), follow=True)
    assert "Pick two revisions" in text_of(response)


@pytest.mark.django_db
def test_diff_highlights_words_rows_and_fields_and_collapses_unchanged_sections(
    client, alice, revised_doc
):
    client.force_login(alice)
    page = text_of(client.get(url("revision_diff", slug=revised_doc.slug), {"from": 1, "to": 2}))
    assert "Stores order<ins> far</ins> too much" in page
    assert re.search(r'<tr class="diff-row--added">.*?New risk', page, re.S)
    risks = page.split('id="diff-risks"', 1)[1].split("</section>", 1)[0]
    assert risks.count('class="diff-row--unchanged"') == 2  # the two existing risks
    assert "1 added, 0 removed, 0 changed, 2 unchanged" in risks
    assert "<del>Model training</del>" in page and "<ins>Deployment</ins>" in page
    assert re.search(r'<details class="diff-section diff-section--unchanged" id="diff-data">', page)
    assert "3 of 13 parts changed" in page


@pytest.mark.django_db
def test_revision_page_shows_that_revisions_content_read_only(client, alice, revised_doc):
    client.force_login(alice)
    page = text_of(client.get(url("revision", slug=revised_doc.slug, number=1)))
    assert "waste is 9% of sales" in page and "far too much" not in page
    assert "An older version, read-only" in page
    assert url("section_edit", slug=revised_doc.slug, section_key="risks") not in page
    assert "New risk" not in page
    current = text_of(client.get(url("revision", slug=revised_doc.slug, number=2)))
    assert "New risk" in current and "This is the current version" in current


@pytest.mark.django_db
def test_unknown_revision_is_404(client, alice, doc):
    client.force_login(alice)
    assert client.get(url("revision", slug=doc.slug, number=99)).status_code == 404
    response = client.get(url("revision_diff", slug=doc.slug), {"from": 1, "to": 99})
    assert response.status_code == 404


# --- export, import, delete -----------------------------------------------------------------


@pytest.mark.django_db
def test_export_downloads_the_markdown_file(client, dave, doc):
    client.force_login(dave)
    response = client.get(url("designdoc_export_markdown", slug=doc.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{doc.slug}.md"'
    assert response.content.decode() == export_markdown(content_of(doc))


@pytest.mark.django_db
def test_importing_an_exported_file_creates_the_same_document(client, alice, doc):
    client.force_login(alice)
    exported = client.get(url("designdoc_export_markdown", slug=doc.slug)).content
    upload = SimpleUploadedFile("copy.md", exported, content_type="text/markdown")
    # Same title as the original: a second doc only on purpose.
    response = client.post(url("designdoc_import"), {"file": upload, "allow_duplicate_title": "on"})
    assert response.status_code == 302
    copy = DesignDoc.objects.exclude(pk=doc.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert canonical_json(content_of(copy)) == canonical_json(content_of(doc))


BAD_FILES = [
    ("no front matter", "# Just a heading\n", "Line 1:"),
    (
        "broken YAML",
        "---\ntitle: Broken\nowner_team: fraud-detection\nrisks: [unclosed\n---\n",
        "Line 4:",
    ),
    (
        "likelihood out of range",
        "---\ntitle: Out of range\nowner_team: fraud-detection\nrisks:\n- title: Drift\n"
        "  category: data\n  likelihood: 9\n  impact: 2\n---\n",
        "Line 7:",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label, text, line", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_import_of_a_bad_file_names_its_line_and_creates_nothing(
    client, alice, team, label, text, line
):
    client.force_login(alice)
    events = AuditEvent.objects.count()
    upload = SimpleUploadedFile("bad.md", text.encode(), content_type="text/markdown")
    response = client.post(url("designdoc_import"), {"file": upload})
    page = text_of(response)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    errors = re.search(r'<div class="form-error import-errors".*?</div>', page, re.S).group(0)
    assert line in errors, errors
    assert not DesignDoc.objects.exists() and not Revision.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_import_of_a_file_that_is_not_utf8_is_refused(client, alice, team):
    client.force_login(alice)
    upload = SimpleUploadedFile("latin1.md", "---\ntitle: Café\n---\n".encode("latin-1"))
    page = text_of(client.post(url("designdoc_import"), {"file": upload}))
    assert "not UTF-8" in page
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
def test_import_for_a_team_the_user_is_not_in_is_403_and_creates_nothing(client, alice, team):
    TeamFactory(name="Elsewhere", slug="elsewhere")
    client.force_login(alice)
    text = "---\ntitle: Not mine\nowner_team: elsewhere\n---\n"
    upload = SimpleUploadedFile("x.md", text.encode())
    response = client.post(url("designdoc_import"), {"file": upload})
    assert response.status_code == 403
    assert "owner_team" in text_of(response)
    assert not DesignDoc.objects.exists()


@pytest.mark.django_db
def test_product_owner_deletes_after_a_confirmation_page(client, alice, doc):
    client.force_login(alice)
    confirm = text_of(client.get(url("designdoc_delete", slug=doc.slug)))
    assert "cannot be undone" in confirm and 'method="post"' in confirm
    assert DesignDoc.objects.filter(pk=doc.pk).exists()
    response = client.post(url("designdoc_delete", slug=doc.slug), follow=True)
    assert not DesignDoc.objects.filter(pk=doc.pk).exists()
    assert "Deleted “Demand forecasting”" in text_of(response)
    assert AuditEvent.objects.filter(action="designdoc.delete").count() == 1


# --- list ---------------------------------------------------------------------------------


@pytest.fixture
def portfolio(alice, team):
    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    grace = UserFactory(username="grace", roles=[roles.PRODUCT_OWNERS])
    return {
        "mine": DesignDocFactory(
            title="Churn model",
            product_owner=alice,
            owner_team=team,
            content={"stage": "deployment"},
        ),
        "risky": DesignDocFactory(
            title="Credit scoring",
            product_owner=grace,
            owner_team=other,
            content={
                "risk_tier": "high",
                "problem_statement": "Decide loans with gradient boosting.",
            },
        ),
        "plain": DesignDocFactory(title="Assortment", product_owner=grace, owner_team=other),
    }


def titles_in(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/designdocs/[^"]+/">([^<]+)</a></th>', page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"Churn model", "Credit scoring", "Assortment"}),
        ({"team": "pricing-ml"}, {"Credit scoring", "Assortment"}),
        ({"stage": "deployment"}, {"Churn model"}),
        ({"risk_tier": "high"}, {"Credit scoring"}),
        ({"status": "draft"}, {"Churn model", "Credit scoring", "Assortment"}),
        ({"mine": "on"}, {"Churn model"}),
        ({"q": "gradient boosting"}, {"Credit scoring"}),
        ({"team": "no-such-team"}, set()),  # the filter's error shows instead, like the API's 400
    ],
)
def test_list_filters_through_the_url(client, alice, portfolio, query, expected):
    client.force_login(alice)
    page = unescape(text_of(client.get(url("designdoc_list"), query)))
    assert set(titles_in(page)) == expected


@pytest.mark.django_db
def test_list_sorts_through_the_url_and_marks_the_sorted_column(client, alice, portfolio):
    client.force_login(alice)
    page = text_of(client.get(url("designdoc_list"), {"sort": "title"}))
    assert titles_in(page) == ["Assortment", "Churn model", "Credit scoring"]
    assert 'aria-sort="ascending"><a href="?sort=-title">Title' in page
    page = text_of(client.get(url("designdoc_list"), {"sort": "-title"}))
    assert titles_in(page) == ["Credit scoring", "Churn model", "Assortment"]
    page = text_of(client.get(url("designdoc_list"), {"sort": "-risk"}))
    assert titles_in(page)[0] == "Credit scoring"


@pytest.mark.django_db
def test_list_row_shows_team_product_owner_badges_and_relative_time(client, alice, portfolio):
    client.force_login(alice)
    page = text_of(client.get(url("designdoc_list"), {"q": "Churn"}))
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S).group(0)
    assert "Fraud Detection" in row and "Alice" in row
    assert "badge--status-draft" in row and "badge--stage-deployment" in row
    assert "badge--tier-unclassified" in row  # nobody chose its tier yet
    assert "<time datetime=" in row


@pytest.mark.django_db
def test_list_empty_states_teach_what_to_do(client, alice, team, dave):
    client.force_login(alice)
    page = text_of(client.get(url("designdoc_list")))
    assert "No design docs yet" in page and url("designdoc_add") in page
    page = text_of(client.get(url("designdoc_list"), {"q": "nothing matches this"}))
    assert "No design doc matches these filters" in page and "Clear filters" in page
    client.force_login(dave)
    assert "Product owners write design docs" in text_of(client.get(url("designdoc_list")))


def _list_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("designdoc_list"), params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_list_runs_a_fixed_number_of_queries_for_5_or_30_docs(
    client, alice, team, django_assert_max_num_queries
):
    for n in range(5):
        DesignDocFactory(title=f"Doc {n}", product_owner=alice, owner_team=team)
    client.force_login(alice)
    with_five = _list_queries(client)
    # A text search adds a fixed few (registry.core.search ranks only its best candidates).
    searched = {"page": 1, "q": "Doc", "sort": "team"}
    with_five_searched = _list_queries(client, searched)
    for n in range(5, 30):
        DesignDocFactory(title=f"Doc {n}", product_owner=alice, owner_team=team)
    with django_assert_max_num_queries(with_five):
        response = client.get(url("designdoc_list"))
    assert len(titles_in(text_of(response))) == 25  # one full page
    with django_assert_max_num_queries(with_five_searched):
        client.get(url("designdoc_list"), {**searched, "page": 2})


# --- home and search ------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_puts_my_incomplete_drafts_first_naming_the_missing_sections(client, alice, team, doc):
    partial = DesignDocFactory(
        title="Half written",
        product_owner=alice,
        owner_team=team,
        content={"problem_statement": "Why."},
    )
    client.force_login(alice)
    page = unescape(text_of(client.get(reverse("home"))))
    action = page.split('id="action-title"', 1)[1].split("</section>", 1)[0]
    assert action.index("Half written") < action.index("Demand forecasting")
    assert "9 required sections empty:" in action
    assert "Business value" in action.split("Half written", 1)[1].split("</li>", 1)[0]
    assert url("designdoc_edit", slug=partial.slug) in action


@pytest.mark.django_db
def test_home_shows_recent_activity_in_my_teams_only(client, alice, team, doc):
    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    grace = UserFactory(username="grace", roles=[roles.PRODUCT_OWNERS])
    DesignDocFactory(title="Someone else's doc", product_owner=grace, owner_team=other)
    designdoc_update(doc=doc, user=alice, expected_version=1, changes={"data": "More data."})
    client.force_login(alice)
    page = unescape(text_of(client.get(reverse("home"))))
    activity = page.split('id="activity-title"', 1)[1].split("</section>", 1)[0]
    assert "Recent activity in your teams" in page
    assert "edited" in activity and "(revision 2)" in activity and "created" in activity
    assert "Someone else's doc" not in activity


@pytest.mark.django_db
def test_home_portfolio_counts_docs_per_stage_and_tier(client, dave, portfolio):
    client.force_login(dave)
    page = text_of(client.get(reverse("home")))
    assert re.search(
        r'\?stage=deployment">Deployment</a></th>.*?<td class="num">1</td>', page, re.S
    )
    assert re.search(
        r'\?risk_tier=high"[^>]*>High risk</a></th>.*?<td class="num">1</td>', page, re.S
    )
    assert "3 design docs" in page


@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries(client, alice, team, django_assert_max_num_queries):
    for n in range(3):
        DesignDocFactory(title=f"Doc {n}", product_owner=alice, owner_team=team)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(3, 15):
        doc = DesignDocFactory(title=f"Doc {n}", product_owner=alice, owner_team=team)
        designdoc_update(doc=doc, user=alice, expected_version=1, changes={"data": "x"})
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("home"))


@pytest.mark.django_db
def test_search_groups_results_with_counts_and_marks_the_matched_word(client, alice, portfolio):
    client.force_login(alice)
    page = text_of(client.get(reverse("search"), {"q": "boosting"}))
    assert "Design docs" in page and "Credit scoring" in page
    assert "with gradient <mark>boosting</mark>" in page
    assert re.search(r"Design docs</span><span class=\"badge badge--count\">1<", page)


@pytest.mark.django_db
def test_search_passage_escapes_what_the_author_wrote(client, alice, team):
    DesignDocFactory(
        title="Payload",
        product_owner=alice,
        owner_team=team,
        content={"problem_statement": 'Watch <img src=x onerror="alert(1)"> tokens closely.'},
    )
    client.force_login(alice)
    page = text_of(client.get(reverse("search"), {"q": "tokens"}))
    if connection.vendor == "postgresql":  # ts_headline leaves markup out of the passage
        assert "Watch <mark>tokens</mark> closely" in " ".join(page.split())
    else:
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>tokens</mark>" in page
    assert "<img src=x" not in page


@pytest.mark.django_db
def test_search_type_facet_keeps_only_that_group(client, alice, team, portfolio):
    client.force_login(alice)
    page = text_of(client.get(reverse("search"), {"q": "pricing", "type": "teams"}))
    assert 'id="group-teams"' in page and 'id="group-design-docs"' not in page
    assert 'aria-current="true"><span>Teams' in page


@pytest.mark.django_db
def test_search_without_words_explains_how(client, alice):
    client.force_login(alice)
    assert "Type a few words" in text_of(client.get(reverse("search")))


def test_every_section_has_a_read_partial():
    from django.template.loader import get_template

    from designdocs.presenters import SectionView

    for section in SECTIONS_BY_KEY.values():
        get_template(SectionView(section=section, value="").template)


@pytest.mark.django_db
def test_full_factory_doc_renders_every_page_for_its_author(client, alice, team):
    doc = FullDesignDocFactory(title="Every page", product_owner=alice, owner_team=team)
    client.force_login(alice)
    for name, kwargs in DOC_PAGES:
        response = client.get(url(name, slug=doc.slug, **kwargs), {"from": 1, "to": 1})
        assert response.status_code == 200, name


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["New", "Import", "Preview"])
def test_a_doc_titled_like_a_page_of_the_app_gets_a_reachable_address(client, alice, team, title):
    client.force_login(alice)
    client.post(url("designdoc_add"), {"title": title, "owner_team": team.slug})
    doc = DesignDoc.objects.get()
    assert doc.slug == f"{title.lower()}-2"
    assert title in text_of(client.get(doc.get_absolute_url()))


@pytest.mark.django_db
def test_a_save_without_its_version_is_refused_with_a_plain_message(client, alice, doc):
    client.force_login(alice)
    before = canonical_json(stored(doc))
    page = text_of(
        client.post(url("section_edit", slug=doc.slug, section_key="data"), {"text": "No version"})
    )
    assert "did not say which version" in page
    assert canonical_json(stored(doc)) == before


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["stage", "-risk", "team", "title", "-updated"])
def test_list_combines_mine_text_and_every_sort(client, alice, portfolio, sort):
    # "mine" makes the selector's query DISTINCT; ordering by an expression must survive it.
    client.force_login(alice)
    response = client.get(url("designdoc_list"), {"mine": "on", "sort": sort, "q": "Churn"})
    assert response.status_code == 200
    assert titles_in(text_of(response)) == ["Churn model"]


@pytest.mark.parametrize(
    "query", ["?rev=²&rev=1", "?from=²&to=1", "?from=1&to=99999999999999999999999"]
)
def test_hand_edited_revision_numbers_never_crash_the_diff_page(client, alice, doc, query):
    client.force_login(alice)
    response = client.get(url("revision_diff", slug=doc.slug) + query)
    assert response.status_code in (302, 404)
