"""The one Markdown pipeline of the product, used by pages and PDFs alike.

markdown-it-py (CommonMark, raw HTML off, tables and strikethrough) -> HTML -> nh3
allowlist -> safe string. The parser is linear in its input: a section up to the size cap
renders in bounded time whatever it holds, so there is no list of constructs to refuse,
only a size cap and a nesting limit. Raw HTML is off in the parser so that `<script>`
typed by a user shows as text; nh3 afterwards is defence in depth for whatever the rules
below emit. Links keep only https, http, mailto and relative URLs; `javascript:` and
`data:` URLs, event handlers, scripts, iframes and styles never survive (no `style`
attribute at all: table alignment is carried by `align`).

Rendered HTML is cached by content hash (and PIPELINE_VERSION), so reading a page never
parses the same text twice.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import logging
import re

import nh3
from django.conf import settings
from django.core.cache import caches
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from registry.core.errors import DomainError
from registry.core.text import text_problem

logger = logging.getLogger(__name__)

#: Part of every cache key: bump it whenever the same text would render differently (a
#: parser upgrade, a new rule, a changed allowlist), so that no stale HTML is served.
PIPELINE_VERSION = "2"

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
TOC_MARKER = "[TOC]"

#: Quotes and lists may nest this deep. The parser silently drops what lies deeper than its
#: own limit, so a section that reaches it is refused on save and shown as plain text if
#: already stored: nothing a user wrote is ever hidden.
MAX_NESTING = 40
# Every quote or list item adds at most two levels to the parser's count (list + item),
# plus one for the paragraph inside: so MAX_NESTING containers always fit. The recursion
# this allows (a few frames a level) stays far below Python's limit.
_PARSER_MAX_NESTING = 2 * MAX_NESTING + 3
# Brackets inside a link's text may nest this deep (`[see [1]](url)` is 2); deeper ones
# stay text. Each level adds a pass over the rest of a paragraph full of `[`.
_INLINE_MAX_NESTING = 8

# A URL with no scheme (no ":" before the first "/", "?" or "#") is relative.
_SAFE_HREF = re.compile(r"^(?:https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


class NestingTooDeep(Exception):
    """The text nests quotes or lists deeper than the parser renders."""


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


# --- heading ids and the table of contents -------------------------------------------------


def _slug(text: str) -> str:
    """Python-Markdown's `slugify_unicode` (the ids it gave stay valid links), prefixed."""
    value = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return HEADING_ID_PREFIX + re.sub(r"[-\s]+", "-", value)


class _HeadingIds:
    """Unique ids, `md-x`, `md-x_1`, `md-x_2`... in linear time: the next suffix of every
    slug is remembered, so 20,000 equal headings do not retry 1, 2, 3... each time."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def new(self, slug: str) -> str:
        candidate = slug
        if candidate in self.used:
            suffix = self.next_suffix.get(slug, 1)
            while f"{slug}_{suffix}" in self.used:
                suffix += 1
            self.next_suffix[slug] = suffix + 1
            candidate = f"{slug}_{suffix}"
        self.used.add(candidate)
        return candidate


def _plain_text(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    )


def _is_toc_marker(tokens: list[Token], index: int) -> bool:
    return (
        tokens[index].type == "paragraph_open"
        and index + 2 < len(tokens)
        and tokens[index + 1].content.strip() == TOC_MARKER
        and tokens[index + 2].type == "paragraph_close"
    )


def _toc_html(headings: list[tuple[int, str, str]]) -> str:
    """Nested lists of links to the headings (level, id, text), as Python-Markdown's `toc`."""
    parts = ['<div class="toc">']
    levels: list[int] = []  # the heading level of each open <ul>
    for level, anchor, text in headings:
        if levels and level > levels[-1]:
            parts.append("<ul>")  # inside the open <li>
            levels.append(level)
        else:
            while len(levels) > 1 and level < levels[-1]:
                parts.append("</li></ul>")
                levels.pop()
            if levels:
                parts.append("</li>")
            else:
                parts.append("<ul>")
                levels.append(level)
        parts.append(f'<li><a href="#{html_lib.escape(anchor)}">{html_lib.escape(text)}</a>')
    parts.append("</li></ul>" * len(levels))
    parts.append("</div>\n")
    return "".join(parts)


def _registry_rules(state: StateCore) -> None:
    """One linear pass over the tokens: heading ids, the first [TOC], `align` for table
    cells, `<del>` for strikethrough."""
    tokens = state.tokens
    ids = _HeadingIds()
    headings: list[tuple[int, str, str]] = []
    toc_at = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _plain_text(tokens[index + 1])
            anchor = ids.new(_slug(text))
            token.attrSet("id", anchor)
            headings.append((int(token.tag[1]), anchor, text))
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrSet("align", style.removeprefix("text-align:"))
        elif token.type == "inline":
            for child in token.children or ():
                if child.type in ("s_open", "s_close"):
                    child.tag = "del"
        elif toc_at is None and _is_toc_marker(tokens, index):
            toc_at = index
    if toc_at is not None:
        # Only the first marker: a table of contents per marker would make the output grow
        # with (markers x headings).
        toc = Token("html_block", "", 0, content=_toc_html(headings))
        tokens[toc_at : toc_at + 3] = [toc]


# --- the parser ---------------------------------------------------------------------------


def _configured_parser(max_nesting: int) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.options["maxNesting"] = max_nesting
    parser.enable(["table", "strikethrough"])
    # Every link parses as a link, whatever its scheme; the href is judged after parsing
    # (and again by nh3), so an unsafe link keeps its text and loses only its href.
    parser.validateLink = lambda url: True
    return parser


class _Converter:
    """Markdown text -> HTML, before sanitising.

    Two configurations of one parser: the parser's nesting limit bounds both containers
    (quotes, lists) and the search for a link's closing bracket, whose cost is
    (text x limit). So blocks get a generous limit, and inline text (where only brackets
    nest) a small one, by parsing every inline token with a second parser."""

    def __init__(self) -> None:
        self.inline_parser = _configured_parser(_INLINE_MAX_NESTING)
        parser = _configured_parser(_PARSER_MAX_NESTING)
        parser.core.ruler.at("inline", self._parse_inline)
        parser.core.ruler.push("registry", _registry_rules)
        parser.add_render_rule("link_open", self._link_open)
        self.parser = parser

    def _parse_inline(self, state: StateCore) -> None:
        inline = self.inline_parser
        for token in state.tokens:
            if token.type == "inline":
                token.children = []
                inline.inline.parse(token.content, inline, state.env, token.children)

    @staticmethod
    def _link_open(renderer, tokens, index, options, env) -> str:
        token = tokens[index]
        if not _SAFE_HREF.match(str(token.attrGet("href") or "")):
            token.attrs.pop("href", None)
        return renderer.renderToken(tokens, index, options, env)

    def convert(self, text: str) -> str:
        tokens = self.parser.parse(text)
        # The parser stops descending at its limit and drops what lies deeper; only a token
        # opened one level below the limit can have had content dropped.
        if any(token.level >= _PARSER_MAX_NESTING - 1 for token in tokens):
            raise NestingTooDeep
        return self.parser.renderer.render(tokens, self.parser.options, {})


@functools.cache
def _markdown_converter() -> _Converter:
    return _Converter()


# --- validation and rendering -------------------------------------------------------------

_NESTING_PROBLEM = f"it nests quotes or lists more than {MAX_NESTING} levels deep"


def validate_markdown(text: str, *, field: str) -> None:
    """Refuse a section larger than MARKDOWN_MAX_BYTES, nested deeper than the renderer
    shows, or holding what cannot be stored, naming the field. (Renders the text, which is
    then cached for its first read.)"""
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
    _, problem = _rendering(text)
    if problem:
        raise DomainError(
            f"{field} cannot be rendered: {problem}.", field=field, code="too_complex"
        )


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitised HTML, safe to put in a page or a PDF."""
    if not text:
        return mark_safe("")
    html, _ = _rendering(text)
    return mark_safe(html)  # noqa: S308 (sanitised by nh3, or escaped plain text)


def render_markdown_uncached(text: str) -> SafeString:
    """render_markdown without the cache (for the benchmark and tests)."""
    return mark_safe(_render(text)[0])  # noqa: S308 (sanitised by nh3, or escaped plain text)


def _cache_key(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"markdown:{PIPELINE_VERSION}:{digest}"


def _cache():
    """The "markdown" cache: shared by every process (settings.CACHES)."""
    return caches["markdown"]


def _rendering(text: str) -> tuple[str, str | None]:
    """(sanitised HTML, why the text could not be rendered or None), from the cache when the
    same text was rendered before. A cache outage costs time, never the page."""
    key = _cache_key(text)
    try:
        cached = _cache().get(key)
    except Exception:  # any cache backend's connection error
        logger.warning("Markdown cache unavailable; rendering without it", exc_info=True)
        return _render(text)
    if cached is not None:
        return cached
    result = _render(text)
    try:
        _cache().set(key, result, settings.MARKDOWN_CACHE_SECONDS)
    except Exception:  # as above
        logger.warning("Markdown cache unavailable; rendering without it", exc_info=True)
    return result


def _as_plain_text(text: str) -> str:
    return str(format_html('<pre class="markdown-fallback">{}</pre>', text))


def _render(text: str) -> tuple[str, str | None]:
    try:
        html = _markdown_converter().convert(text)
    except (NestingTooDeep, RecursionError):
        # Text stored before the limit existed: shown whole, as text, rather than in part.
        return _as_plain_text(text), _NESTING_PROBLEM
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean.rstrip("\n"), None
