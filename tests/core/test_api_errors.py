"""Every API 4xx has the one error shape, and bad input never causes a 500."""

import pytest
from django.test import Client

from registry.core.testing import assert_error_shape

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_wrong_login_at_token_endpoint_is_400_with_error_shape(api_client, alice):
    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": "wrong"}, format="json"
    )
    body = assert_error_shape(response, 400, code="invalid")
    assert "credentials" in body["message"].lower()
    assert "token" not in body


def test_token_endpoint_names_the_missing_field(api_client):
    body = assert_error_shape(api_client.post("/api/auth/token/", {}, format="json"), 400)
    assert set(body["errors"]) == {"username", "password"}


def test_missing_token_is_401_with_challenge(api_client, team):
    response = api_client.get("/api/teams/")
    assert_error_shape(response, 401, code="not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_is_401(api_client, team):
    response = api_client.get("/api/teams/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error_shape(response, 401, code="authentication_failed")


def test_malformed_json_is_400_not_500(api_client):
    response = api_client.post(
        "/api/auth/token/", data='{"username": "alice", ', content_type="application/json"
    )
    body = assert_error_shape(response, 400, code="parse_error")
    assert "JSON" in body["message"]


def test_unsupported_media_type_is_415_with_error_shape(api_client):
    response = api_client.post("/api/auth/token/", data="<x/>", content_type="application/xml")
    assert_error_shape(response, 415)


@pytest.mark.parametrize("path", ["/api/nope", "/api/nope/", "/api/teams/999999/x/"])
def test_unknown_api_url_is_404_json(client, path):
    assert_error_shape(client.get(path), 404, code="not_found")


def test_unknown_api_url_is_404_json_when_debug_is_on(client, settings):
    settings.DEBUG = True
    assert_error_shape(client.get("/api/nope"), 404)


def test_unknown_object_is_404_with_error_shape(token_client, dave):
    assert_error_shape(token_client(dave).get("/api/teams/999999/"), 404, code="not_found")


def test_unknown_page_outside_api_is_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_405_with_error_shape(token_client, superuser):
    assert_error_shape(token_client(superuser).delete("/api/teams/"), 405)


@pytest.mark.urls("tests.core.harness_api")
def test_uncaught_exception_under_api_is_json_500_in_error_shape():
    client = Client(raise_request_exception=False)
    assert_error_shape(client.get("/api/harness/crash/"), 500, code="server_error")


@pytest.mark.urls("tests.core.harness_api")
def test_uncaught_exception_on_a_page_is_html_500():
    response = Client(raise_request_exception=False).get("/harness/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
