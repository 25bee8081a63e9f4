"""The renderer never reads a local file or reaches the network on an author's behalf, and
an over-long render fails with a reason. Hostile documents go straight to the renderer
(past the Markdown sanitiser, which would already drop most of this), and a canary HTTP
server on this machine records every request made to it."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from exports.fetcher import BlockedResource, SafeFetcher, find_static, static_url
from exports.renderer import RenderError, render_pdf
from tests.exports.conftest import pdf_text

CSS = "body { font-family: 'DejaVu Sans'; }"
PASSWD_MARK = b"root:x:0:0"


@pytest.fixture
def canary():
    """A local HTTP server that records the path of every request; /redirect answers 302
    to file:///etc/passwd and /hop to /img."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            if self.path == "/hop":
                self.send_response(301)
                self.send_header("Location", "/img")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.hits = hits
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def hostile_document(base: str) -> str:
    svg_doc = (
        "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
        "xmlns:xlink='http://www.w3.org/1999/xlink'><image href='" + base + "/svg-in-data' "
        "width='10' height='10'/><image xlink:href='file:///etc/passwd'/></svg>"
    )
    return f"""<!DOCTYPE html><html><head>
<base href="file:///etc/">
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="{base}/attachment">
<link rel="attachment" href="../../../../../etc/passwd">
<link rel="stylesheet" href="{base}/stylesheet.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>
@import url("{base}/import.css");
@import "file:///etc/passwd";
@font-face {{ font-family: x; src: url("{base}/font.woff"); }}
body {{ background: url("file:///etc/passwd"); }}
p.a {{ background-image: url("{base}/bg.png"); }}
p.b {{ list-style-image: url("{base}/redirect"); }}
p.c {{ background: url("{base}/hop"); }}
p.d {{ background: url("passwd"); }}
p.e {{ background: url("registry-static:../../../../etc/passwd"); }}
</style></head><body>
<h1>Hostile</h1>
<p class="a b c d e">text</p>
<img src="file:///etc/passwd">
<img src="/etc/passwd">
<img src="passwd">
<img src="../../../../etc/passwd">
<img src="{base}/img.png">
<img src="{base}/redirect">
<img src="{base}/hop">
<img src="{svg_doc}">
<img src="registry-static:../../../../../etc/passwd">
<img src="registry-static:registry/../../../../etc/passwd">
<img src="registry-static:/etc/passwd">
<img src="registry-static:%2e%2e/%2e%2e/etc/passwd">
<img src="data:text/html;base64,PGgxPng8L2gxPg==">
<svg width="10" height="10"><image href="{base}/svg-inline" width="10" height="10"/>
  <image href="file:///etc/passwd" width="10" height="10"/>
  <use href="{base}/use.svg#x"/></svg>
<object data="file:///etc/passwd"></object><embed src="{base}/embed">
<iframe src="file:///etc/passwd"></iframe>
<video poster="{base}/poster.png"></video>
<a href="file:///etc/passwd">a link (not fetched)</a>
</body></html>"""


def test_hostile_document_renders_without_local_files_or_network(canary):
    result = render_pdf(hostile_document(canary.url), CSS, uncompressed=True)
    assert canary.hits == []
    assert PASSWD_MARK not in result.pdf
    assert b"/EmbeddedFile" not in result.pdf
    assert "root:" not in pdf_text(result.pdf)
    assert "Hostile" in pdf_text(result.pdf)
    # The renderer did ask, and every request was refused.
    blocked = "\n".join(result.blocked)
    assert "file:///etc/passwd" in blocked
    assert f"{canary.url}/attachment" in blocked
    assert f"{canary.url}/import.css" in blocked
    assert f"{canary.url}/img.png" in blocked


def test_the_canary_does_answer_a_real_request(canary):
    """The canary would have seen a request (so its silence above means something)."""
    import urllib.request

    urllib.request.urlopen(f"{canary.url}/probe", timeout=5).read()
    assert canary.hits == ["/probe"]


def test_weasyprint_default_fetcher_would_have_leaked(canary):
    """The same document through WeasyPrint's default fetcher reaches the canary and
    embeds /etc/passwd: what SafeFetcher prevents is real."""
    from weasyprint import HTML

    pdf = HTML(string=hostile_document(canary.url)).write_pdf(uncompressed_pdf=True)
    assert canary.hits
    assert PASSWD_MARK in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x",
        "data:text/html,<h1>x</h1>",
        "data:image/svg+xml,<svg/>",
        "registry-static:../etc/passwd",
        "registry-static:registry/../../etc/passwd",
        "registry-static:/etc/passwd",
        "registry-static:%2e%2e/etc/passwd",
        "registry-static:registry\\..\\x",
        "registry-static:registry/registry.js",  # exists, but not a printable type
        "registry-static:no/such/file.css",
        "jar:file:///x!/y",
    ],
)
def test_fetcher_refuses(url):
    fetcher = SafeFetcher()
    with pytest.raises(BlockedResource):
        fetcher.fetch(url)
    assert fetcher.blocked == [url]


def test_fetcher_serves_data_images_and_own_static_files():
    fetcher = SafeFetcher()
    png = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert png.read() == b"\x89PNG\r\n\x1a\n"
    css = fetcher.fetch(static_url("registry/registry.css"))
    assert css.content_type == "text/css"
    assert b"{" in css.read()


def test_static_file_behind_a_symlink_out_of_the_static_directory_is_refused(settings, tmp_path):
    from django.contrib.staticfiles import finders

    static = tmp_path / "static"
    (static / "evil").mkdir(parents=True)
    (static / "evil" / "passwd.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(static)]
    finders.get_finder.cache_clear()
    try:
        assert Path(finders.find("evil/passwd.css")).exists()
        with pytest.raises(BlockedResource, match="outside"):
            find_static("evil/passwd.css")
    finally:
        finders.get_finder.cache_clear()


def test_huge_table_render_is_stopped_with_a_reason():
    rows = "".join(f"<tr><td>{i}</td><td>cell</td><td>cell</td></tr>" for i in range(60000))
    html = f"<html><body><table>{rows}</table></body></html>"
    with pytest.raises(RenderError, match=r"longer than 1 s"):
        render_pdf(html, CSS, timeout=1)


def test_too_many_pages_is_refused_with_a_reason(settings):
    settings.PDF_MAX_PAGES = 2
    html = "<html><body>" + "<p style='break-after: page'>x</p>" * 5 + "</body></html>"
    with pytest.raises(RenderError, match=r"5 pages; the limit is 2"):
        render_pdf(html, CSS)


def test_too_large_pdf_is_refused_with_a_reason(settings):
    settings.PDF_MAX_BYTES = 1000
    with pytest.raises(RenderError, match=r"PDF_MAX_BYTES"):
        render_pdf("<html><body><p>x</p></body></html>", CSS)


def test_a_crashing_render_is_reported(settings):
    settings.PDF_RENDER_MAX_MEMORY_MB = 64  # less than the render needs
    with pytest.raises(RenderError):
        render_pdf("<html><body><p>x</p></body></html>", CSS)
