"""The only way the PDF renderer reaches a resource: `SafeFetcher`.

WeasyPrint's default fetcher opens `file:`, `http(s):` and `ftp:` URLs and follows
redirects (reference: ecosystem-and-reliability.md section 1). This one opens nothing of
the sort and never calls urllib at all: it serves

- `data:` URIs of images and fonts (decoded here, size-capped), and
- the product's own static files, named `registry-static:<path>` (the layout's stylesheet,
  the logo), found through the staticfiles finders, the path refused if it climbs out
  (`..`, absolute, backslashes, NUL, percent-encoded tricks) or resolves (through a
  symbolic link) outside the static directories, and only with a known file type.

Everything else (files, the network, other `data:` types such as HTML or SVG documents
that could carry references of their own) is refused: the resource is skipped and the
refusal recorded in `blocked`, so a document naming it still renders. Renders run with
`base_url=None`, so relative URLs are never even asked for.
"""

from __future__ import annotations

import base64
import mimetypes
import urllib.parse
from pathlib import Path, PurePosixPath

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

STATIC_SCHEME = "registry-static"
#: Types served, from data: URIs and static files alike.
DATA_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "font/woff", "font/woff2", "font/ttf"}
)
STATIC_TYPES = DATA_TYPES | {"text/css", "image/svg+xml"}
MAX_RESOURCE_BYTES = 5 * 1024 * 1024


class BlockedResource(ValueError):
    """A resource the renderer may not fetch (skipped, not fatal)."""


def static_url(path: str) -> str:
    """The URL under which the layout names one of the product's static files."""
    return f"{STATIC_SCHEME}:{path}"


def _static_roots() -> list[Path]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [r.resolve() for r in roots if r.exists()]


def find_static(path: str) -> Path:
    """The file of static `path`, or BlockedResource. Only plain relative POSIX paths of
    printable characters; the resolved file must lie inside a static directory."""
    from django.contrib.staticfiles import finders

    if not path or len(path) > 300 or "\x00" in path or "\\" in path or "%" in path:
        raise BlockedResource(f"not a static path: {path[:80]!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in path.split("/")):
        raise BlockedResource(f"static path climbs or is absolute: {path[:80]!r}")
    found = finders.find(str(pure))
    if not found:
        raise BlockedResource(f"no such static file: {path[:80]!r}")
    real = Path(found).resolve()
    if not any(real.is_relative_to(root) for root in _static_roots()):
        raise BlockedResource(f"static file resolves outside the static directories: {path!r}")
    if not real.is_file():
        raise BlockedResource(f"not a file: {path!r}")
    return real


class SafeFetcher(URLFetcher):
    """Serves data: images/fonts and the product's static files; refuses all else."""

    def __init__(self) -> None:
        super().__init__(
            timeout=3,
            allowed_protocols={"data", STATIC_SCHEME},
            allow_redirects=False,
            fail_on_errors=False,
        )
        self.blocked: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        try:
            response = self._serve(str(url))
        except BlockedResource as exc:
            self.blocked.append(str(url)[:200])
            raise exc
        self.served.append(str(url)[:80])
        return response

    # Never reached through urllib: OpenerDirector.open would use the handlers.
    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))

    def _serve(self, url: str) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return self._data(url, rest)
        if scheme == STATIC_SCHEME:
            return self._static(url, rest)
        raise BlockedResource(f"blocked resource {url[:80]!r}: only data: and static files")

    def _data(self, url: str, rest: str) -> URLFetcherResponse:
        header, comma, payload = rest.partition(",")
        if not comma:
            raise BlockedResource("malformed data: URI")
        params = [p.strip().lower() for p in header.split(";")]
        media_type = params[0] or "text/plain"
        if media_type not in DATA_TYPES:
            raise BlockedResource(f"data: URI of type {media_type!r} is not served")
        if len(payload) > MAX_RESOURCE_BYTES * 4 // 3 + 4:
            raise BlockedResource("data: URI too large")
        try:
            body = (
                base64.b64decode(payload, validate=False)
                if "base64" in params[1:]
                else urllib.parse.unquote_to_bytes(payload)
            )
        except ValueError as exc:
            raise BlockedResource("undecodable data: URI") from exc
        return URLFetcherResponse(url, body, {"Content-Type": media_type})

    def _static(self, url: str, rest: str) -> URLFetcherResponse:
        path = rest.split("?", 1)[0].split("#", 1)[0]
        real = find_static(path)
        media_type = mimetypes.guess_type(real.name)[0] or ""
        if media_type not in STATIC_TYPES:
            raise BlockedResource(f"static file of type {media_type!r} is not served")
        if real.stat().st_size > MAX_RESOURCE_BYTES:
            raise BlockedResource("static file too large")
        return URLFetcherResponse(url, real.read_bytes(), {"Content-Type": media_type})
