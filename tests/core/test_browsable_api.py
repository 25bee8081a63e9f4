"""The browsable API is for staff only: everyone else asking for HTML gets JSON, so that
nobody is shown DELETE/PUT/PATCH forms that would answer 403."""

import pytest

from tests.designdocs.factories import DesignDocFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def doc(team, alice):
    return DesignDocFactory(owner_team=team, product_owner=alice)


def test_an_architect_asking_for_html_gets_json_without_forms(client, architect, doc):
    client.force_login(architect)

    response = client.get(f"/api/designdocs/{doc.pk}/", HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["id"] == doc.pk
    assert b"<form" not in response.content


def test_format_api_gives_non_staff_json_too(client, architect, doc):
    client.force_login(architect)
    response = client.get(f"/api/designdocs/{doc.pk}/?format=api")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_staff_get_the_browsable_page(client, superuser, doc):
    client.force_login(superuser)

    response = client.get(f"/api/designdocs/{doc.pk}/", HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"<form" in response.content


def test_anonymous_html_request_gets_the_json_401(client, doc):
    response = client.get("/api/designdocs/", HTTP_ACCEPT=HTML)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_a_refused_token_is_a_json_401_whatever_the_accept_header(api_client, doc):
    response = api_client.get(
        "/api/designdocs/", HTTP_ACCEPT=HTML, HTTP_AUTHORIZATION="Token " + "0" * 40
    )
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "authentication_failed"


def test_the_api_root_is_json_for_a_viewer_in_a_browser(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/", HTTP_ACCEPT=HTML)
    assert response["Content-Type"].startswith("application/json")
    assert "designdocs" in response.json()
