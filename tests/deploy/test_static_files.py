"""Production serves hashed static files from a manifest: a page that names a static file
missing from the app would answer 500 there, though it works in development."""

import pytest
from django.core.management import call_command

from registry.core.testing.pages import parameterless_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest_static(settings, tmp_path):
    # The production storage minus compression (which only adds time): same manifest rules.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_every_page_renders_with_the_production_static_manifest(
    manifest_static, client, superuser, team
):
    client.force_login(superuser)
    problems = []
    for url in parameterless_urls():
        if url.rstrip("/").endswith("logout"):
            continue
        try:
            response = client.get(url)
        except Exception as exc:  # e.g. ValueError: Missing staticfiles manifest entry
            problems.append(f"{url}: {type(exc).__name__}: {exc}")
            continue
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
    assert problems == []


def test_pages_link_hashed_static_files(manifest_static, client):
    html = client.get("/login/").content.decode()
    assert "/static/registry/registry." in html
    assert "/static/registry/registry.css" not in html  # the hashed name is linked instead
