"""Small text checks shared by every input path."""

from __future__ import annotations

from typing import Any


def paths_with_nul(value: Any, path: str = "") -> list[str]:
    """Dotted names of the strings in `value` (nested dicts and lists) holding a NUL
    character, which PostgreSQL cannot store in text and no user means to type."""
    if isinstance(value, str):
        return [path or "non_field_errors"] if "\x00" in value else []
    if isinstance(value, dict):
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value))
    else:
        return []
    return [name for key, item in items for name in paths_with_nul(item, key)]


NUL_MESSAGE = "Text may not contain NUL (\\x00) characters."


def parse_count(value: str | None) -> int | None:
    """A whole number written in ASCII digits, or None. (`"²".isdigit()` is true, but
    `int("²")` fails: user input is checked with this, never with `isdigit` alone.)"""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
