"""Hypothesis strategies of hostile input, for the generated half of the hostile-input suite
(`registry.core.testing.hostile` holds the declared table and the endpoints).

- `hostile_text()`: text built from what breaks stores, encoders, renderers and readers:
  lone surrogates, NUL and other C0 controls, bidirectional controls, zero-width and
  invisible characters, non-characters, line separators and CR/LF mixes, combining marks
  and astral characters, mixed with ordinary text; sometimes 200 KB of it, sometimes
  nested 40 to 5,000 levels deep (Markdown quotes and lists, JSON brackets written as text).
- `hostile_json()`: what a JSON body may carry in a field: hostile text, or a list nested
  deeper than any input may be (`Deep`, expanded by the encoders without recursion),
  objects with hostile keys, and values of the wrong type.

`form_safe(value)`: the same value as a form could send it (only text that UTF-8 can
encode travels in a form: a lone surrogate becomes U+FFFD, as a browser would send it).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from registry.core.testing.hostile import Deep

SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
CONTROLS = ("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85")
BIDI = (
    *"\u202a\u202b\u202c\u202d\u202e",  # embeddings and overrides
    *"\u2066\u2067\u2068\u2069",  # isolates
    *"\u200e\u200f\u061c",  # marks (allowed: right-to-left writers need them)
)
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad")
INVISIBLE_LETTERS = ("\u3164", "\u115f", "\u1160", "\uffa0", "\u2800")
ODD = (
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "\ufdd0",  # non-characters
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "\n\n",  # line ends
    "\u0301",
    "e\u0301",
    "\U0001f600",
    "\U0001f1eb\U0001f1f7",  # combining, astral, flags
    "<script>",
    "{{",
    "{%",
    "']\"",
    "\\",
    "%00",
    "&#0;",  # markup and escapes
)
HOSTILE_PIECES = (*SURROGATES, *CONTROLS, *BIDI, *ZERO_WIDTH, *INVISIBLE_LETTERS, *ODD)

#: Openers that nest in Markdown or in JSON read as text.
NESTERS = ("> ", "- ", "1. ", "[", "{", "*", "    ")
BIG = 200_000  # characters: the section cap is 200 KB (MARKDOWN_MAX_BYTES)


def _short_text() -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12))
    return st.lists(pieces, min_size=1, max_size=24).map("".join)


def _big_text() -> st.SearchStrategy[str]:
    def build(fill: str, size: int, tail: str) -> str:
        return (fill * (size // len(fill) + 1))[:size] + tail

    fills = st.sampled_from(["x", "word ", "é", "a\u200b", "\u202e", "| a |\n", "# h\n"])
    sizes = st.sampled_from([BIG - 1, BIG, BIG + 1, 2 * BIG])
    return st.builds(build, fills, sizes, _short_text() | st.just(""))


def _nested_text() -> st.SearchStrategy[str]:
    closers = {"[": "]", "{": "}"}

    def build(opener: str, depth: int, inner: str) -> str:
        if opener in closers:
            return opener * depth + inner + closers[opener] * depth
        if opener == "    ":  # indented list items: the text grows as depth², so fewer
            return "".join(f"{'  ' * level}- {inner}\n" for level in range(min(depth, 400)))
        return opener * depth + inner

    return st.builds(build, st.sampled_from(NESTERS), st.integers(40, 5_000), _short_text())


def hostile_text() -> st.SearchStrategy[str]:
    """Hostile text (see the module docs): mostly short, sometimes huge or deeply nested."""
    return st.one_of(_short_text(), _short_text(), _big_text(), _nested_text())


def hostile_json() -> st.SearchStrategy[Any]:
    """A hostile value for one field of a JSON body (see the module docs)."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False))
    return st.one_of(
        hostile_text(),
        hostile_text(),
        st.builds(Deep, st.integers(33, 5_000)),
        st.dictionaries(_short_text(), _short_text(), min_size=1, max_size=3),
        st.lists(_short_text(), min_size=1, max_size=3),
        scalars,
    )


def form_safe(value: Any) -> str:
    """`value` as a form field could carry it: text only, without lone surrogates."""
    if not isinstance(value, str):
        value = repr(value)
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
