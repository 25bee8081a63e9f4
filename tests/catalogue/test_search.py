"""Components and architecture examples are in the one search, with their facets."""

import pytest
from django.urls import reverse

from catalogue.search import ARCHITECTURES, COMPONENTS
from registry.core import search
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory

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
