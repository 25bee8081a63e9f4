"""The sign-in lockout (django-axes): every URL that checks a password counts failures in one
place, per username and client address, and refuses the right password too once locked;
the address is one a forged X-Forwarded-For cannot change."""

from itertools import permutations

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.views import LoginView
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.core.api.auth import ObtainTokenView
from registry.core.sign_in import client_ip
from registry.core.testing import assert_error_shape

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

# Every URL where a password is checked, with what a successful sign-in answers there.
SIGN_IN_URLS = {"/login/": 302, "/admin/login/": 302, "/api/auth/token/": 200}


def sign_in(client, url: str, username: str, password: str):
    data = {"username": username, "password": password}
    if url == "/admin/login/":
        data["next"] = "/admin/"
    return client.post(url, data)


def assert_refused_as_locked_out(response, url: str) -> None:
    assert response.status_code == 429, (url, response.status_code)
    assert int(response["Retry-After"]) > 0
    if url.startswith("/api/"):
        assert_error_shape(response, 429, code="throttled")
        assert "Too many failed sign-in attempts" in response.json()["message"]
    else:
        page = response.content.decode()
        assert "Sign-in is paused" in page and 'role="alert"' in page, page
        assert response["Content-Security-Policy"], "the lockout page has no CSP"


@pytest.fixture
def limit_of_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _password_views(resolver: URLResolver | None = None, prefix: str = "/") -> set[str]:
    """URLs whose view checks a password through `authenticate()`: login views, the token
    view and the admin site's login, wherever they are mounted."""
    found = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found |= _password_views(pattern, route)
            continue
        assert isinstance(pattern, URLPattern)
        view = getattr(pattern.callback, "view_class", None)
        bound_to = getattr(pattern.callback, "__self__", None)
        if (view and issubclass(view, (LoginView, ObtainTokenView))) or (
            isinstance(bound_to, AdminSite) and pattern.callback.__name__ == "login"
        ):
            found.add(route)
    return found


def test_the_url_list_names_every_view_that_checks_a_password():
    assert _password_views() == set(SIGN_IN_URLS)


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_ten_wrong_passwords_then_the_right_one_is_refused(client, superuser, url):
    wrong_password = 400 if url.startswith("/api/") else 200  # the API's 400, the form's error
    answers = [sign_in(client, url, "admin", f"guess-{n}").status_code for n in range(10)]
    # The failure that reaches the limit (5) is answered with the lockout already.
    assert answers == [wrong_password] * 4 + [429] * 6, answers
    assert_refused_as_locked_out(sign_in(client, url, "admin", "demo"), url)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", SIGN_IN_URLS)
def test_without_failures_the_right_password_signs_in(client, superuser, url):
    # The counterpart of the lockout tests: the same request succeeds when nothing is locked.
    assert sign_in(client, url, "admin", "demo").status_code == SIGN_IN_URLS[url]


@pytest.mark.parametrize(("guessed_at", "signed_in_at"), list(permutations(SIGN_IN_URLS, 2)))
def test_failures_at_one_url_lock_the_same_person_out_of_the_others(
    client, superuser, limit_of_three, guessed_at, signed_in_at
):
    for n in range(3):
        sign_in(client, guessed_at, "admin", f"guess-{n}")
    assert_refused_as_locked_out(sign_in(client, signed_in_at, "admin", "demo"), signed_in_at)


def test_another_person_at_the_same_address_can_still_sign_in(client, alice, dave, limit_of_three):
    for n in range(3):
        sign_in(client, "/login/", "alice", f"guess-{n}")
    assert sign_in(client, "/login/", "alice", "demo").status_code == 429
    assert sign_in(client, "/login/", "dave", "demo").status_code == 302


def test_a_success_below_the_limit_starts_the_count_again(client, alice, limit_of_three):
    for n in range(2):
        sign_in(client, "/login/", "alice", f"guess-{n}")
    assert sign_in(client, "/login/", "alice", "demo").status_code == 302
    client.logout()
    for n in range(2):
        assert sign_in(client, "/login/", "alice", f"again-{n}").status_code == 200
    assert sign_in(client, "/login/", "alice", "demo").status_code == 302


def test_login_page_answers_429_with_a_readable_page_naming_the_username(
    client, alice, limit_of_three
):
    for _ in range(2):
        page = client.post(reverse("login"), {"username": "alice", "password": "guess"})
        assert page.status_code == 200
    page = client.post(reverse("login"), {"username": "alice", "password": "guess"})
    assert page.status_code == 429
    page = client.post(reverse("login"), {"username": "alice", "password": "demo"})
    assert_refused_as_locked_out(page, "/login/")
    assert "<strong>alice</strong>" in page.content.decode()
    assert "15 minutes" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_json_sign_in_on_the_api_is_counted_like_a_form(api_client, alice, limit_of_three):
    wrong = {"username": "alice", "password": "guess"}
    answers = [api_client.post("/api/auth/token/", wrong, format="json") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [400, 400, 429]
    right = {"username": "alice", "password": "demo"}
    response = api_client.post("/api/auth/token/", right, format="json")
    assert_refused_as_locked_out(response, "/api/auth/token/")


def test_forged_forwarded_for_headers_do_not_reset_the_count(api_client, alice, limit_of_three):
    for n in range(3):
        response = api_client.post(
            "/api/auth/token/",
            {"username": "alice", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        assert response.status_code == (400 if n < 2 else 429)
    response = api_client.post(
        "/api/auth/token/",
        {"username": "alice", "password": "demo"},
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429


def test_login_page_and_token_endpoint_share_one_count(client, api_client, alice, limit_of_three):
    for _ in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "guess"})
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": "demo"})
    assert response.status_code == 429


def _request(remote_addr: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/login/", REMOTE_ADDR=remote_addr, **extra)


def test_without_trusted_proxies_the_address_is_remote_addr(settings):
    settings.NUM_PROXIES = 0
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("num_proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),  # the proxy's own entry
        (1, "10.9.9.9, 198.51.100.1", "198.51.100.1"),  # what the client wrote is skipped
        (2, "10.9.9.9, 198.51.100.1, 10.0.0.5", "198.51.100.1"),  # two proxies
        (1, "198.51.100.1, not-an-address", "10.0.0.2"),  # nonsense: the proxy's address
        (1, "", "10.0.0.2"),
    ],
)
def test_trusted_proxies_give_the_address_they_appended(settings, num_proxies, forwarded, expected):
    settings.NUM_PROXIES = num_proxies
    assert client_ip(_request("10.0.0.2", forwarded)) == expected


def test_behind_a_proxy_the_lockout_follows_the_forwarded_address(
    client, alice, limit_of_three, settings
):
    settings.NUM_PROXIES = 1
    for n in range(3):
        sign_in_from = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
        client.post("/login/", {"username": "alice", "password": f"guess-{n}"}, **sign_in_from)
    other_client = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    response = client.post("/login/", {"username": "alice", "password": "demo"}, **other_client)
    assert response.status_code == 302
