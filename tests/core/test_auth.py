"""Signing in: API tokens end to end, and the login/logout pages."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_token_from_login_authenticates_api_calls(api_client, dave, team):
    response = api_client.post(
        "/api/auth/token/", {"username": "dave", "password": "demo"}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    teams = api_client.get("/api/teams/")
    assert teams.status_code == 200
    assert [row["slug"] for row in teams.json()["results"]] == ["fraud-detection"]


def test_token_endpoint_accepts_form_posts(client, dave):
    response = client.post("/api/auth/token/", {"username": "dave", "password": "demo"})
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_each_login_makes_another_token_and_both_work(api_client, dave, team):
    first = api_client.post("/api/auth/token/", {"username": "dave", "password": "demo"})
    second = api_client.post("/api/auth/token/", {"username": "dave", "password": "demo"})
    assert first.json()["token"] != second.json()["token"]
    for response in (first, second):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert api_client.get("/api/teams/").status_code == 200


def test_inactive_user_gets_no_token(api_client, dave):
    dave.is_active = False
    dave.save()
    response = api_client.post("/api/auth/token/", {"username": "dave", "password": "demo"})
    assert response.status_code == 400


def test_session_authenticates_api_calls_from_the_browser(client, dave, team):
    client.force_login(dave)
    assert client.get("/api/teams/").status_code == 200


def test_login_page_renders_a_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_login_with_wrong_password_shows_an_error(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert b"correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_login_as_alice_redirects_home(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.get(reverse("home")).status_code == 200


def test_login_follows_a_safe_next_but_not_another_site(client, alice):
    response = client.post(
        reverse("login") + "?next=/search/",
        {"username": "alice", "password": "demo", "next": "/search/"},
    )
    assert response["Location"] == "/search/"
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": "demo", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_pages_redirect_anonymous_users_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_refuses_get(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logout_by_post_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_logout_without_csrf_token_is_refused(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(reverse("logout")).status_code == 403
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_token_endpoint_throttles_password_guessing_with_429(api_client, alice, settings):
    from registry.core.testing import assert_error_shape

    settings.AXES_FAILURE_LIMIT = 3
    wrong = {"username": "alice", "password": "guess"}
    for _ in range(2):
        assert api_client.post("/api/auth/token/", wrong).status_code == 400
    assert api_client.post("/api/auth/token/", wrong).status_code == 429
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": "demo"})
    assert_error_shape(response, 429, code="throttled")
    assert int(response["Retry-After"]) > 0


def test_schema_documents_that_the_token_endpoint_needs_no_auth_and_may_throttle(client):
    operation = client.get("/api/schema/?format=json").json()["paths"]["/api/auth/token/"]["post"]
    assert operation.get("security", [{}]) == [{}]
    assert "429" in operation["responses"]
