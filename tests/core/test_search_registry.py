"""The one search, as a user meets it: true counts per type, one type paginated, facets
with their labels and counts that narrow the results, on the page and in the registry."""

import pytest
from django.urls import reverse

from registry.core import search
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def thirty_docs(alice, team):
    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    for n in range(30):
        DesignDocFactory(
            title=f"Forecast {n:02d}",
            product_owner=alice,
            owner_team=team if n < 20 else other,
            content={"problem_statement": "Daily demand forecasting."},
        )


def group(results, key):
    return next(g for g in results.groups if g.key == key)


def test_counts_are_true_however_few_results_each_group_shows(thirty_docs, viewer):
    results = search.search(user=viewer, q="forecast")
    docs = group(results, "design-docs")
    assert docs.count == 30
    assert len(docs.items) == search.RESULTS_PER_GROUP
    assert results.total == 30


def test_one_type_is_paginated_through_all_its_results(thirty_docs, viewer):
    first = group(search.search(user=viewer, q="forecast", type="design-docs"), "design-docs")
    second = group(
        search.search(user=viewer, q="forecast", type="design-docs", page=2), "design-docs"
    )
    assert first.page.paginator.count == 30 and first.page.paginator.num_pages == 2
    seen = {item["object"].pk for item in first.items + second.items}
    assert len(seen) == 30


def test_facets_count_with_their_labels_and_narrow_the_results(thirty_docs, viewer, team):
    docs = group(search.search(user=viewer, q="forecast", type="design-docs"), "design-docs")
    by_key = {f.facet.key: {v.label: v.count for v in f.values} for f in docs.facets}
    assert by_key["team"] == {team.name: 20, "Pricing ML": 10}
    assert by_key["status"] == {"Draft": 30}
    narrowed = group(
        search.search(user=viewer, q="forecast", type="design-docs", facets={"team": "pricing-ml"}),
        "design-docs",
    )
    assert narrowed.count == 10


def test_the_page_says_the_true_count_and_links_to_every_result(client, thirty_docs, viewer):
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "forecast"}).content.decode()
    assert "30 results for “forecast”" in page
    assert "All 30 design docs" in page
    typed = client.get(reverse("search"), {"q": "forecast", "type": "design-docs", "page": 2})
    assert "Showing 21\u201330 of 30" in typed.content.decode()


API = "/api/search/"


def test_api_search_answers_groups_with_true_counts_and_pages(token_client, thirty_docs, viewer):
    body = token_client(viewer).get(API, {"q": "forecast"}).json()
    docs = next(g for g in body["groups"] if g["type"] == "design-docs")
    assert body["total"] == 30 and docs["count"] == 30
    assert len(docs["results"]) == search.RESULTS_PER_GROUP
    assert docs["results"][0]["url"].startswith("http://testserver/designdocs/")
    typed = token_client(viewer).get(API, {"q": "forecast", "type": "design-docs", "page": 2})
    docs = next(g for g in typed.json()["groups"] if g["type"] == "design-docs")
    assert (docs["page"], docs["pages"], len(docs["results"])) == (2, 2, 10)
    teams = {f["key"]: f for f in docs["facets"]}["team"]
    assert {v["label"]: v["count"] for v in teams["values"]}["Pricing ML"] == 10


def test_api_search_answers_only_what_the_user_may_see(
    token_client, thirty_docs, user_without_role
):
    body = token_client(user_without_role).get(API, {"q": "forecast"}).json()
    assert body["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x", "type": "nothing"}, "type"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "page": "٣"}, "page"),
        ({"q": "x", "type": "teams", "team": "pricing-ml"}, "team"),  # not a facet of teams
        ({"q": "x", "type": "teams", "colour": "red"}, "colour"),
    ],
)
def test_api_search_refuses_what_it_does_not_know_naming_the_parameter(
    token_client, viewer, params, field
):
    response = token_client(viewer).get(API, params)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_the_page_shows_a_parameter_it_does_not_know_as_an_error(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("search"), {"q": "x", "type": "nothing"})
    assert response.status_code == 400
    assert "type must be one of: design-docs, teams" in response.content.decode()


def test_a_type_with_no_match_is_counted_but_not_a_link(client, thirty_docs, viewer):
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "forecast"}).content.decode()
    assert 'class="facet__empty"><span>Teams</span>' in page
    assert "type=teams" not in page
