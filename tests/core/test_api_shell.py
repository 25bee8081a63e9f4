"""The API shell: root, OpenAPI schema, offline docs, pagination cap, CSP on every page."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from registry.core.testing.pages import parameterless_urls
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""https?://[^\s"'<>)]+""")


def test_api_root_lists_collections(token_client, dave):
    response = token_client(dave).get("/api/")
    assert response.status_code == 200
    assert "teams" in response.json()


def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


def test_schema_documents_the_error_shape_for_4xx(client):
    schema = client.get("/api/schema/?format=json").json()
    teams = schema["paths"]["/api/teams/{id}/"]["get"]["responses"]
    for code in ("401", "403", "404"):
        ref = teams[code]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorResponse", (code, ref)
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def _same_origin(url: str) -> bool:
    parsed = urlparse(url)
    return not parsed.netloc or parsed.netloc == "testserver"


def test_api_docs_page_loads_only_same_origin_assets(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="swagger-ui"' in html
    assert EXTERNAL_URL.findall(html) == []

    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets), assets
    for asset in assets:
        assert _same_origin(asset), asset
        response = client.get(urljoin("/api/docs/", asset))
        assert response.status_code == 200, asset
        if "?script" in asset:
            script = (
                b"".join(response).decode() if response.streaming else response.content.decode()
            )
            assert EXTERNAL_URL.findall(script) == []


def test_api_docs_csp_allows_no_inline_script(client):
    policy = _csp(client.get("/api/docs/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    # The one exception, declared on the docs view: Swagger UI's inline styles.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]


def _csp(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)


def test_every_page_sends_a_csp_that_forbids_inline_script(client, superuser, team):
    client.force_login(superuser)
    urls = parameterless_urls()
    assert {"/", "/login/", "/api/", "/api/docs/", "/healthz", "/admin/"} <= set(urls), urls
    problems = []
    for url in [*urls, "/no-such-page/", "/api/nope"]:
        logout = url.rstrip("/").endswith("logout")
        try:
            response = client.post(url) if logout else client.get(url)
        except Exception as exc:  # a page that crashes is reported with the others
            problems.append(f"{url}: raised {type(exc).__name__}: {exc}")
            continue
        if logout:
            client.force_login(superuser)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
        policy = _csp(response)
        script_src = policy.get("script-src", policy.get("default-src"))
        if script_src != ["'self'"]:
            problems.append(f"{url}: script-src {script_src}")
        if policy.get("object-src") != ["'none'"] or policy.get("frame-ancestors") != ["'none'"]:
            problems.append(f"{url}: object-src/frame-ancestors not 'none'")
        if url != "/api/docs/" and policy.get("style-src") != ["'self'"]:
            problems.append(f"{url}: style-src {policy.get('style-src')}")
        if response["Content-Type"].startswith("text/html") and not response.streaming:
            inline = INLINE_SCRIPT.findall(response.content.decode())
            if inline:
                problems.append(f"{url}: inline script the CSP blocks: {inline}")
    assert problems == []


def test_limit_above_the_cap_is_capped(token_client, dave, settings):
    settings.API_MAX_PAGE_SIZE = 3
    TeamFactory.create_batch(5)
    response = token_client(dave).get("/api/teams/?limit=1000")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5
    assert len(body["results"]) == 3
    assert "limit=3" in body["next"]


def test_list_pages_by_default_limit(token_client, dave):
    TeamFactory.create_batch(27)
    body = token_client(dave).get("/api/teams/").json()
    assert len(body["results"]) == 25
    assert body["next"] is not None
    page_two = token_client(dave).get(body["next"]).json()
    assert len(page_two["results"]) == 2


@pytest.mark.parametrize("query", ["limit=abc", "offset=-1", "limit=0", "limit=-5"])
def test_nonsense_paging_parameters_never_fail(token_client, dave, query):
    TeamFactory.create_batch(2)
    response = token_client(dave).get(f"/api/teams/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1
