"""Repeated-row forms (a design doc's table sections, a component's RACI, an architecture's
components): one rule for each of their chores.

- `bounded_rows`: a POST's row count (TOTAL_FORMS) is cut to the rows it really carries and
  to the editor's maximum before any form is built (`raci-TOTAL_FORMS=1000000` would
  otherwise build and render a million empty rows); a count past the maximum is refused.
- `place_row_errors`: a service's error about one row goes beside that row: `raci.2.role` is
  the third row kept on the page (blank rows are dropped before the service sees them),
  field `role`; an error naming no row it can place (or a field the row has not) is the
  section's own, above the rows."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from registry.core.text import parse_count


def bounded_rows(data, *, prefix: str, maximum: int):
    """(`data` with its `<prefix>-TOTAL_FORMS` at most the rows it carries and `maximum`,
    whether it claimed more than `maximum`). A count that is no number is left to the
    formset, which reports it."""
    key = f"{prefix}-TOTAL_FORMS"
    declared = parse_count(data.get(key))
    if declared is None or declared <= maximum:
        return data, False
    start = f"{prefix}-"
    indexes = {
        parse_count(name[len(start) :].partition("-")[0]) for name in data if name.startswith(start)
    }
    carried = max((i for i in indexes if i is not None), default=-1) + 1
    data = data.copy()
    data[key] = str(min(carried, maximum))
    return data, True


def place_row_errors(
    errors: dict[str, list[str]],
    *,
    prefix: str,
    row_forms: Sequence[forms.Form],
    kept: Sequence[int],
    section_errors: list[str],
) -> None:
    """Add each of `errors` (keys `<prefix>.<index>.<field>`) to its row's form, where
    `kept[index]` is the position in `row_forms` of the service's row `index`; the rest to
    `section_errors`."""
    start = f"{prefix}."
    for key, messages in errors.items():
        parts = key[len(start) :].split(".") if key.startswith(start) else []
        index = parse_count(parts[0]) if parts else None
        if index is not None and index < len(kept):
            form = row_forms[kept[index]]
            name = parts[1] if len(parts) > 1 and parts[1] in form.fields else None
            for message in messages:
                form.add_error(name, message)
        else:
            section_errors.extend(messages)
