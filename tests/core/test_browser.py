"""Journeys in a real browser: the system Chromium driven by Playwright against live_server."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAVIGATION = ["Design docs", "Teams", "Search"]


def test_alice_logs_in_sees_the_navigation_and_logs_out(page, alice, team):
    page.goto("/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url("**/")
    assert urlparse(page.url).path == "/"
    expect(page.get_by_test_id("current-user")).to_have_text("alice")
    nav = page.get_by_role("navigation", name="Main")
    for label in NAVIGATION:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto("/")
    assert urlparse(page.url).path == "/login/"  # signed out: home sends back to login


def test_wrong_password_shows_an_error_in_the_browser(page, alice):
    page.goto("/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert urlparse(page.url).path == "/login/"


def test_api_docs_render_with_no_request_leaving_the_server(page, live_server, settings):
    # Served under a real-looking host name (mapped to the live server by Chromium's
    # resolver rules): Swagger UI behaves differently on localhost, e.g. for its badge.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "registry.test"]
    origin = f"http://registry.test:{urlparse(live_server.url).port}"
    outside, problems = [], []

    def cut_off_the_network(route):
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", cut_off_the_network)

    def on_console(message):
        # Chromium ignores Django's Cross-Origin-Opener-Policy on plain http (it is for
        # https); that notice is about the test's transport, not the page.
        if message.type == "error" and "Cross-Origin-Opener-Policy" not in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(origin + "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/teams/").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert problems == []  # includes CSP violations, which Chromium reports as console errors
