"""The RACI rules, shared by every RACI in the registry (a design doc's roles, a catalogue
component's design/deploy/run): per activity exactly one Accountable, at least one
Responsible (or an Accountable who does the work), each row naming a person or a team
(exactly one), one letter per party and activity.

Pure: rows are dicts with `activity`, `person`, `team` (names, "" when empty) and `role`
(one letter). The answer is a list of (error key, message); the caller decides how to
raise them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

RESPONSIBLE, ACCOUNTABLE, CONSULTED, INFORMED = "R", "A", "C", "I"
ROLES = (RESPONSIBLE, ACCOUNTABLE, CONSULTED, INFORMED)


def raci_errors(
    rows: Iterable[Mapping[str, Any]], *, prefix: str = "raci"
) -> list[tuple[str, str]]:
    """Every rule the rows break, keyed `<prefix>.<index>.<field>`, in row order."""
    rows = list(rows)
    errors: list[tuple[str, str]] = []
    by_activity: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if bool(row.get("person")) == bool(row.get("team")):
            errors.append(
                (
                    f"{prefix}.{index}.person",
                    f"RACI row {index + 1}: name a person or a team (exactly one).",
                )
            )
        if row.get("activity"):
            by_activity[row["activity"]].append(index)
    for activity, indexes in by_activity.items():
        roles = [rows[i].get("role") for i in indexes]
        accountable = [i for i in indexes if rows[i].get("role") == ACCOUNTABLE]
        if not accountable:
            errors.append(
                (
                    f"{prefix}.{indexes[0]}.role",
                    f"RACI activity “{activity}” has no Accountable; exactly one is required.",
                )
            )
        elif len(accountable) > 1:
            numbers = ", ".join(str(i + 1) for i in accountable)
            errors.append(
                (
                    f"{prefix}.{accountable[1]}.role",
                    f"RACI activity “{activity}” has {len(accountable)} Accountable (rows "
                    f"{numbers}); exactly one is allowed.",
                )
            )
        if RESPONSIBLE not in roles and not accountable:
            errors.append(
                (
                    f"{prefix}.{indexes[0]}.role",
                    f"RACI activity “{activity}” needs at least one Responsible "
                    "(or an Accountable who does the work).",
                )
            )
        seen: dict[tuple[str, str], int] = {}
        for i in indexes:
            party = (rows[i].get("person") or "", rows[i].get("team") or "")
            if party in seen and any(party):
                name = party[0] or party[1]
                errors.append(
                    (
                        f"{prefix}.{i}.role",
                        f"RACI row {i + 1}: “{name}” already holds a letter for “{activity}” "
                        f"(row {seen[party] + 1}); one letter per party and activity.",
                    )
                )
            seen.setdefault(party, i)
    return errors
