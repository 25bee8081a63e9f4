"""Small text checks shared by every input path.

Incoming data (a JSON body, the YAML front matter of an import, a form's values) is walked
once by `data_problems` before anything else reads it: every key and every string value
is checked for what no store or encoder accepts, nesting depth and the number of values
are bounded, and each problem is reported under the dotted name of the field at fault
(`risks.2.title`). The walk is iterative, so no input can exhaust Python's recursion
limit, and it stops as soon as a limit is passed, so its work is bounded too.

Refused in any text: NUL (PostgreSQL cannot store it in text, and no user means to type
it) and lone surrogates (`"\\ud800"` in JSON: not Unicode text, UTF-8 cannot encode it, so
hashing, rendering or storing it would fail). Unicode non-characters (U+FFFE, U+FDD0...)
are accepted on purpose: they are valid UTF-8 that PostgreSQL stores, and Unicode allows
them in interchange (Corrigendum #9).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from registry.core.errors import DomainError

#: Containers nested deeper than this are refused. The deepest legitimate input is a design
#: doc's row (document -> rows -> row): 3 levels.
MAX_DEPTH = 32
#: At most this many values in one input (every key of an object and every element of a
#: list counts one). A design doc with 200 rows in each section holds about 7,000.
MAX_ITEMS = 20_000
#: Problems reported per input: enough to correct a file, few enough to keep the answer small.
MAX_REPORTED = 20

NUL_MESSAGE = "Text may not contain NUL (\\x00) characters."
SURROGATE_MESSAGE = (
    "Text may not contain a lone surrogate code point (such as \\ud800): it is not Unicode text."
)
DEPTH_MESSAGE = f"Nested more than {MAX_DEPTH} levels deep."
BIDI_CONTROL_MESSAGE = (
    "may not contain invisible bidirectional control characters (U+202A to U+202E, "
    "U+2066 to U+2069): they make the text display in another order than it is stored."
)

#: Embedding, override and isolate controls. (The marks U+200E/U+200F stay allowed: they
#: only hint the direction of neutral characters, as right-to-left writers need.)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Letters that render as nothing (Unicode category Lo/So, so not caught as format characters).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def items_message(limit: int = MAX_ITEMS) -> str:
    return f"Too many values: at most {limit:,} fields and list items in one request."


def text_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, or None. Linear, at C speed."""
    if "\x00" in value:
        return NUL_MESSAGE
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE_MESSAGE
    return None


def shown(value: Any, limit: int = 80) -> str:
    """`value` as text safe to put in a message or a field name: lone surrogates and NUL
    escaped (a response holding them could not be encoded), long text cut."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def is_blank(value: str) -> bool:
    """True if `value` shows nothing: only white space, invisible format characters (zero
    width space, joiners, word joiner, byte-order mark, bidirectional controls) and the
    letters that render as nothing (Hangul fillers, braille blank)."""
    return all(
        char.isspace() or char in _INVISIBLE_LETTERS or unicodedata.category(char) == "Cf"
        for char in value
    )


#: Characters that show nothing and have no use in a name or title (unlike the joiners, which
#: some scripts need): two titles differing by one of them would look the same.
INVISIBLE_IN_NAMES = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
INVISIBLE_MESSAGE = (
    "may not contain invisible characters (zero width space, word joiner, byte-order mark, "
    "soft hyphen): it would look the same as a text without them."
)


def invisible_in(value: str) -> str | None:
    """The first character of INVISIBLE_IN_NAMES in `value`, or None."""
    if value.isascii():
        return None
    return next((char for char in value if char in INVISIBLE_IN_NAMES), None)


def bidi_control_in(value: str) -> str | None:
    """The first bidirectional embedding/override/isolate control in `value`, or None."""
    if value.isascii():
        return None
    return next((char for char in value if char in BIDI_CONTROLS), None)


def _join(path: str, name: Any) -> str:
    name = shown(name)
    return f"{path}.{name}" if path else name


def data_problems(
    value: Any,
    *,
    root: str = "",
    max_depth: int = MAX_DEPTH,
    max_items: int = MAX_ITEMS,
) -> dict[str, list[str]]:
    """Every key and string of `value` (nested dicts and lists) that is not acceptable text,
    containers nested deeper than `max_depth`, and more than `max_items` values in all:
    {dotted field name: [message]}, in document order. Empty when `value` is fine.
    Iterative, and it stops at the first limit passed or after MAX_REPORTED problems."""
    problems: dict[str, list[str]] = {}
    count = 0
    # (dotted name, value, depth of the container holding it)
    stack: list[tuple[str, Any, int]] = [(root, value, 0)]
    while stack and len(problems) < MAX_REPORTED:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                problems.setdefault(path or "non_field_errors", []).append(problem)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth + 1 > max_depth:
            problems.setdefault(path or "non_field_errors", []).append(DEPTH_MESSAGE)
            continue
        count += len(item)
        if count > max_items:
            problems.setdefault(root or "non_field_errors", []).append(items_message(max_items))
            break
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                name = _join(path, key)
                if isinstance(key, str):
                    problem = text_problem(key)
                    if problem:
                        problems.setdefault(name, []).append(f"The name of this field: {problem}")
                        continue
                children.append((name, child, depth + 1))
        else:
            children = [(_join(path, i), child, depth + 1) for i, child in enumerate(item)]
        stack.extend(reversed(children))
    return problems


def refuse_hostile_data(value: Any, *, root: str = "") -> None:
    """Raise a DomainError naming every field of `value` that `data_problems` refuses."""
    problems = data_problems(value, root=root)
    if problems:
        first = next(iter(problems.values()))[0]
        raise DomainError(first, errors=problems, code="invalid")


def paths_with_nul(value: Any, path: str = "") -> list[str]:
    """Dotted names of the strings (and keys) in `value` holding a NUL character."""
    return [
        name
        for name, messages in data_problems(value, root=path).items()
        if any(NUL_MESSAGE in message for message in messages)
    ]


def parse_count(value: str | None) -> int | None:
    """A whole number written in ASCII digits, or None. (`"²".isdigit()` is true, but
    `int("²")` fails: user input is checked with this, never with `isdigit` alone.)"""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
