"""The one Markdown pipeline of the product, used by pages and PDFs alike.

Markdown (raw HTML switched off) -> HTML -> nh3 allowlist -> safe string. Raw HTML is
disabled in the parser so that `<script>` typed by a user shows as text; nh3 afterwards is
defence in depth for whatever the extensions emit. Links keep only https, http and mailto;
`javascript:` and `data:` URLs, event handlers, scripts, iframes and styles never survive
(no `style` attribute at all: table alignment is carried by `align`).
"""

from __future__ import annotations

import re

import markdown
import nh3
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension

from registry.core.errors import DomainError
from registry.core.text import text_problem

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del",
    "sup", "sub", "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead",
    "tbody", "tr", "th", "td", "div", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # Column alignment as the `align` attribute, not `style`: the pages' CSP forbids inline
    # styles, and the stylesheets (screen and print) map `align` to text-align.
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "div": {"class"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}
HEADING_ID_PREFIX = "md-"


class _NoRawHtml(Extension):
    """Turn raw HTML blocks and inline tags into escaped text."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        # Only the language marker of fenced code, and the table of contents block.
        if tag == "code" and value.startswith("language-"):
            return value
        if tag == "div" and value == "toc":
            return value
        return None
    if attribute == "align":
        return value if value in ("left", "right", "center") else None
    if attribute == "id":
        # Prefixed, so that a heading can never clobber a DOM global the page relies on.
        return value if value.startswith(HEADING_ID_PREFIX) else None
    return value


def _markdown_converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            _NoRawHtml(),
            "tables",
            "fenced_code",
            "sane_lists",
            "toc",
        ],
        extension_configs={
            "toc": {"slugify": _prefixed_slug, "permalink": False},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )


def _prefixed_slug(value: str, separator: str) -> str:
    from markdown.extensions.toc import slugify_unicode

    return HEADING_ID_PREFIX + slugify_unicode(value, separator)


#: Python-Markdown scans from every unmatched `[` to the end of its paragraph, so the work
#: grows with (unmatched brackets x paragraph length): 1,000 of them in a 1,000-character
#: paragraph take 0.2 s, 40,000 take minutes. Beyond this total (over all paragraphs) a
#: section is refused, and never parsed.
MAX_BRACKET_WORK = 1_000_000
#: Lists nested deeper than this recurse past Python's limit in the parser. (Quotes are
#: safe: the parser caps their nesting itself.)
MAX_NESTING = 40
_NESTING_PREFIX = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)*")


def markdown_complexity_problem(text: str) -> str | None:
    """Why `text` would take the Markdown parser unreasonable time or recursion, or None.
    Linear in the length of the text."""
    work = unmatched_total = 0
    for paragraph in re.split(r"\n[ \t]*\n", text):
        depth = 0
        for char in paragraph:  # escaped brackets cost the parser as much: counted too
            if char == "[":
                depth += 1
            elif char == "]" and depth:
                depth -= 1
        work += depth * len(paragraph)
        unmatched_total += depth
    if work > MAX_BRACKET_WORK:
        return (
            f"it has {unmatched_total} “[” without a closing “]”; "
            "close them, or split the text into shorter paragraphs"
        )
    for line in text.split("\n"):
        prefix = _NESTING_PREFIX.match(line).group(0)
        indent = len(prefix.expandtabs(4)) - len(prefix.expandtabs(4).lstrip(" "))
        levels = len(re.findall(r"[-*+]|\d{1,9}[.)]", prefix)) + indent // 4
        if levels > MAX_NESTING:
            return f"it nests lists {levels} levels deep (at most {MAX_NESTING})"
    return None


def validate_markdown(text: str, *, field: str) -> None:
    """Refuse a section larger than MARKDOWN_MAX_BYTES, or too complex to render in bounded
    time, naming the field."""
    problem = text_problem(text)  # before encoding: a lone surrogate cannot be encoded
    if problem:
        raise DomainError(f"{field}: {problem}", field=field)
    limit = settings.MARKDOWN_MAX_BYTES
    size = len(text.encode("utf-8"))
    if size > limit:
        raise DomainError(
            f"{field} is {size // 1024} KB; a section may hold at most {limit // 1024} KB.",
            field=field,
            code="too_large",
        )
    problem = markdown_complexity_problem(text)
    if problem:
        raise DomainError(
            f"{field} cannot be rendered: {problem}.", field=field, code="too_complex"
        )


def _as_plain_text(text: str) -> SafeString:
    return format_html('<pre class="markdown-fallback">{}</pre>', text)


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitised HTML, safe to put in a page or a PDF."""
    if not text:
        return mark_safe("")
    # Text stored before a limit existed, or typed into the preview, is shown as plain text
    # rather than parsed when parsing it would not finish in bounded time.
    if markdown_complexity_problem(text):
        return _as_plain_text(text)
    try:
        html = _markdown_converter().convert(text)
    except RecursionError:
        return _as_plain_text(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
