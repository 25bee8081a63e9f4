"""The links from design docs into the catalogue: named in the doc's architecture section
by slug (API, page form, revision content), shown on both sides."""

import pytest
from django.urls import reverse

from registry.core.testing.api import api_token_key
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(alice, team):
    return DesignDocFactory(title="Demand forecast", owner_team=team, product_owner=alice)


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def test_api_names_architectures_and_components_by_slug_in_the_revision(alice, team, doc):
    arch = ArchitectureFactory(slug="batch-forecasting", owner_team=team)
    store = ComponentFactory(slug="feature-store", owner_team=team)
    response = _api(alice).patch(
        reverse("api:designdoc-detail", kwargs={"pk": doc.pk}),
        {"architecture_examples": ["batch-forecasting"], "components_used": ["feature-store"]},
        format="json",
        HTTP_IF_MATCH=f'"{doc.pk}-{doc.version}"',
    )
    assert response.status_code == 200, response.content
    revision = doc.revisions.order_by("-number").first()
    assert revision.content["architecture_examples"] == ["batch-forecasting"]
    assert revision.content["components_used"] == ["feature-store"]
    assert list(arch.adopting_design_docs.all()) == [doc]
    assert list(store.using_design_docs.all()) == [doc]


def test_unknown_slug_is_refused_naming_the_field(alice, doc):
    response = _api(alice).patch(
        reverse("api:designdoc-detail", kwargs={"pk": doc.pk}),
        {"components_used": ["no-such-component"]},
        format="json",
        HTTP_IF_MATCH=f'"{doc.pk}-{doc.version}"',
    )
    assert response.status_code == 400
    assert "components_used" in response.json()["errors"]
    assert not doc.components_used.exists()


def test_page_form_edits_the_links_and_both_pages_show_them(client, alice, team, doc, dave):
    arch = ArchitectureFactory(title="Batch forecasting", slug="batch-forecasting", owner_team=team)
    store = ComponentFactory(name="Feature store", slug="feature-store", owner_team=team)
    client.force_login(alice)
    url = reverse(
        "designdocs:section_edit", kwargs={"slug": doc.slug, "section_key": "architecture"}
    )
    form = client.get(url).content.decode()
    assert 'name="architecture_examples"' in form and 'name="components_used"' in form
    response = client.post(
        url,
        {
            "text": "Nightly batch.",
            "architecture_examples": "batch-forecasting",
            "components_used": "feature-store",
            "version": doc.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(dave)
    read = client.get(doc.get_absolute_url()).content.decode()
    assert arch.get_absolute_url() in read and store.get_absolute_url() in read
    assert doc.title in client.get(store.get_absolute_url()).content.decode()
    assert doc.title in client.get(arch.get_absolute_url()).content.decode()
