"""The product's own error pages answer in every mode, DEBUG included (Django's technical
pages are unstyled under the CSP and 980 px wide on a phone); the detail goes to the log,
a refused request as one line without a traceback."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client

from registry.core.middleware import OneLineClientErrors
from tests.designdocs.factories import DesignDocFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

TECHNICAL = ("Using the URLconf", "technical_404", "Traceback", "DEBUG = True")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.core.error_urls"
    return settings


def assert_product_page(response, status: int, words: str) -> None:
    assert response.status_code == status
    body = response.content.decode()
    assert words in body
    assert 'name="viewport"' in body  # the product's base template, made for phones
    for marker in TECHNICAL:
        assert marker not in body, marker


@pytest.mark.parametrize("debug_on", [True, False], ids=["debug", "production"])
def test_an_unknown_address_shows_the_products_404_page_in_every_mode(settings, client, debug_on):
    settings.DEBUG = debug_on

    response = client.get("/no/such/page/")

    assert_product_page(response, 404, "There is nothing at this address.")


def test_a_view_raising_not_found_in_debug_shows_the_products_404_page(debug, client, alice):
    client.force_login(alice)

    assert_product_page(client.get("/test-missing/"), 404, "There is nothing at this address.")
    assert_product_page(
        client.get("/designdocs/no-such-doc/"), 404, "There is nothing at this address."
    )


def test_a_crash_in_debug_shows_the_products_500_page_and_logs_the_traceback(debug, caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-crash/")

    assert_product_page(response, 500, "Something went wrong on our side")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1  # logged once, with the detail a developer needs
    assert records[0].exc_info and "the crash the test asked for" in str(records[0].exc_info[1])


def test_a_suspicious_request_in_debug_shows_the_products_400_page(debug, client):
    assert_product_page(client.get("/test-suspicious/"), 400, "could not be understood")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # Too many fields: CSRF's middleware reads the form before any view runs.
        ("&".join(f"f{i}=1" for i in range(3000)), "application/x-www-form-urlencoded"),
        # Not UTF-8: Django refuses it (BadRequest), and its technical page, reading the
        # form again to show it, crashed into a bare 500.
        ("username=x", "application/x-www-form-urlencoded; charset=punycode"),
    ],
    ids=["too-many-fields", "punycode-form"],
)
def test_a_form_refused_before_the_view_in_debug_shows_the_products_400_page(
    debug, body, content_type
):
    # As a browser: the CSRF check is what reads the form, in middleware.
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post("/login/", body, content_type=content_type)

    assert_product_page(response, 400, "could not be understood")
    assert "SECRET_KEY" not in response.content.decode()


def test_the_api_keeps_its_json_error_shape_in_debug(debug):
    client = Client(raise_request_exception=False)

    missing = client.get("/api/no-such-endpoint/")
    crashed = client.get("/api/test-crash/")

    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert missing.json()["message"] == "There is nothing at this address."
    assert crashed.status_code == 500 and crashed.json()["code"] == "server_error"


def test_an_address_without_its_slash_still_redirects_in_debug(debug, client):
    assert client.get("/designdocs").status_code == 301


@pytest.fixture
def console():
    """What the project's console handler prints (the root logger's handler)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, OneLineClientErrors) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_forbidden_request_is_logged_once_as_one_line_without_traceback(
    settings, client, dave, team, console
):
    settings.DEBUG = True
    doc = DesignDocFactory(owner_team=team)
    client.force_login(dave)  # a viewer: reads, may not edit

    response = client.get(f"/designdocs/{doc.slug}/edit/")

    assert response.status_code == 403
    printed = console.getvalue()
    assert printed.count("Forbidden") == 1, printed
    assert "Traceback" not in printed
    assert len(printed.strip().splitlines()) == 1, printed


def test_a_crash_keeps_its_traceback_in_the_console(settings, console):
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.core.error_urls"

    Client(raise_request_exception=False).get("/test-crash/")

    printed = console.getvalue()
    assert printed.count("Internal Server Error") == 1
    assert "Traceback" in printed and "the crash the test asked for" in printed


def test_django_logs_through_the_root_console_only_so_nothing_prints_twice():
    # Django's default logging adds a console handler of its own to the "django" logger,
    # besides the root's: each forbidden request printed its traceback twice.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").propagate
