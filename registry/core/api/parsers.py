"""The API's JSON parser: bounded work, and every refusal a 400 in the one error shape.

DRF's JSONParser hands the body to `json.load`, which recurses once per nesting level (a
body of 900 `[` exhausts the recursion limit: a RecursionError, so a 500), and it turns
only ValueError into a 400. This parser:

1. decodes the body as UTF-8 (an invalid byte is a 400 naming its position);
2. measures the nesting depth and counts the separators on the raw text, in linear time
   at C speed, and refuses a body nested deeper than `MAX_DEPTH` or holding more than
   `MAX_ITEMS` values *before* parsing it, naming the top-level field it happens in;
3. parses (NaN and Infinity refused, as JSON has no such numbers; an object naming a key
   twice refused, as `json.loads` would keep the last value and silently drop the other);
4. walks the result once (`registry.core.text.data_problems`): NUL and lone surrogates
   (`"\\ud800"` is valid JSON but not text) in any key or string are refused, naming the
   dotted field.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from rest_framework import parsers

from registry.core.errors import DomainError
from registry.core.text import (
    DEPTH_MESSAGE,
    MAX_DEPTH,
    MAX_ITEMS,
    data_problems,
    items_message,
    shown,
)

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = [0] * 256
_DELTA[ord("[")] = _DELTA[ord("{")] = 1
_DELTA[ord("]")] = _DELTA[ord("}")] = -1


class JSONBodyError(DomainError):
    code = "parse_error"


def _refuse(message: str, field: str = "non_field_errors") -> JSONBodyError:
    return JSONBodyError(message, errors={field: [message]})


def _structure(text: str) -> bytes:
    """`text` without its strings: what is left is brackets, separators and scalars."""
    return _STRING.sub("", text).encode("utf-8", "replace")


def nesting_depth(structure: bytes) -> int:
    """The deepest nesting of arrays and objects, given `_structure(text)`."""
    brackets = structure.translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)


def _field_too_deep(text: str, limit: int) -> str:
    """The top-level key under which `text` first nests deeper than `limit` (linear, stops
    there): the last string met at depth 1 before it, if that string was a key."""
    depth, last_key = 0, ""
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token[0] == '"':
            if depth == 1:
                last_key = token
            continue
        depth += 1 if token in "[{" else -1
        if depth > limit:
            break
    try:
        name = json.loads(last_key) if last_key else ""
    except ValueError:
        name = ""
    return shown(name) if name and not text.lstrip().startswith("[") else "non_field_errors"


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def parse_json_text(text: str) -> Any:
    """Parse JSON `text` within the limits, or raise JSONBodyError naming the field."""
    structure = _structure(text)
    if nesting_depth(structure) > MAX_DEPTH:
        field = _field_too_deep(text, MAX_DEPTH)
        raise _refuse(f"The body is not accepted: {DEPTH_MESSAGE}", field)
    # Each value but the first of a container follows a comma: an upper bound on the
    # number of values, known before building any of them.
    if structure.count(b",") > MAX_ITEMS:
        raise _refuse(items_message())
    try:
        data = json.loads(
            text, parse_constant=_no_constant, object_pairs_hook=_object_without_duplicates
        )
    except _DuplicateKey as exc:
        raise _refuse(
            f"The body names “{shown(exc.key)}” twice in one object: send each field once."
        ) from None
    except RecursionError:  # unreachable below MAX_DEPTH; kept so that it can never be a 500
        raise _refuse(f"The body is not accepted: {DEPTH_MESSAGE}") from None
    except ValueError as exc:
        raise _refuse(f"The body is not valid JSON: {exc}.") from None
    problems = data_problems(data)
    if problems:
        first = next(iter(problems.values()))[0]
        raise JSONBodyError(first, errors=problems)
    return data


class JSONParser(parsers.JSONParser):
    """application/json, bounded (see the module docstring). DRF's default for the API.
    (A subclass of DRF's, so that DRF reads the body through `request.body`, where Django
    refuses one larger than DATA_UPLOAD_MAX_MEMORY_SIZE with a 413.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})  # refuses non-text codecs
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _refuse(
                f"The body is not {encoding} text (byte {exc.start + 1} cannot be decoded)."
            ) from None
        except UnicodeError:  # punycode, idna: no byte position, and not a decode error
            raise _refuse(_undecodable(encoding)) from None
        return parse_json_text(text.removeprefix("\ufeff"))


def _undecodable(encoding: str) -> str:
    return f"The body is not {shown(encoding, 40)} text: it cannot be decoded as such."


class FormParser(parsers.FormParser):
    """DRF's, with a body its charset cannot decode (punycode and idna raise UnicodeError,
    which Django's QueryDict lets through) a 400 rather than a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except UnicodeError:
            raise _refuse(_undecodable(parsers.get_encoding(parser_context or {}))) from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's, with the same 400 as FormParser for a charset that cannot decode the body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except UnicodeError:
            raise _refuse(_undecodable(parsers.get_encoding(parser_context or {}))) from None
