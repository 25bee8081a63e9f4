"""The maturity band facet of the one search: counted across design docs, components and
architecture examples from each subject's current ML Test Score band, narrowing the
results, on PostgreSQL and on the embedded default alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.search import ARCHITECTURES, COMPONENTS
from maturity.models import MaturityModel
from maturity.services import assessment_create
from registry.core import search
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory
from tests.maturity.test_assessments import every

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def model(slug: str) -> MaturityModel:
    return MaturityModel.objects.prefetch_related("categories", "items", "bands").get(slug=slug)


@pytest.fixture
def assessed(alice, team):
    """Two docs, a component and an architecture about forecasting: the first doc, the
    component and the architecture at band 3 of the ML Test Score (the doc was at a lower
    band before), the second doc assessed by another model only."""
    mts, other = model("ml-test-score"), model("microsoft-mlops")
    docs = [
        DesignDocFactory(title=f"Forecast {n}", product_owner=alice, owner_team=team)
        for n in range(2)
    ]
    component = ComponentFactory(name="Forecast store", owner_team=team)
    architecture = ArchitectureFactory(title="Batch forecast", owner_team=team)
    for obj in (component, architecture):
        search.refresh_search_vector(obj)  # the factories write rows directly
    earlier = timezone.now() - timedelta(days=30)
    low = assessment_create(actor=alice, subject=docs[0], model=mts, answers=every(1, mts),
                            assessed_at=earlier)  # fmt: skip
    bands = {
        assessment_create(actor=alice, subject=subject, model=mts, answers=every(3, mts)).band
        for subject in (docs[0], component, architecture)
    }
    assessment_create(actor=alice, subject=docs[1], model=other, answers={})
    assert bands == {"3"} and low.band != "3"  # what the counts below rest on
    return {"docs": docs, "component": component, "architecture": architecture}


def counts(facets) -> dict[str, int]:
    facet = next((f for f in facets if f.key == "maturity"), None)
    return {v.value: v.count for v in facet.values} if facet else {}


def titles(results) -> set[str]:
    return {
        getattr(item["object"], group.searchable.title_field)
        for group in results.groups
        for item in group.items
    }


def test_the_maturity_facet_is_added_to_the_assessable_types_only():
    keys = {s.key: [f.key for f in s.facets] for s in search.searchables()}
    for kind in ("design-docs", "components", "architectures"):
        assert "maturity" in keys[kind]
    assert "maturity" not in keys["teams"]
    # Added by registration: the catalogue's own declarations are untouched.
    assert "maturity" not in [f.key for f in COMPONENTS.facets + ARCHITECTURES.facets]


def test_the_current_band_is_counted_across_types(assessed, viewer):
    results = search.search(user=viewer, q="forecast")
    # The latest ML Test Score band of each subject: the doc's earlier band is history,
    # the other model's assessment is not an ML Test Score band.
    assert counts(results.facets) == {"3": 3}
    by_type = {g.key: g.count for g in results.groups}
    assert (by_type["design-docs"], by_type["components"], by_type["architectures"]) == (2, 1, 1)
    alone = search.search(user=viewer, q="forecast", type="design-docs")
    assert counts(alone.facets) == {"3": 1}


def test_selecting_a_band_narrows_every_type(assessed, viewer):
    narrowed = search.search(user=viewer, q="forecast", facets={"maturity": "3"})
    assert titles(narrowed) == {"Forecast 0", "Forecast store", "Batch forecast"}
    assert narrowed.total == 3
    assert next(g for g in narrowed.groups if g.key == "teams").count == 0
    assert counts(narrowed.facets) == {"3": 3}
    none = search.search(user=viewer, q="forecast", facets={"maturity": "1"})
    assert none.total == 0  # the doc's earlier band is not its current one


def test_the_band_counts_only_what_the_searcher_may_see(assessed, user_without_role):
    facets = search.search(user=user_without_role, q="forecast").facets
    assert counts(facets) == {}


def test_the_api_and_the_page_take_the_band(assessed, viewer, token_client, client):
    body = token_client(viewer).get("/api/search/", {"q": "forecast", "maturity": "3"}).json()
    assert body["total"] == 3
    facet = next(f for f in body["facets"] if f["key"] == "maturity")
    assert facet["values"] == [{"value": "3", "label": "3", "count": 3, "selected": True}]
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "forecast", "type": "components", "maturity": "3"})
    html = page.content.decode()
    assert page.status_code == 200 and "ML Test Score band" in html
    assert f'href="{assessed["component"].get_absolute_url()}"' in html
