"""The sign-in throttle: one limit for the login page and the token endpoint, keyed by the
client address that a forged X-Forwarded-For cannot change."""

import pytest
from django.urls import reverse

from registry.core.api.auth import SignInRateThrottle


@pytest.fixture
def three_per_minute(monkeypatch):
    monkeypatch.setattr(SignInRateThrottle, "rate", "3/min", raising=False)


def test_login_page_answers_429_after_too_many_attempts_and_keeps_the_username(
    client, alice, three_per_minute
):
    for _ in range(3):
        page = client.post(reverse("login"), {"username": "alice", "password": "guess"})
        assert page.status_code == 200
    page = client.post(reverse("login"), {"username": "alice", "password": "demo"})
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Too many sign-in attempts" in page.content.decode()
    assert 'value="alice"' in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_headers_do_not_reset_the_count(api_client, alice, three_per_minute):
    for n in range(3):
        response = api_client.post(
            "/api/auth/token/",
            {"username": "alice", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        assert response.status_code == 400
    response = api_client.post(
        "/api/auth/token/",
        {"username": "alice", "password": "demo"},
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429


def test_login_page_and_token_endpoint_share_one_count(client, api_client, alice, three_per_minute):
    for _ in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "guess"})
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": "demo"})
    assert response.status_code == 429
