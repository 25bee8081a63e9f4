"""Hostile-input test cases: one table of bad input, run against every endpoint that takes
input, each refusal checked the same way (a 4xx, the field named, nothing stored).

An app declares its endpoints once, in one list, and its cases; `hostile_params` pairs
every endpoint with the cases it can carry and `assert_refused` runs one pair:

    ENDPOINTS = [
        HostileEndpoint("api-patch", "json", fields=("*",), send=patch_doc, errors=api_errors),
        HostileEndpoint("details-page", "form", fields=("title", "stage"), send=..., errors=...),
    ]
    CASES = [
        HostileCase("surrogate-in-title", {"title": HOSTILE_STRINGS["lone-surrogate"]}, "title"),
        HostileCase("deep-json", {"co_authors": Deep(900)}, "co_authors", transports={"json"}),
    ]

    @pytest.mark.parametrize(("endpoint", "case"), hostile_params(ENDPOINTS, CASES))
    def test_hostile_input_is_refused(endpoint, case, context):
        assert_refused(endpoint, case, context, state=lambda: db_state(DesignDoc, Revision))

A case says which values to put where (`changes`: dotted field -> value, applied by the
endpoint to an input that is valid otherwise) and which field the refusal must name. The
endpoint knows how to carry them: as a JSON body (`json`), a form post (`form`: only text
travels; Django replaces lone surrogates while decoding, so they cannot arrive there), or
a Markdown file with YAML front matter (`markdown`). Values that cannot be written as a
Python literal of reasonable size are markers the encoders below expand: `Deep` (nesting),
`ManyKeys` (extra keys in the top-level object), `ManyRows` (a row count).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

ALL_TRANSPORTS = frozenset({"json", "form", "markdown"})

#: Text no input may hold: each is refused wherever it appears (value or key).
HOSTILE_STRINGS: dict[str, str] = {
    "lone-surrogate": "a\ud800b",
    "lone-low-surrogate": "\udfff",
    "nul": "a\x00b",
}
#: Text that shows nothing: a required field holding only this is empty.
INVISIBLE_STRINGS: dict[str, str] = {
    "zero-width-space": "\u200b",
    "joiners-and-word-joiner": "\u200c\u200d\u2060",
    "byte-order-mark-and-spaces": " \ufeff ",
    "hangul-filler": "\u3164",
}
#: Values of the wrong type for a field that takes one of a set of texts: none of them may
#: be read as a default.
WRONG_CHOICE_VALUES: dict[str, Any] = {
    "empty-list": [],
    "zero": 0,
    "false": False,
    "empty-object": {},
    "empty-text": "",
    "null": None,
}


@dataclass(frozen=True)
class Deep:
    """A list nested `depth` levels deep."""

    depth: int


@dataclass(frozen=True)
class ManyKeys:
    """`count` extra keys in the top-level object (use the path `ROOT`)."""

    count: int


@dataclass(frozen=True)
class ManyRows:
    """A section claiming `declared` rows: a form says so in its TOTAL_FORMS; JSON and YAML
    send `sent` copies of `row` (enough to pass the limit, small enough to upload)."""

    declared: int
    sent: int
    row: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


ROOT = "*"


@dataclass(frozen=True)
class HostileCase:
    id: str
    changes: dict[str, Any]
    field: str
    transports: frozenset[str] = ALL_TRANSPORTS

    def __post_init__(self) -> None:
        object.__setattr__(self, "transports", frozenset(self.transports))


@dataclass(frozen=True)
class HostileEndpoint:
    """`send(context, changes)` makes the request; `errors(response)` reads the refusal as
    {dotted field: [messages]}. `fields` are the dotted prefixes it can carry (`*`: any).
    `also_names` are keys that name the field too (e.g. the upload field, for an error in
    a file that names its line). `refusal_statuses`: what a refusal answers (default any
    4xx); an htmx partial answers 200 with the error, as htmx swaps only 2xx responses."""

    id: str
    transport: str
    fields: tuple[str, ...]
    send: Callable[[Any, dict[str, Any]], Any]
    errors: Callable[[Any], dict[str, list[str]]]
    also_names: tuple[str, ...] = ()
    refusal_statuses: tuple[int, ...] = tuple(range(400, 500))
    #: the dotted fields generated input goes into (default: `fields`, less `*` and ROOT)
    generated_fields: tuple[str, ...] = ()
    #: `read_back(context, response)`: after an accepted request (2xx/3xx), what is stored
    #: now, as {field: value} with the same dotted names, or None if the response stored
    #: nothing; None for an endpoint that never stores (a preview)
    read_back: Callable[[Any, Any], dict[str, Any] | None] | None = None

    def fields_to_generate(self) -> tuple[str, ...]:
        if self.generated_fields:
            return self.generated_fields
        fields = tuple(f for f in self.fields if f not in ("*", ROOT))
        assert fields, f"{self.id}: declare generated_fields"
        return fields

    def carries(self, case: HostileCase) -> bool:
        if self.transport not in case.transports:
            return False
        for path, value in case.changes.items():
            if "*" not in self.fields and not any(
                path == f or path.startswith(f + ".") for f in self.fields
            ):
                return False
            if self.transport == "form" and not _travels_in_a_form(value):
                return False
        return True


def _travels_in_a_form(value: Any) -> bool:
    """Only text travels in a form, and only text UTF-8 can encode: a lone surrogate cannot
    be sent (and Django replaces invalid bytes while decoding, so none can arrive)."""
    if isinstance(value, ManyRows):
        return True
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def hostile_params(endpoints: Iterable[HostileEndpoint], cases: Iterable[HostileCase]) -> list:
    """pytest params (endpoint, case) for every case each endpoint can carry."""
    cases = list(cases)
    return [
        pytest.param(endpoint, case, id=f"{endpoint.id}-{case.id}")
        for endpoint in endpoints
        for case in cases
        if endpoint.carries(case)
    ]


def assert_refused(endpoint: HostileEndpoint, case: HostileCase, context: Any, *, state) -> Any:
    """Send the case; assert the refusal status, that the errors name `case.field` (or a
    field under it), and that `state()` (e.g. `db_state(...)`) did not change."""
    before = state()
    response = endpoint.send(context, case.changes)
    assert response.status_code in endpoint.refusal_statuses, (
        f"{endpoint.id} answered {response.status_code}: {response.content[:300]!r}"
    )
    errors = endpoint.errors(response)
    names = (case.field, *endpoint.also_names)
    assert any(key == name or key.startswith(name + ".") for key in errors for name in names), (
        f"no error names {names}: {errors!r}"
    )
    assert all(
        messages and all(isinstance(m, str) and m for m in messages) for messages in errors.values()
    ), errors
    assert state() == before, "the refused request changed stored data"
    return response


def get_path(data: Any, path: str) -> Any:
    """The value at the dotted `path` of `data` (digits index lists); KeyError if absent."""
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def stored_as_sent(sent: Any, stored: Any) -> bool:
    """`stored` is what was sent, up to the normalisations the product documents: text
    loses its surrounding blank space and gets Unix newlines; a list of names may be sent
    as comma-separated text."""
    if stored == sent:
        return True
    if sent is None and stored == []:
        return True  # null for a row section is documented as "no rows"
    if isinstance(sent, str) and isinstance(stored, str):
        normal = sent.replace("\r\n", "\n").replace("\r", "\n")
        return stored in (sent.strip(), normal.strip())
    if isinstance(sent, str) and isinstance(stored, list):
        return sorted(stored) == sorted(n.strip() for n in sent.split(",") if n.strip())
    return False


def assert_generated_input_handled(
    endpoint: HostileEndpoint, context: Any, path: str, value: Any, *, state
) -> Any:
    """Send generated input `value` in `path`: never a 5xx; refused (4xx, or an endpoint
    that never stores) leaves `state()` unchanged; accepted, the stored value is the one
    sent (`stored_as_sent`)."""
    before = state()
    response = endpoint.send(context, {path: value})
    status = response.status_code
    assert status < 500, f"{endpoint.id} answered {status} for {path}={value!r:.200}"
    stored = None
    if status < 400 and endpoint.read_back is not None:
        stored = endpoint.read_back(context, response)
    if stored is None:
        assert state() == before, (
            f"{endpoint.id} answered {status} and changed stored data for {path}={value!r:.200}"
        )
        return response
    try:
        kept = get_path(stored, path)
    except (KeyError, IndexError):
        return response  # not content (a message with nothing to save)
    assert stored_as_sent(value, kept), (
        f"{endpoint.id} accepted {path}={value!r:.200} but stored {kept!r:.200}"
    )
    return response


def db_state(*models, objects: Iterable[Any] = (), fields: tuple[str, ...] = ("version",)):
    """What a refused request must leave as it was: the row count of each model, and the
    `fields` of each object (reloaded)."""
    counts = tuple(model._default_manager.count() for model in models)
    values = []
    for obj in objects:
        fresh = type(obj)._default_manager.filter(pk=obj.pk).values(*fields).first()
        values.append(fresh)
    return counts, tuple(map(repr, values))


# --- encoders -------------------------------------------------------------------------------


def set_path(body: dict[str, Any], path: str, value: Any) -> None:
    """Set the dotted `path` of `body` (digits index lists) to `value`, in place."""
    if path == ROOT:
        body[ROOT] = value
        return
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def with_changes(body: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(json.dumps(body))  # a deep copy of plain data
    for path, value in changes.items():
        set_path(body, path, value)
    return body


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def json_text(body: dict[str, Any]) -> str:
    """`body` as JSON text, with the markers expanded (by text, never by recursion)."""
    raw: dict[str, str] = {}

    def marker(value: Any) -> Any:
        if isinstance(value, Deep):
            token = f"@@raw{len(raw)}@@"
            raw[f'"{token}"'] = "[" * value.depth + "]" * value.depth
            return token
        if isinstance(value, ManyRows):
            return [value.row] * value.sent
        raise TypeError(type(value))

    extra = body.get(ROOT)
    body = {k: v for k, v in body.items() if k != ROOT}
    text = json.dumps(body, default=marker)
    for token, replacement in raw.items():
        text = text.replace(token, replacement)
    if isinstance(extra, ManyKeys):
        keys = ",".join(f'"{_base36(i)}":0' for i in range(extra.count))
        text = text[:-1] + ("," if body else "") + keys + "}"
    return text
