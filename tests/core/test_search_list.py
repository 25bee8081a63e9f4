"""A list's `?q=` through the API (registry.core.search.filter_text + capped_matches):
on PostgreSQL the first CANDIDATES matches found, the best-ranked first, paginated, with
`count_capped` when there are more; exact on the embedded default."""

from __future__ import annotations

import pytest
from django.db import connection

from registry.core import search
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]
LIST = "/api/designdocs/"


@pytest.fixture
def docs(alice, team, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 6)
    monkeypatch.setattr(search, "RANKED", 3)
    # The title match is the oldest: found first only because it is ranked.
    DesignDocFactory(title="Forecast plan", product_owner=alice, owner_team=team)
    for n in range(8):
        DesignDocFactory(title=f"Doc {n}", product_owner=alice, owner_team=team,
                         content={"problem_statement": "Weekly forecast of demand."})  # fmt: skip
    DesignDocFactory(title="Unrelated", product_owner=alice, owner_team=team)


def test_a_searched_list_is_capped_ranked_and_paginated(docs, token_client, viewer):
    client = token_client(viewer)
    first = client.get(LIST, {"q": "forecast", "limit": 4}).json()
    if connection.vendor != "postgresql":  # SQLite: every match, counted exactly
        assert (first["count"], first["count_capped"]) == (9, False)
        assert first["results"][0]["title"] == "Forecast plan"
        return
    assert (first["count"], first["count_capped"]) == (6, True)
    assert first["results"][0]["title"] == "Forecast plan"
    second = client.get(LIST, {"q": "forecast", "limit": 4, "offset": 4}).json()
    assert second["count"] == 6 and len(second["results"]) == 2
    titles = [r["title"] for r in first["results"] + second["results"]]
    assert len(set(titles)) == 6 and "Unrelated" not in titles


def test_the_cap_applies_after_the_other_filters(docs, token_client, viewer, alice):
    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    DesignDocFactory(title="Priced forecast", product_owner=alice, owner_team=other)
    body = token_client(viewer).get(LIST, {"q": "forecast", "team": "pricing-ml"}).json()
    assert (body["count"], body["count_capped"]) == (1, False)
    assert [r["title"] for r in body["results"]] == ["Priced forecast"]


def test_few_matches_are_counted_exactly_and_a_list_without_q_has_no_flag(
    alice, team, token_client, viewer
):
    for n in range(3):
        DesignDocFactory(title=f"Churn {n}", product_owner=alice, owner_team=team)
    client = token_client(viewer)
    body = client.get(LIST, {"q": "churn"}).json()
    assert (body["count"], body["count_capped"]) == (3, False)
    assert "count_capped" not in client.get(LIST).json()


def test_another_sort_orders_the_capped_matches(docs, token_client, viewer):
    body = token_client(viewer).get(LIST, {"q": "forecast", "sort": "title"}).json()
    titles = [r["title"] for r in body["results"]]
    assert titles == sorted(titles)
    assert len(titles) == (6 if connection.vendor == "postgresql" else 9)
