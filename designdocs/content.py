"""The canonical content of a design document, and its validation.

A document's content is one flat JSON object: the metadata (`title`, `owner_team` slug,
`product_owner` username, `co_authors` usernames, `risk_tier`; the lifecycle stage is not
content, see designdocs.lifecycle), the narrative sections (Markdown strings) and the structured sections (lists of rows). The same shape is
what the API accepts and returns, what a revision stores and what the Markdown
import/export carries, so that one validator serves them all.

`canonical_json` serialises it deterministically (sorted keys, no insignificant white
space, UTF-8), and `content_hash` is the sha256 of that text.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from designdocs.choices import RiskTier
from designdocs.risk import LEVELS_NEEDING_TREATMENT, risk_level
from designdocs.sections import (
    LINK_FIELDS,
    LINK_KEYS,
    MAX_CO_AUTHORS,
    MAX_ROWS_PER_SECTION,
    METADATA_BY_KEY,
    METADATA_KEYS,
    NARRATIVE_KEYS,
    RETIRED_CONTENT_KEYS,
    ROW_KEYS,
    ROW_SECTIONS,
    SCALE_MAX,
    SCALE_MIN,
    SECTIONS_BY_KEY,
    RowField,
)
from registry.core.errors import DomainError
from registry.core.markdown import validate_markdown
from registry.core.raci import raci_errors
from registry.core.text import (
    BIDI_CONTROL_MESSAGE,
    INVISIBLE_MESSAGE,
    bidi_control_in,
    data_problems,
    invisible_in,
    is_blank,
    shown,
    text_problem,
)
from teams.models import Team
from teams.selectors import team_ids_of

Content = dict[str, Any]
Errors = dict[str, list[str]]

REVISION_MESSAGE_MAX = 300
CONTENT_KEYS: tuple[str, ...] = METADATA_KEYS + NARRATIVE_KEYS + ROW_KEYS
#: What a proposed content may hold: every content key, and the catalogue links (LINK_KEYS),
#: which the content carries only when the document names some.
ACCEPTED_KEYS: frozenset[str] = frozenset(CONTENT_KEYS + LINK_KEYS)
#: (section key, field name) -> its choices / its default, read off the section registry.
ROW_CHOICES: dict[tuple[str, str], type] = {
    (section.key, field.name): field.choices
    for section in ROW_SECTIONS
    for field in section.row_fields
    if field.choices is not None
}
ROW_DEFAULTS: dict[tuple[str, str], str] = {
    (section.key, field.name): field.default
    for section in ROW_SECTIONS
    for field in section.row_fields
    if field.default
}


def canonical_json(content: Content) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: Content) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def empty_content() -> Content:
    content: Content = {
        "title": "",
        "owner_team": "",
        "product_owner": "",
        "co_authors": [],
        "risk_tier": RiskTier.UNCLASSIFIED.value,
    }
    content.update({key: "" for key in NARRATIVE_KEYS})
    content.update({key: [] for key in ROW_KEYS})
    # The catalogue links (LINK_KEYS) appear only when a document names some, so that the
    # content and hash of a document naming none are what they were before links existed.
    return content


def validate_revision_message(value: Any) -> str:
    """The revision message of a save, checked the same way for the API and the pages:
    optional text (missing or null is none) of at most REVISION_MESSAGE_MAX characters.
    Anything else is refused naming `message`; never cut or replaced."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(
            f"The revision message must be text (not {_shown_value(value)}).", field="message"
        )
    problem = text_problem(value)
    if problem:
        raise DomainError(f"The revision message: {problem}", field="message")
    value = value.strip()
    if len(value) > REVISION_MESSAGE_MAX:
        raise DomainError(
            f"The revision message is at most {REVISION_MESSAGE_MAX} characters "
            f"(it has {len(value)}).",
            field="message",
        )
    return value


def _shown_value(value: Any) -> str:
    """A value as a message quotes it: text as itself, anything else as JSON writes it
    (`[]`, `false`, `null`), so that the user sees what was sent."""
    if isinstance(value, str):
        return f"“{shown(value)}”"
    try:
        return shown(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):  # e.g. a date from YAML
        return shown(repr(value))


def normalize_text(value: str) -> str:
    """One form for Markdown text: Unix newlines, no surrounding blank space."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def stored_value(obj, field: RowField) -> Any:
    """The content value of `field` on a model instance: a reference as its username or
    slug (empty when the foreign key is null), anything else as stored."""
    if field.kind == "user":
        return _username(getattr(obj, field.attname))
    if field.kind == "team":
        team = getattr(obj, field.attname) if getattr(obj, f"{field.attname}_id") else None
        return team.slug if team is not None else ""
    return getattr(obj, field.attname)


def content_of(doc) -> Content:
    """The canonical content of a stored document (rows and people prefetched if possible),
    read field by field off the section registry."""
    content: Content = {}
    for field in METADATA_BY_KEY.values():
        if field.name == "co_authors":
            content["co_authors"] = sorted(_username(u) for u in doc.co_authors.all())
        else:
            content[field.name] = stored_value(doc, field)
    for key in NARRATIVE_KEYS:
        content[key] = getattr(doc, key)
    for section in ROW_SECTIONS:
        content[section.key] = [
            {field.name: stored_value(row, field) for field in section.row_fields}
            for row in getattr(doc, section.related_name).all()
        ]
    for link in LINK_FIELDS:
        slugs = sorted(entry.slug for entry in getattr(doc, link.attname).all())
        if slugs:
            content[link.name] = slugs
    return content


class ContentValidator:
    """Normalises proposed content and collects every error, keyed by dotted field name
    (`risks.2.owner`) with messages that name the row and the field."""

    def __init__(self) -> None:
        self.errors: Errors = defaultdict(list)

    def add(self, key: str, message: str) -> None:
        self.errors[key].append(message)

    # -- shape -----------------------------------------------------------------------

    def normalize(self, raw: Any) -> Content:
        if not isinstance(raw, dict):
            self.add("non_field_errors", "The document must be a JSON object.")
            return empty_content()
        # First, and alone: text that cannot be stored, hashed or even put in a message,
        # and input too deep or too large to walk. Nothing else reads `raw` before this.
        problems = data_problems(raw)
        if problems:
            for key, messages in problems.items():
                self.errors[key].extend(messages)
            return empty_content()
        for key in raw:
            if key in RETIRED_CONTENT_KEYS:
                self.add(key, RETIRED_CONTENT_KEYS[key])
            elif key not in ACCEPTED_KEYS:
                self.add(shown(key), f"Unknown field “{shown(key)}”.")
        content = empty_content()
        for field in METADATA_BY_KEY.values():
            if field.name == "co_authors":
                content["co_authors"] = self._usernames(raw.get("co_authors", []))
            elif field.kind == "choice":
                content[field.name] = self._choice(raw, field.name, field.label, field.choices)
            else:
                content[field.name] = self._text(
                    raw, field.name, field.label, field.max_length, field.required
                )
        for key in NARRATIVE_KEYS:
            value = raw.get(key, "")
            if not isinstance(value, str):
                # null too: read as "" it would silently empty the section (send "" for that).
                self.add(key, f"{SECTIONS_BY_KEY[key].title} must be Markdown text.")
                continue
            value = normalize_text(value)
            try:
                validate_markdown(value, field=key)
            except DomainError as exc:
                self.add(key, exc.message)
                continue
            content[key] = value
        for key in ROW_KEYS:
            content[key] = self._rows(key, raw.get(key, []))
        for link in LINK_FIELDS:
            slugs = self._slugs(link, raw.get(link.name, []))
            if slugs:
                content[link.name] = slugs
        return content

    def _slugs(self, link, value: Any) -> list[str]:
        """A list of catalogue slugs, deduplicated and sorted; anything else is refused."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(link.name, f"{link.label} must be a list of slugs.")
            return []
        slugs = sorted({v.strip() for v in value if v.strip()})
        if len(slugs) > link.max_items:
            self.add(link.name, f"{link.label}: at most {link.max_items}.")
            return []
        for slug in slugs:
            if len(slug) > 100:
                self.add(link.name, f"{link.label}: “{shown(slug[:40])}…” is not a slug.")
                return []
        return slugs

    def _text(self, raw: dict, key: str, label: str, max_length: int, required: bool) -> str:
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(key, f"{label} must be text.")
            return ""
        value = value.strip()
        if required and is_blank(value):
            # A zero-width space shows nothing: as good as empty.
            self.add(key, f"{label} is required.")
        elif required and bidi_control_in(value):
            self.add(key, f"{label} {BIDI_CONTROL_MESSAGE}")
        elif required and invisible_in(value):
            self.add(key, f"{label} {INVISIBLE_MESSAGE}")
        elif len(value) > max_length:
            self.add(key, f"{label} is at most {max_length} characters (it has {len(value)}).")
        return value

    def _choice(self, raw: dict, key: str, label: str, choices: type) -> str:
        """A missing key is the default (an update merges the current value in first); any
        value given must be one of the choices, written as text: `[]`, `0`, `false`, `""`
        or `null` (YAML reads `risk_tier: no` as false) is refused, never read as the default."""
        default = empty_content()[key]
        if key not in raw:
            return default
        value = raw[key]
        if not isinstance(value, str) or value not in choices.values:
            self.add(
                key,
                f"{label} must be one of: {', '.join(choices.values)} (not {_shown_value(value)}).",
            )
            return default
        return value

    def _usernames(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add("co_authors", "Co-authors must be a list of usernames.")
            return []
        names = sorted({v.strip() for v in value if v.strip()})
        if len(names) > MAX_CO_AUTHORS:
            self.add("co_authors", f"A document has at most {MAX_CO_AUTHORS} co-authors.")
            return []
        return names

    def _rows(self, key: str, value: Any) -> list[dict[str, Any]]:
        section = SECTIONS_BY_KEY[key]
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, f"{section.title} must be a list of rows.")
            return []
        if len(value) > MAX_ROWS_PER_SECTION:
            self.add(key, f"{section.title} may hold at most {MAX_ROWS_PER_SECTION} rows.")
            return []
        rows = []
        for index, raw_row in enumerate(value):
            where = f"{section.title}, row {index + 1}"
            if not isinstance(raw_row, dict):
                self.add(f"{key}.{index}", f"{where}: a row must be an object.")
                continue
            known = {f.name for f in section.row_fields}
            for name in raw_row:
                if name not in known:
                    self.add(
                        f"{key}.{index}.{shown(name)}", f"{where}: unknown field “{shown(name)}”."
                    )
            row: dict[str, Any] = {}
            for field in section.row_fields:
                row[field.name] = self._row_value(key, index, where, field, raw_row.get(field.name))
            rows.append(row)
        return rows

    def _row_value(self, key: str, index: int, where: str, field, value: Any) -> Any:
        error_key = f"{key}.{index}.{field.name}"
        if field.kind == "int":
            return self._scale_value(error_key, where, field.label.lower(), value)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(error_key, f"{where}: {field.label.lower()} must be text.")
            return ""
        value = normalize_text(value) if field.kind == "longtext" else value.strip()
        if not value and field.default:
            value = field.default
        if field.required and is_blank(value):
            self.add(error_key, f"{where}: {field.label.lower()} is required.")
        elif len(value) > field.max_length:
            self.add(
                error_key,
                f"{where}: {field.label.lower()} is at most {field.max_length} characters.",
            )
        choices = field.choices
        if choices is not None and value and value not in choices.values:
            self.add(
                error_key,
                f"{where}: {field.label.lower()} must be one of: {', '.join(choices.values)} (not “{value}”).",
            )
        return value

    def _scale_value(self, error_key: str, where: str, label: str, value: Any) -> int | None:
        """A likelihood or impact: an integer from 1 to 5, of integer type. Text ("3", and
        "٣", which int() reads as 3), floats (3.0) and booleans (YAML's `yes`) are refused:
        the pages convert their form's digits to int before, so only a wrong client sends
        them, and guessing could store what nobody meant."""
        if value is None or value == "":
            self.add(error_key, f"{where}: {label} is required (1 to 5).")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            hint = (
                f" (a number, not the text {_shown_value(value)})" if isinstance(value, str) else ""
            )
            self.add(error_key, f"{where}: {label} must be a whole number from 1 to 5{hint}.")
            return None
        if not SCALE_MIN <= value <= SCALE_MAX:
            self.add(
                error_key,
                f"{where}: {label} must be between {SCALE_MIN} and {SCALE_MAX} (not {value}).",
            )
            return None
        return value

    # -- rules -------------------------------------------------------------------------

    def check_rules(self, content: Content) -> None:
        self._check_raci(content["raci"])
        self._check_risks(content["risks"])

    def _check_raci(self, rows: list[dict[str, Any]]) -> None:
        # The rules are the registry's one RACI validation (shared with the catalogue).
        for key, message in raci_errors(rows, prefix="raci"):
            self.add(key, message)

    def _check_risks(self, rows: list[dict[str, Any]]) -> None:
        for index, row in enumerate(rows):
            if row["likelihood"] is None or row["impact"] is None:
                continue
            level = risk_level(row["likelihood"], row["impact"])
            if level in LEVELS_NEEDING_TREATMENT:
                where = f"Risks, row {index + 1} (“{row['title']}”, {level.label.lower()} risk)"
                if not row["mitigation"]:
                    self.add(f"risks.{index}.mitigation", f"{where}: a mitigation is required.")
                if not row["owner"]:
                    self.add(f"risks.{index}.owner", f"{where}: an owner is required.")

    # -- references ---------------------------------------------------------------------

    def resolve_references(
        self,
        content: Content,
        already_named: frozenset[str] = frozenset(),
        *,
        viewer=None,
        already_named_teams: frozenset[str] = frozenset(),
    ) -> tuple[dict[str, Any], dict[str, Team]]:
        """Look up every username and team slug the content names, in two queries. Users
        must be active, unless `already_named` holds them (the document names them now).

        With a `viewer` who may not browse people and teams (no registry role), only what
        that viewer knows of already may be named: themselves, the members of their teams,
        their teams, and whom and what the document names now. Anything else is refused
        with one message whether it exists or not, so that messages tell nothing of who
        else has an account or which other teams there are."""
        usernames = named_usernames(content)
        # Names holding NUL are already refused; PostgreSQL could not even look them up.
        usernames = {name for name in usernames if name and not text_problem(name)}
        slugs = {content["owner_team"], *(row["team"] for row in content["raci"])}
        slugs = {slug for slug in slugs if slug and not text_problem(slug)}
        user_model = get_user_model()
        username_field = user_model.USERNAME_FIELD
        people = user_model.objects.filter(**{f"{username_field}__in": usernames})
        team_rows = Team.objects.filter(slug__in=slugs)
        confined = viewer is not None and not may_browse_directory(viewer)
        if confined:
            known_teams = team_ids_of(viewer)
            people = people.filter(
                Q(pk=viewer.pk)
                | Q(team_memberships__team_id__in=known_teams)
                | Q(**{f"{username_field}__in": already_named})
            ).distinct()
            team_rows = team_rows.filter(Q(pk__in=known_teams) | Q(slug__in=already_named_teams))
        users = {
            u.get_username(): u for u in people if u.is_active or u.get_username() in already_named
        }
        teams = {t.slug: t for t in team_rows}

        def check_user(key: str, username: str, where: str) -> None:
            if username and username not in users:
                if confined:
                    self.add(key, f"{where}: “{username}” is not someone you can name here.")
                else:
                    self.add(key, f"{where}: there is no active user “{username}”.")

        def check_team(key: str, slug: str, where: str) -> None:
            if slug and slug not in teams:
                if confined:
                    self.add(key, f"{where}: “{slug}” is not a team you can name here.")
                else:
                    self.add(key, f"{where}: there is no team “{slug}”.")

        check_user("product_owner", content["product_owner"], "Product owner")
        check_team("owner_team", content["owner_team"], "Owner team")
        for username in content["co_authors"]:
            check_user("co_authors", username, "Co-authors")
        for index, row in enumerate(content["raci"]):
            check_user(f"raci.{index}.person", row["person"], f"RACI row {index + 1}")
            check_team(f"raci.{index}.team", row["team"], f"RACI row {index + 1}")
        for index, row in enumerate(content["risks"]):
            check_user(f"risks.{index}.owner", row["owner"], f"Risks, row {index + 1}")
        self._check_links(content, viewer)
        return users, teams

    def _check_links(self, content: Content, viewer) -> None:
        """Every slug names a catalogue entry the viewer may see (one query per list)."""
        for link in LINK_FIELDS:
            slugs = [s for s in content.get(link.name, []) if not text_problem(s)]
            if not slugs:
                continue
            entries = link.model.objects.filter(slug__in=slugs)
            if viewer is not None:
                entries = entries.restrict(viewer, "view")
            known = set(entries.values_list("slug", flat=True))
            for slug in slugs:
                if slug not in known:
                    self.add(link.name, f"{link.label}: there is no “{slug}” in the catalogue.")

    def raise_if_invalid(self) -> None:
        if self.errors:
            errors = dict(self.errors)
            _, messages = next(iter(errors.items()))
            raise DomainError(messages[0], errors=errors, code="invalid")


def may_browse_directory(user) -> bool:
    """Whether `user` may browse people and teams: every team is visible to them (a
    registry role). Others learn nothing from the registry about anyone else."""
    return user.has_perm("teams.view_team")


def rule_errors(proposed: Any) -> Errors:
    """Every shape and rule error of a proposed whole document, without looking anything
    up: what the API adds to its type errors so that one answer names every problem."""
    validator = ContentValidator()
    content = validator.normalize(proposed)
    if not validator.errors.get("non_field_errors"):
        validator.check_rules(content)
    return dict(validator.errors)


def named_teams(content: Content) -> set[str]:
    """Every team slug the content names (owner team, RACI)."""
    slugs = {content.get("owner_team") or ""}
    slugs |= {row.get("team", "") for row in content.get("raci", []) if isinstance(row, dict)}
    slugs.discard("")
    return slugs


def named_usernames(content: Content) -> set[str]:
    """Every username the content names (product owner, co-authors, RACI, risk owners)."""
    names = {content["product_owner"], *content["co_authors"]}
    names |= {row.get("person", "") for row in content["raci"] if isinstance(row, dict)}
    names |= {row.get("owner", "") for row in content["risks"] if isinstance(row, dict)}
    names.discard("")
    return names


def merge_changes(current: Content, changes: dict[str, Any]) -> dict[str, Any]:
    """The proposed whole document: the current content with the changed keys replaced.
    Unknown keys are kept so that the validator reports them."""
    proposed = dict(current)
    proposed.update(changes)
    return proposed


def completeness(content: Content) -> tuple[list[str], list[str]]:
    """(filled required section keys, empty required section keys), in reading order."""
    filled, missing = [], []
    for key, section in SECTIONS_BY_KEY.items():
        if not section.required:
            continue
        (filled if content.get(key) else missing).append(key)
    return filled, missing
