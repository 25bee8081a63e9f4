"""What a new user tripped on, each reproduced: search counts, the import page's reason for
a refusal, not-yet-classified docs, a duplicate title."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designdocs import services
from designdocs.content import content_of
from designdocs.dashboard import portfolio
from designdocs.markdown_io import export_markdown, parse_markdown
from designdocs.models import DesignDoc
from tests.designdocs.factories import DesignDocFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def text_of(response) -> str:
    return response.content.decode()


def test_search_counts_every_result_and_pages_through_them(client, alice, team):
    for n in range(30):
        DesignDocFactory(title=f"Forecast model {n:02d}", owner_team=team)
    client.force_login(alice)

    first = text_of(client.get("/search/", {"q": "forecast"}))
    assert "30 results for “forecast”" in first
    typed = text_of(client.get("/search/", {"q": "forecast", "type": "design-docs"}))
    second = text_of(client.get("/search/", {"q": "forecast", "type": "design-docs", "page": 2}))
    shown = set(re.findall(r"Forecast model \d\d", typed)) | set(
        re.findall(r"Forecast model \d\d", second)
    )
    assert len(shown) == 30  # 20 on the first page, the other 10 on the second
    assert "page=2" in typed


def test_import_page_shows_the_services_reason_naming_the_product_owner(client, alice, bob, team):
    client.force_login(alice)
    text = f"---\ntitle: Handed over\nowner_team: {team.slug}\nproduct_owner: bob\n---\n"

    response = client.post(
        reverse("designdocs:designdoc_import"),
        {"file": SimpleUploadedFile("x.md", text.encode())},
    )

    assert response.status_code == 403
    assert "only an administrator may create one for “bob”" in text_of(response)
    assert not DesignDoc.objects.exists()


def test_a_new_doc_is_not_yet_classified_and_counted_apart(alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    DesignDocFactory(owner_team=team, content={"stage": "deployment", "risk_tier": "high"})

    assert (doc.stage, doc.risk_tier) == ("unclassified", "unclassified")
    result = portfolio(user=alice)
    assert result.stage_unclassified == 1 and result.risk_tier_unclassified == 1
    assert "unclassified" not in [value for value, _, _ in result.by_stage]
    assert dict((v, c) for v, _, c in result.by_stage)["deployment"] == 1
    assert result.total == 2


def test_the_details_form_neither_edits_the_stage_nor_the_tier_but_says_where_they_change(
    client, alice, team
):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    client.force_login(alice)
    edit = reverse("designdocs:designdoc_edit", kwargs={"slug": doc.slug})

    page = text_of(client.get(edit))
    assert 'name="stage"' not in page and 'name="risk_tier"' not in page
    assert "#lifecycle" in page and "#classification" in page


def test_the_badge_and_list_filter_say_not_yet_classified(client, alice, team):
    DesignDocFactory(title="Fresh", owner_team=team, product_owner=alice)
    DesignDocFactory(title="Sorted", owner_team=team, content={"risk_tier": "high"})
    client.force_login(alice)

    page = text_of(client.get(reverse("designdocs:designdoc_list"), {"risk_tier": "unclassified"}))

    assert "Fresh" in page and "Sorted" not in page
    assert "badge--tier-unclassified" in page and "Not yet classified" in page


def test_export_and_import_keep_not_yet_classified(alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    text = export_markdown(content_of(doc))

    assert "stage:" not in text and "risk_tier: unclassified" in text
    assert parse_markdown(text).content["risk_tier"] == "unclassified"
    imported = services.designdoc_import_markdown(user=alice, data=text.encode())
    assert (imported.stage, imported.risk_tier) == ("unclassified", "unclassified")


# --- a title that exists: a second doc only on purpose ---------------------------------------


@pytest.fixture
def existing(alice, team):
    return DesignDocFactory(title="Churn model", owner_team=team, product_owner=alice)


@pytest.fixture
def alice_api(token_client, alice):
    return token_client(alice)


def test_creating_a_doc_whose_title_exists_asks_first_and_creates_nothing(client, existing, team):
    client.force_login(existing.product_owner)
    url = reverse("designdocs:designdoc_add")

    asked = client.post(url, {"title": "  churn   MODEL ", "owner_team": team.slug})

    assert asked.status_code == 409
    page = text_of(asked)
    assert "A design doc with this title exists" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert 'name="allow_duplicate_title" value="1"' in page
    assert DesignDoc.objects.count() == 1


def test_create_another_anyway_makes_the_second_doc(client, existing, team):
    client.force_login(existing.product_owner)

    response = client.post(
        reverse("designdocs:designdoc_add"),
        {"title": "Churn model", "owner_team": team.slug, "allow_duplicate_title": "1"},
    )

    assert response.status_code == 302
    assert DesignDoc.objects.filter(title="Churn model").count() == 2


def test_api_create_of_an_existing_title_is_409_with_its_url(alice_api, existing, team):
    response = alice_api.post(
        "/api/designdocs/", {"title": "Churn model", "owner_team": team.slug}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_title" and "title" in body["errors"]
    url = f"http://testserver{existing.get_absolute_url()}"
    assert body["existing"] == [{"title": "Churn model", "url": url}]
    assert url in body["message"]
    assert DesignDoc.objects.count() == 1


def test_api_create_with_allow_duplicate_title_creates_it(alice_api, existing, team):
    body = {"title": "Churn model", "owner_team": team.slug, "allow_duplicate_title": True}

    assert alice_api.post("/api/designdocs/", body, format="json").status_code == 201
    assert DesignDoc.objects.filter(title="Churn model").count() == 2
    refused = alice_api.post(
        "/api/designdocs/", {**body, "allow_duplicate_title": "perhaps"}, format="json"
    )
    assert refused.status_code == 400 and "allow_duplicate_title" in refused.json()["errors"]


def test_api_import_of_an_existing_title_is_409_unless_allowed(alice_api, existing):
    text = export_markdown(content_of(existing))

    refused = alice_api.post("/api/designdocs/import/", {"markdown": text}, format="json")
    allowed = alice_api.post(
        "/api/designdocs/import/",
        {"markdown": text, "allow_duplicate_title": True},
        format="json",
    )

    assert refused.status_code == 409 and refused.json()["code"] == "duplicate_title"
    assert allowed.status_code == 201
    assert DesignDoc.objects.filter(title="Churn model").count() == 2


def test_import_page_asks_before_importing_an_existing_title(client, existing):
    client.force_login(existing.product_owner)
    url = reverse("designdocs:designdoc_import")
    text = export_markdown(content_of(existing)).encode()

    asked = client.post(url, {"file": SimpleUploadedFile("doc.md", text)})
    assert asked.status_code == 409
    assert "A design doc with this title exists" in text_of(asked)
    assert 'name="allow_duplicate_title"' in text_of(asked)
    assert DesignDoc.objects.count() == 1

    done = client.post(
        url, {"file": SimpleUploadedFile("doc.md", text), "allow_duplicate_title": "on"}
    )
    assert done.status_code == 302
    assert DesignDoc.objects.filter(title="Churn model").count() == 2


def test_import_of_a_foreign_file_asks_before_using_an_existing_title(client, existing, team):
    client.force_login(existing.product_owner)
    url = reverse("designdocs:designdoc_import")
    confirm = {"markdown": "# Notes\n\n## Data\n\nx", "owner_team": team.slug, "title": ""}

    asked = client.post(url, {**confirm, "title": "Churn Model"})
    assert asked.status_code == 409 and "A design doc with this title exists" in text_of(asked)
    assert DesignDoc.objects.count() == 1
    assert client.post(url, {**confirm, "title": "Churn Model", "allow_duplicate_title": "on"})[
        "Location"
    ]
    assert DesignDoc.objects.filter(title__iexact="Churn model").count() == 2


def test_the_risks_editor_shows_each_rows_level_and_score_without_script(
    client, alice, designdoc_full
):
    client.force_login(alice)
    url = reverse(
        "designdocs:section_edit", kwargs={"slug": designdoc_full.slug, "section_key": "risks"}
    )

    page = client.get(url).content.decode()

    levels = re.findall(r"<output[^>]*data-risk-level[^>]*>([^<]*)</output>", page)
    assert levels[:2] == ["Low · 4", "High · 16"]
    assert "data-risk-matrix=" in page and "&quot;4,1&quot;: [&quot;very_low&quot;" in page


def test_the_import_command_refuses_an_existing_title_unless_allowed(existing, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "doc.md"
    path.write_text(export_markdown(content_of(existing)))

    with pytest.raises(CommandError, match="--allow-duplicate-title"):
        call_command("import_designdoc", str(path), user="alice")
    assert DesignDoc.objects.count() == 1
    call_command("import_designdoc", str(path), user="alice", allow_duplicate_title=True)
    assert DesignDoc.objects.filter(title="Churn model").count() == 2


def test_api_create_by_someone_who_may_not_create_is_403_even_for_an_existing_title(
    token_client, dave, existing, team
):
    # A viewer sees the doc, but must not be told to confirm a creation they may not make.
    response = token_client(dave).post(
        "/api/designdocs/", {"title": "Churn model", "owner_team": team.slug}, format="json"
    )

    assert response.status_code == 403
    assert "existing" not in response.json()
    assert DesignDoc.objects.count() == 1


def test_api_import_by_someone_who_may_not_create_is_403_even_for_an_existing_title(
    token_client, dave, existing, team
):
    foreign = "# Churn model\n\n## Problem\n\nCustomers leave.\n"
    response = token_client(dave).post(
        "/api/designdocs/import/", {"markdown": foreign, "owner_team": team.slug}, format="json"
    )

    assert response.status_code == 403
    assert "existing" not in response.json()
    assert DesignDoc.objects.count() == 1
