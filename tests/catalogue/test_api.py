"""/api/components/, /api/architectures/, /api/catalog/: the shared API cases plus the
transition, the deprecation warning and the Backstage endpoints."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import Component
from registry.core.testing import APIViewTestCases
from registry.core.testing.api import api_token_key, assert_error_shape
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


class TestComponentAPI(APIViewTestCases.APIViewTestCase):
    basename = "component"
    model = Component
    lookup_field = "slug"
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "alice"
    forbidden_writer = "dave"
    create_action = "component.create"
    update_action = "component.update"
    delete_action = "component.delete"
    invalid_field = "repository_url"
    invalid_create_data = {
        "name": "X",
        "owner_team": "fraud-detection",
        "repository_url": "javascript:alert(1)",
    }
    update_data = {"name": "Renamed"}

    @pytest.fixture(autouse=True)
    def _team(self, team):
        self.team = team

    def make_object(self):
        return ComponentFactory(owner_team=self.team)

    def create_data(self):
        return {
            "name": "Online serving",
            "owner_team": self.team.slug,
            "kind": "service",
            "tags": ["serving"],
        }


def test_component_detail_shows_owner_raci_history_and_docs(alice, team, dave):
    component = ComponentFactory(owner_team=team, slug="feature-store")
    doc = DesignDocFactory(title="Churn", owner_team=team, product_owner=alice)
    doc.components_used.add(component)
    body = (
        _client(dave).get(reverse("api:component-detail", kwargs={"slug": "feature-store"})).json()
    )
    assert body["owner_team"] == "fraud-detection"
    assert [d["slug"] for d in body["used_by"]] == [doc.slug]
    assert "raci" in body and "lifecycle_history" in body


def test_raci_through_the_api_is_validated_like_the_design_doc(alice, team):
    response = _client(alice).post(
        reverse("api:component-list"),
        {
            "name": "Scoring",
            "owner_team": team.slug,
            "raci": [{"activity": "run", "person": "alice", "role": "R"}],
        },
        format="json",
    )
    body = assert_error_shape(response, 400)
    assert "raci.0.role" in body["errors"]


def test_transition_endpoint_moves_refuses_and_warns(alice, team):
    component = ComponentFactory(owner_team=team, lifecycle="production")
    DesignDocFactory(title="Live one", owner_team=team, product_owner=alice).components_used.add(
        component
    )
    url = reverse("api:component-transition", kwargs={"slug": component.slug})
    client = _client(alice)
    assert_error_shape(client.post(url, {"to": "deprecated"}, format="json"), 400)
    response = client.post(url, {"to": "deprecated", "reason": "Use v2"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["lifecycle"] == "deprecated"
    assert "Live one" in response.json()["warnings"][0]
    assert client.post(url, {"to": "retired", "reason": "gone"}, format="json").status_code == 200
    body = assert_error_shape(client.post(url, {"to": "production"}, format="json"), 409)
    assert "final" in body["message"]


def test_architecture_create_by_architect_with_svg_diagram(bob, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    component = ComponentFactory(owner_team=team)
    svg = SimpleUploadedFile(
        "d.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script><rect width="1" height="1"/></svg>',
        content_type="image/svg+xml",
    )
    response = _client(bob).post(
        reverse("api:architecture-list"),
        {
            "title": "Batch forecasting",
            "summary": "Nightly forecasts",
            "owner_team": team.slug,
            "diagram": svg,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["diagram_format"] == "svg"
    from catalogue.models import ArchitectureExample

    arch = ArchitectureExample.objects.get(slug="batch-forecasting")
    assert b"script" not in arch.diagram.read()
    assert component  # made for the team


def test_architecture_writes_refused_for_non_architects(alice, team):
    response = _client(alice).post(
        reverse("api:architecture-list"),
        {"title": "T", "summary": "S", "owner_team": team.slug},
        format="json",
    )
    assert_error_shape(response, 403)


def test_architecture_list_queries_do_not_grow(dave, django_assert_max_num_queries):
    team = TeamFactory()
    for _ in range(3):
        ArchitectureFactory(owner_team=team)
    client = _client(dave)
    client.get(reverse("api:architecture-list"))
    for _ in range(10):
        ArchitectureFactory(owner_team=team)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:architecture-list")).status_code == 200


def test_catalog_import_and_export_endpoints(superuser, alice):
    client = _client(superuser)
    text = (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\n"
        "spec: {type: service, lifecycle: production, owner: group:default/team-x}\n"
    )
    response = client.post(
        reverse("api:catalog-import-file"), data=text, content_type="application/yaml"
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    bad = client.post(
        reverse("api:catalog-import-file"), data="kind: ''\n", content_type="application/yaml"
    )
    assert bad.status_code == 400 and bad.json()["rejected"] == 1
    export = client.get(reverse("api:catalog-export-file"))
    assert export.status_code == 200 and b"name: svc" in export.content
    assert_error_shape(
        _client(alice).post(
            reverse("api:catalog-import-file"), data=text, content_type="application/yaml"
        ),
        403,
    )


def test_diagram_is_served_sandboxed_to_readers_only(bob, team, dave, user_without_role, client):
    from catalogue import services

    arch = services.architecture_create(
        actor=bob,
        data={
            "title": "Drift",
            "summary": "S",
            "owner_team": team,
            "diagram": b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>',
        },
    )
    url = reverse("catalogue:architecture_diagram", kwargs={"slug": arch.slug})
    body = _client(dave).get(reverse("api:architecture-detail", kwargs={"slug": arch.slug})).json()
    assert body["diagram"].endswith(url)
    client.force_login(dave)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"<rect" in b"".join(response.streaming_content)
    client.force_login(user_without_role)
    assert client.get(url).status_code == 404
