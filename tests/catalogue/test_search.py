"""Components and architecture examples are in the one search, with their facets."""

import pytest
from django.urls import reverse

from catalogue.search import ARCHITECTURES, COMPONENTS
from registry.core import search
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_catalogue_types_are_registered_with_facets():
    keys = {s.key for s in search.searchables()}
    assert {"components", "architectures"} <= keys
    assert [f.key for f in COMPONENTS.facets] == ["kind", "team", "lifecycle", "tag"]
    assert [f.key for f in ARCHITECTURES.facets] == ["team", "lifecycle", "tag"]


def test_search_api_finds_components_and_architectures(client, dave, alice, team):
    from catalogue import services

    services.component_create(
        actor=alice, data={"name": "Forecast feature store", "owner_team": team}
    )
    arch = ArchitectureFactory(
        title="Batch forecasting", owner_team=team, summary="Nightly forecasts"
    )
    search.refresh_search_vector(arch)
    client.force_login(dave)
    body = client.get(reverse("api:search"), {"q": "forecasting"}).json()
    text = str(body)
    assert "Batch forecasting" in text


def test_component_list_filters_by_text(client, dave, team):
    for name in ("Online serving", "Batch scoring"):
        # The factory writes rows directly; the services keep the stored vector.
        search.refresh_search_vector(ComponentFactory(name=name, owner_team=team))
    client.force_login(dave)
    html = client.get(reverse("catalogue:component_list"), {"q": "serving"}).content.decode()
    assert "Online serving" in html and "Batch scoring" not in html


def test_the_search_page_links_each_catalogue_result(client, dave, team):
    component = ComponentFactory(name="Forecast feature store", owner_team=team)
    arch = ArchitectureFactory(title="Batch forecasting", owner_team=team)
    for obj in (component, arch):
        search.refresh_search_vector(obj)
    client.force_login(dave)
    for kind, obj, name in (("components", component, component.name),
                            ("architectures", arch, arch.title)):  # fmt: skip
        for params in ({"q": "forecast"}, {"q": "forecast", "type": kind}):
            html = client.get(reverse("search"), params).content.decode()
            assert f'<a href="{obj.get_absolute_url()}">{name}</a>' in html


@pytest.mark.postgres
def test_a_typo_finds_the_forecasting_architecture_and_facets_narrow_and_count(
    client, dave, team, token_client
):
    """Acceptance: search "forcast" (typo) finds the forecasting architecture on
    PostgreSQL; facets narrow and count correctly."""
    from catalogue.models import Tag

    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    batch = Tag.objects.create(name="batch")
    forecasting = ArchitectureFactory(
        title="Batch forecasting", owner_team=team, summary="Nightly demand forecasts per store"
    )
    forecasting.tags.add(batch)
    streaming = ArchitectureFactory(
        title="Streaming forecasts", owner_team=other, lifecycle="experimental",
        summary="Forecasts updated as events arrive",
    )  # fmt: skip
    unrelated = ArchitectureFactory(title="Fraud scoring", owner_team=team, summary="Card fraud")
    for obj in (forecasting, streaming, unrelated):
        search.refresh_search_vector(obj)

    results = search.search(user=dave, q="forcast", type="architectures")
    assert results.corrected == "forecast"
    group = next(g for g in results.groups if g.key == "architectures")
    assert {i["object"].title for i in group.items} == {"Batch forecasting", "Streaming forecasts"}
    assert group.count == 2
    counted = {f.key: {v.value: v.count for v in f.values} for f in results.facets}
    assert counted["team"] == {team.slug: 1, "pricing-ml": 1}
    assert counted["lifecycle"] == {"production": 1, "experimental": 1}
    assert counted["tag"] == {"batch": 1}

    narrowed = search.search(user=dave, q="forcast", type="architectures",
                             facets={"lifecycle": "production"})  # fmt: skip
    group = next(g for g in narrowed.groups if g.key == "architectures")
    assert [i["object"].title for i in group.items] == ["Batch forecasting"]
    assert group.count == 1
    counted = {f.key: {v.value: v.count for v in f.values} for f in narrowed.facets}
    assert counted["team"] == {team.slug: 1} and counted["tag"] == {"batch": 1}
    assert search.search(user=dave, q="forcast", facets={"tag": "batch"}).total == 1

    body = token_client(dave).get("/api/search/", {"q": "forcast", "team": "pricing-ml"}).json()
    assert body["corrected"] == "forecast" and body["total"] == 1
    found = [r["title"] for g in body["groups"] for r in g["results"]]
    assert found == ["Streaming forecasts"]
    client.force_login(dave)
    page = client.get(reverse("search"), {"q": "forcast"}).content.decode()
    assert f'<a href="{forecasting.get_absolute_url()}">Batch forecasting</a>' in page
