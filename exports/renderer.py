"""HTML to PDF, safely and within limits.

`render_pdf(html, css)` lays the document out with WeasyPrint in a child process (forked:
WeasyPrint and the fonts are already loaded) with `base_url=None` and `SafeFetcher`, under
a watchdog: the child is killed when it runs past `timeout` seconds, and its address space
is capped (`RLIMIT_AS`), so a hostile or huge document fails with a reason
(`RenderError`) instead of hanging a worker or eating its memory. The PDF is refused when
it has more than `max_pages` pages or `max_bytes` bytes. Progress is reported through
`on_progress(percent, stage)` as the child passes its stages. WeasyPrint has no render
timeout of its own and `file://` reads have none either (its docs, section Security), so
the limits are enforced from outside.

Eager Celery ignores task time limits (reference 1.5): this watchdog is what bounds a
render in the embedded default too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

logger = logging.getLogger(__name__)


class RenderError(Exception):
    """The render failed; `str(exc)` says why in words a user can read."""


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    blocked: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _limits() -> tuple[float, int, int, int]:
    return (
        float(settings.PDF_RENDER_TIMEOUT),
        int(settings.PDF_RENDER_MAX_MEMORY_MB) * 1024 * 1024,
        int(settings.PDF_MAX_PAGES),
        int(settings.PDF_MAX_BYTES),
    )


def render_in_process(
    html: str, css: str, *, on_progress=None, uncompressed: bool = False
) -> RenderResult:
    """Lay out and write the PDF in this process (no watchdog: use `render_pdf`)."""
    from weasyprint import CSS, HTML

    from exports.fetcher import SafeFetcher

    started = time.monotonic()
    fetcher = SafeFetcher()
    stylesheet = CSS(string=css, url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], presentational_hints=False
    )
    if on_progress:
        on_progress(len(document.pages))
    pdf = document.write_pdf(pdf_identifier=b"ml-design-registry", uncompressed_pdf=uncompressed)
    return RenderResult(
        pdf=pdf,
        pages=len(document.pages),
        blocked=list(fetcher.blocked),
        seconds=time.monotonic() - started,
    )


def _child(conn, html: str, css: str, memory: int, max_pages: int, uncompressed: bool) -> None:
    try:
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        def laid_out(pages: int) -> None:
            if pages > max_pages:
                raise RenderError(
                    f"The document has {pages} pages; the limit is {max_pages} (PDF_MAX_PAGES)."
                )
            conn.send(("laid_out", pages))

        result = render_in_process(html, css, on_progress=laid_out, uncompressed=uncompressed)
        conn.send(("done", result))
    except RenderError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", "The render ran out of memory (PDF_RENDER_MAX_MEMORY_MB)."))
    except BaseException as exc:  # the child reports everything, then exits
        conn.send(("error", f"The renderer failed: {type(exc).__name__}: {str(exc)[:300]}"))
    finally:
        conn.close()
        os._exit(0)


def render_pdf(
    html: str,
    css: str,
    *,
    timeout: float | None = None,
    on_progress: Callable[[int, str], None] | None = None,
    uncompressed: bool = False,
) -> RenderResult:
    """Render in a watched child process (`uncompressed`: PDF streams left readable, for
    tests that search the bytes). Raises RenderError with the reason on a timeout,
    a crash, too much memory, too many pages or too many bytes."""
    default_timeout, memory, max_pages, max_bytes = _limits()
    timeout = default_timeout if timeout is None else timeout
    context = multiprocessing.get_context("fork")
    parent_conn, child_conn = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(child_conn, html, css, memory, max_pages, uncompressed), daemon=False
    )
    started = time.monotonic()
    process.start()
    child_conn.close()
    result: RenderResult | None = None
    try:
        while True:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                raise RenderError(
                    f"The render took longer than {timeout:g} s and was stopped "
                    "(PDF_RENDER_TIMEOUT); the document may be too large to print."
                )
            if not parent_conn.poll(min(remaining, 0.5)):
                if not process.is_alive() and not parent_conn.poll(0):
                    raise RenderError(
                        f"The renderer stopped unexpectedly (exit code {process.exitcode})."
                    )
                continue
            try:
                kind, value = parent_conn.recv()
            except EOFError as exc:
                raise RenderError(
                    f"The renderer stopped unexpectedly (exit code {process.exitcode}); "
                    "it may have run out of memory (PDF_RENDER_MAX_MEMORY_MB)."
                ) from exc
            if kind == "laid_out":
                if on_progress:
                    on_progress(70, f"laid out {value} pages")
            elif kind == "error":
                raise RenderError(value)
            else:
                result = value
                break
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent_conn.close()
    if len(result.pdf) > max_bytes:
        raise RenderError(
            f"The PDF would be {len(result.pdf) // 1024} KiB; the limit is "
            f"{max_bytes // 1024} KiB (PDF_MAX_BYTES)."
        )
    result.seconds = time.monotonic() - started
    if result.blocked:
        logger.info("PDF render skipped %d blocked resource(s)", len(result.blocked))
    return result
