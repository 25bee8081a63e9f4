"""Catalogue pages: the shared page cases, the browse facets, the component page, the
lifecycle form, the import page, the team panels."""

import pytest
from django.urls import reverse

from catalogue.models import ArchitectureExample, Component
from registry.core.testing.pages import PageViewTestCases
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


class TestComponentPages(PageViewTestCases.ListPageTestCase, PageViewTestCases.DetailPageTestCase):
    model = Component
    list_url_name = "catalogue:component_list"
    detail_url_name = "catalogue:component"

    def make_object(self):
        return ComponentFactory()

    def url_kwargs(self, obj):
        return {"slug": obj.slug}


class TestArchitecturePages(
    PageViewTestCases.ListPageTestCase, PageViewTestCases.DetailPageTestCase
):
    model = ArchitectureExample
    list_url_name = "catalogue:browse"
    detail_url_name = "catalogue:architecture"

    def make_object(self):
        return ArchitectureFactory()

    def url_kwargs(self, obj):
        return {"slug": obj.slug}


def test_browse_filters_by_facets_through_the_url(client, dave):
    team = TeamFactory(slug="forecasting")
    ArchitectureFactory(title="Batch forecasting", owner_team=team)
    ArchitectureFactory(title="Real-time recommendation")
    client.force_login(dave)
    html = client.get(reverse("catalogue:browse"), {"team": "forecasting"}).content.decode()
    assert "Batch forecasting" in html and "Real-time recommendation" not in html
    bad = client.get(reverse("catalogue:browse"), {"lifecycle": "nonsense"})
    assert bad.status_code == 200 and "cannot be applied" in bad.content.decode()


def test_component_page_shows_owner_raci_graph_history_and_docs(client, alice, team, dave):
    store = ComponentFactory(name="Feature store", owner_team=team)
    scoring = ComponentFactory(name="Batch scoring", owner_team=team)
    scoring.depends_on.add(store)
    store.raci.create(activity="run", person=alice, role="A")
    DesignDocFactory(
        title="Demand forecast", owner_team=team, product_owner=alice
    ).components_used.add(store)
    client.force_login(dave)
    html = client.get(store.get_absolute_url()).content.decode()
    for text in (
        "Fraud Detection",
        "Accountable",
        '<svg class="graph"',
        "Batch scoring",
        "Demand forecast",
        "Lifecycle history",
    ):
        assert text in html, text


def test_component_page_queries_do_not_grow_with_neighbours(
    client, dave, team, django_assert_max_num_queries
):
    store = ComponentFactory(owner_team=team)
    client.force_login(dave)
    client.get(store.get_absolute_url())
    for _ in range(10):
        ComponentFactory(owner_team=team).depends_on.add(store)
    with django_assert_max_num_queries(30):
        assert client.get(store.get_absolute_url()).status_code == 200


def test_deprecating_from_the_page_shows_the_warning(client, alice, team):
    component = ComponentFactory(owner_team=team)
    DesignDocFactory(
        title="Live solution", owner_team=team, product_owner=alice
    ).components_used.add(component)
    client.force_login(alice)
    url = reverse("catalogue:component_transition", kwargs={"slug": component.slug})
    refused = client.post(url, {"to": "deprecated", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    response = client.post(url, {"to": "deprecated", "reason": "Moving to v2"}, follow=True)
    assert "Live solution" in response.content.decode()
    component.refresh_from_db()
    assert component.lifecycle == "deprecated"


def test_viewer_cannot_move_a_component(client, dave, team):
    component = ComponentFactory(owner_team=team)
    client.force_login(dave)
    url = reverse("catalogue:component_transition", kwargs={"slug": component.slug})
    assert client.post(url, {"to": "deprecated", "reason": "x"}).status_code == 403


def test_import_page_reports_rejections_with_lines(client, superuser, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    assert client.get(reverse("catalogue:import")).status_code == 403
    client.force_login(superuser)
    upload = SimpleUploadedFile("c.yaml", b"apiVersion: backstage.io/v1alpha1\nkind: ''\n")
    response = client.post(reverse("catalogue:import"), {"file": upload})
    assert response.status_code == 400
    assert "line 2" in response.content.decode()


def test_team_page_lists_what_the_team_owns(client, dave, team):
    ComponentFactory(name="Online serving", owner_team=team)
    ArchitectureFactory(title="Real-time recommendation", owner_team=team)
    client.force_login(dave)
    html = client.get(reverse("teams:team", kwargs={"slug": team.slug})).content.decode()
    assert "Online serving" in html and "Real-time recommendation" in html


class TestComponentCreatePage(PageViewTestCases.CreatePageTestCase):
    model = Component
    create_url_name = "catalogue:component_add"
    writer = "alice"
    forbidden_writer = "dave"
    invalid_field = "repository_url"
    audit_action = "component.create"

    @pytest.fixture(autouse=True)
    def _team(self, team):
        self.team = team

    def make_object(self):
        return ComponentFactory(owner_team=self.team)

    def valid_data(self, obj):
        return {"name": "Feature store", "kind": "feature_store", "owner_team": self.team.slug,
                "lifecycle": "production", "tags": "features, online"}  # fmt: skip

    def invalid_data(self, obj):
        return {**self.valid_data(obj), "repository_url": "javascript:alert(1)"}


class TestComponentEditPage(PageViewTestCases.EditPageTestCase):
    model = Component
    write_url_name = "catalogue:component_edit"
    writer = "alice"
    forbidden_writer = "dave"
    invalid_field = "tags"
    audit_action = "component.update"
    edited_values = {"name": "Renamed store"}
    snapshot_fields = ("name",)

    @pytest.fixture(autouse=True)
    def _team(self, team):
        self.team = team

    def make_object(self):
        return ComponentFactory(owner_team=self.team)

    def valid_data(self, obj):
        return {"name": "Renamed store", "kind": obj.kind, "owner_team": self.team.slug}

    def invalid_data(self, obj):
        return {**self.valid_data(obj), "tags": "two words"}
