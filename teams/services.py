"""Every write to teams and memberships. Each service checks the permission rule
(teams.rules), runs in one transaction, validates the whole result (one validator for pages,
API and imports) and records an audit event (teams.audit).

Optimistic concurrency: `team_update` states the version it was based on; the row is locked
(`SELECT ... FOR UPDATE`) and a stale version refuses the whole update (412).

Hierarchy: a team's parent chain never loops. The check runs under one advisory lock on
PostgreSQL (the same the database trigger of migration 0003 takes), so two concurrent moves
cannot close a loop together; SQLite serialises writes.

For other apps (the Backstage importer): `team_upsert` creates or updates a team by slug
from imported data, and `membership_add` adds one person.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify

from registry.core.audit import record_audit_event
from registry.core.errors import (
    ConflictError,
    DomainError,
    PreconditionRequiredError,
    StaleVersionError,
)
from registry.core.markdown import validate_markdown
from registry.core.permissions import require as require_permission
from registry.core.search import refresh_search_vector
from registry.core.text import (
    BIDI_CONTROL_MESSAGE,
    INVISIBLE_MESSAGE,
    bidi_control_in,
    invisible_in,
    is_blank,
    refuse_hostile_data,
    shown,
)
from teams.audit import (
    MEMBERSHIP_ADD,
    MEMBERSHIP_CHANGE,
    MEMBERSHIP_REMOVE,
    TEAM_CREATE,
    TEAM_DELETE,
    TEAM_UPDATE,
)
from teams.choices import MembershipRole, TeamKind
from teams.models import CHANNEL_MAX_LENGTH, NAME_MAX_LENGTH, SLUG_MAX_LENGTH, Team, TeamMembership
from teams.selectors import forget_memberships

#: The fields of a team that the services write, in the order errors are reported.
TEAM_FIELDS = ("name", "slug", "kind", "description", "email", "chat_channel", "parent")
#: Path segments the team pages use under /teams/ (teams/urls.py).
RESERVED_SLUGS = frozenset({"new"})
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
CHANNEL_PATTERN = re.compile(r"^#[\w.-]{1,80}$")
EMAIL_MAX_LENGTH = 254
#: The advisory lock every change of a parent takes (also taken by the PostgreSQL trigger).
_HIERARCHY_LOCK = "SELECT pg_advisory_xact_lock(hashtext('teams_team.parent'))"


class _Keep:
    """The value of an argument left out: keep what is stored."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


# --- validation ------------------------------------------------------------------------------


def _text(value: Any, name: str, errors: dict[str, list[str]]) -> str | None:
    if not isinstance(value, str):
        errors.setdefault(name, []).append(f"{_label(name)} must be text.")
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _label(name: str) -> str:
    return {"chat_channel": "Chat channel", "email": "E-mail", "parent": "Parent team"}.get(
        name, name.capitalize()
    )


def _clean_name(value: Any, errors: dict[str, list[str]]) -> str | None:
    name = _text(value, "name", errors)
    if name is None:
        return None
    problem = None
    if is_blank(name):
        problem = "Give the team a name."
    elif len(name) > NAME_MAX_LENGTH:
        problem = (
            f"A team name has at most {NAME_MAX_LENGTH} characters (this one has {len(name)})."
        )
    elif any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in name):
        problem = "A team name is one line of text, without control characters."
    elif invisible_in(name):
        problem = f"The name {INVISIBLE_MESSAGE}"
    elif bidi_control_in(name):
        problem = f"The name {BIDI_CONTROL_MESSAGE}"
    if problem:
        errors.setdefault("name", []).append(problem)
        return None
    return name


def _clean_slug(value: Any, errors: dict[str, list[str]]) -> str | None:
    slug = _text(value, "slug", errors)
    if slug is None:
        return None
    if not slug:
        errors.setdefault("slug", []).append(
            "Give the team a slug (e.g. “ml-platform”): its name has no Latin letters or "
            "digits to make one from."
        )
        return None
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX_LENGTH:
        errors.setdefault("slug", []).append(
            f"“{shown(slug)}” is not a valid slug: use lowercase letters and digits, separated "
            f"by single hyphens or underscores, at most {SLUG_MAX_LENGTH} characters "
            "(e.g. “ml-platform”)."
        )
        return None
    if slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(f"“{slug}” is reserved by the team pages.")
        return None
    return slug


def _clean_choice(value: Any, name: str, choices, errors: dict[str, list[str]]) -> str | None:
    if not isinstance(value, str) or value not in choices.values:
        options = ", ".join(choices.values)
        errors.setdefault(name, []).append(f"“{shown(value)}” is not a {name}: one of {options}.")
        return None
    return value


def _clean_description(value: Any, errors: dict[str, list[str]]) -> str | None:
    text = _text(value, "description", errors)
    if text is None:
        return None
    try:
        validate_markdown(text, field="description")
    except DomainError as exc:
        errors.setdefault("description", []).append(exc.message)
        return None
    return text


def _clean_email(value: Any, errors: dict[str, list[str]]) -> str | None:
    email = _text(value, "email", errors)
    if not email:
        return email
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append(
            f"“{shown(email)}” is not an e-mail address (e.g. ml-platform@example.com)."
        )
        return None
    return email


_HTTPS_URL = URLValidator(schemes=["https"])


def _clean_channel(value: Any, errors: dict[str, list[str]]) -> str | None:
    channel = _text(value, "chat_channel", errors)
    if not channel:
        return channel
    valid = False
    if len(channel) <= CHANNEL_MAX_LENGTH:
        if channel.startswith("#"):
            valid = bool(CHANNEL_PATTERN.match(channel))
        else:
            try:
                _HTTPS_URL(channel)
                valid = True
            except ValidationError:
                valid = False
    if not valid:
        errors.setdefault("chat_channel", []).append(
            f"“{shown(channel)}” is not a chat channel: give its name with a leading # "
            "(letters, digits, - _ . and no spaces, e.g. #ml-platform) or an https:// link to it."
        )
        return None
    return channel


def _clean_parent(value: Any, actor, errors: dict[str, list[str]]) -> Team | None:
    """The parent team named by a slug (or given as a Team), among those the actor may see."""
    if value is None or value == "":
        return None
    if isinstance(value, Team):
        slug = value.slug
    elif isinstance(value, str):
        slug = value.strip()
    else:
        errors.setdefault("parent", []).append("Parent team must be a team slug (text) or null.")
        return None
    parent = Team.objects.restrict(actor, "view").filter(slug=slug).first()
    if parent is None:
        errors.setdefault("parent", []).append(f"There is no team “{shown(slug)}”.")
    return parent


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        ordered = {key: errors[key] for key in (*TEAM_FIELDS, *errors) if key in errors}
        messages = next(iter(ordered.values()))
        raise DomainError(messages[0], errors=ordered, code="invalid")


def refuse_unknown_fields(values: Mapping[str, Any], known: Sequence[str], what: str) -> None:
    """A DomainError naming every key of `values` that is not one of `known` (an input
    with a misspelt field is refused, never half-applied)."""
    unknown = sorted((str(name) for name in values if name not in known), key=str)
    if unknown:
        raise DomainError(
            f"Unknown field “{shown(unknown[0])}”: {what} {', '.join(known)}.",
            errors={shown(name): ["Unknown field."] for name in unknown},
        )


def _validated(values: Mapping[str, Any], actor) -> dict[str, Any]:
    """The cleaned values of the team fields present in `values`; a DomainError naming
    every field at fault otherwise."""
    refuse_unknown_fields(values, TEAM_FIELDS, "a team has")
    refuse_hostile_data({k: v for k, v in values.items() if not isinstance(v, Team)})
    errors: dict[str, list[str]] = {}
    cleaners = {
        "name": lambda v: _clean_name(v, errors),
        "slug": lambda v: _clean_slug(v, errors),
        "kind": lambda v: _clean_choice(v, "kind", TeamKind, errors),
        "description": lambda v: _clean_description(v, errors),
        "email": lambda v: _clean_email(v, errors),
        "chat_channel": lambda v: _clean_channel(v, errors),
        "parent": lambda v: _clean_parent(v, actor, errors),
    }
    cleaned = {name: cleaners[name](value) for name, value in values.items()}
    _raise_if(errors)
    return cleaned


def _check_unique(team: Team, cleaned: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    others = Team.objects.exclude(pk=team.pk) if team.pk else Team.objects.all()
    name = cleaned.get("name")
    if name is not None and others.filter(name__iexact=name).exists():
        errors["name"] = [f"A team named “{name}” exists already."]
    slug = cleaned.get("slug")
    if slug is not None and others.filter(slug=slug).exists():
        errors["slug"] = [f"The slug “{slug}” is taken by another team."]
    _raise_if(errors)


def _check_hierarchy(team: Team, parent: Team | None) -> None:
    """Refuse a parent that is the team itself or one of its descendants."""
    if parent is None or team.pk is None:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_HIERARCHY_LOCK)
    if parent.pk == team.pk:
        raise DomainError("A team cannot be its own parent.", field="parent")
    # Up the new parent's chain, one short query a level (trees are shallow); `chain` stops
    # the walk on a loop already stored (which the database guard makes impossible).
    current, chain = parent.pk, set()
    while current is not None and current not in chain:
        if current == team.pk:
            raise DomainError(
                f"“{parent.name}” is a sub-team of “{team.name}”: placing “{team.name}” under "
                "it would make the team its own ancestor. Choose a team outside its sub-teams.",
                field="parent",
            )
        chain.add(current)
        current = Team.objects.filter(pk=current).values_list("parent_id", flat=True).first()


def _save(team: Team, *, update_fields: Sequence[str] | None = None) -> None:
    """Save, turning the database's refusals (a concurrent duplicate, the cycle trigger)
    into the same errors the checks give."""
    try:
        with transaction.atomic():
            team.save(update_fields=update_fields)
    except IntegrityError as exc:
        text = str(exc)
        if "parent" in text:
            raise DomainError(
                "This parent would make the team its own ancestor.", field="parent"
            ) from None
        if "slug" in text:
            raise DomainError("The slug is taken by another team.", field="slug") from None
        if "name" in text:
            raise DomainError("A team with this name exists already.", field="name") from None
        raise


def _assign(team: Team, cleaned: Mapping[str, Any]) -> list[str]:
    """Set the cleaned values on `team`; the names of the fields that changed."""
    changed = []
    for name, value in cleaned.items():
        current = team.parent_id if name == "parent" else getattr(team, name)
        new = value.pk if name == "parent" and value is not None else value
        if current != new:
            setattr(team, name, value)
            changed.append(name)
    return changed


# --- teams -----------------------------------------------------------------------------------


def team_create(
    *,
    actor,
    name: str,
    slug: str = "",
    kind: str = TeamKind.FEATURE,
    description: str = "",
    email: str = "",
    chat_channel: str = "",
    parent: Team | str | None = None,
) -> Team:
    """Create a team (superusers only). The slug is derived from the name when not given.
    Raises DomainError (400) naming each field at fault, PermissionDeniedError (403)."""
    require_permission(actor, "teams.add_team")
    values = {"name": name, "kind": kind, "description": description, "email": email}
    values.update(chat_channel=chat_channel, parent=parent)
    if not (isinstance(slug, str) and slug.strip()) and isinstance(name, str):
        slug = slugify(name)[:SLUG_MAX_LENGTH].strip("-_") or slug
    values["slug"] = slug
    with transaction.atomic():
        cleaned = _validated(values, actor)
        team = Team()
        _check_unique(team, cleaned)
        _assign(team, cleaned)
        _save(team)
        refresh_search_vector(team)
        record_audit_event(
            actor=actor,
            action=TEAM_CREATE,
            obj=team,
            payload={"slug": team.slug, "parent": cleaned["parent"].slug if team.parent else None},
        )
    return team


def _locked(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("parent").get(pk=team.pk)


def _apply_changes(*, actor, locked: Team, cleaned: Mapping[str, Any]) -> list[str]:
    """Write the cleaned changes to a locked team: checks, save with a new version; the
    names of the fields that changed (none: nothing written)."""
    if "slug" in cleaned and cleaned["slug"] != locked.slug:
        raise DomainError(
            "The slug cannot be changed: it is the team's address and its name in Backstage "
            "catalogues. Create a new team instead.",
            field="slug",
        )
    _check_unique(locked, cleaned)
    if "parent" in cleaned:
        _check_hierarchy(locked, cleaned["parent"])
    changed = _assign(locked, cleaned)
    if changed:
        locked.version += 1
        _save(locked)
        refresh_search_vector(locked)
    return changed


def team_update(
    *, actor, team: Team, expected_version: int | None, changes: Mapping[str, Any]
) -> Team:
    """Apply `changes` (any of name, kind, description, email, chat_channel, parent; the
    slug only unchanged) to `team`, based on `expected_version`. Raises
    PreconditionRequiredError (428) without a version, StaleVersionError (412) when another
    change came first, DomainError (400) naming each field at fault, PermissionDeniedError
    (403). A change that alters nothing keeps the version and records nothing."""
    require_permission(actor, "teams.change_team", team)
    if not isinstance(changes, Mapping):
        raise DomainError("The changes must be an object of fields.")
    if expected_version is None:
        raise PreconditionRequiredError(
            "State the version this update is based on (If-Match header or `version` field).",
            field="version",
        )
    with transaction.atomic():
        locked = _locked(team)
        if locked.version != expected_version:
            raise StaleVersionError(
                f"This team changed since version {expected_version}: it is at version "
                f"{locked.version} now. Nothing was saved; reload, reapply your change and "
                "save again.",
                current_version=locked.version,
            )
        cleaned = _validated(changes, actor)
        changed = _apply_changes(actor=actor, locked=locked, cleaned=cleaned)
        if changed:
            record_audit_event(
                actor=actor,
                action=TEAM_UPDATE,
                obj=locked,
                payload={"version": locked.version, "changed": changed},
            )
    return locked


def _what_is_protected(objects) -> str:
    counts = Counter(type(obj) for obj in objects)
    parts = []
    for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.verbose_name):
        meta = model._meta
        noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
        noun = "sub-team" + ("" if count == 1 else "s") if model is Team else noun
        parts.append(f"{count} {noun}")
    return ", ".join(parts)


def team_delete(*, actor, team: Team, expected_version: int | None = None) -> None:
    """Delete a team and its memberships (superusers only). Refused with a ConflictError
    (409) while it owns anything (sub-teams, design docs, components...), naming what;
    with `expected_version` stale, StaleVersionError (412). The audit trail keeps the
    record."""
    require_permission(actor, "teams.delete_team", team)
    with transaction.atomic():
        locked = _locked(team)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersionError(
                f"This team changed since version {expected_version}: it is at version "
                f"{locked.version} now. Nothing was deleted.",
                current_version=locked.version,
            )
        record_audit_event(
            actor=actor,
            action=TEAM_DELETE,
            obj=locked,
            payload={"slug": locked.slug, "name": locked.name},
        )
        try:
            with transaction.atomic():
                locked.delete()
        except (ProtectedError, RestrictedError) as exc:
            objects = getattr(exc, "protected_objects", None) or getattr(
                exc, "restricted_objects", ()
            )
            raise ConflictError(
                f"“{locked.name}” still owns {_what_is_protected(objects)}: move them to "
                "another team (or delete them) first. Nothing was deleted.",
                code="protected",
            ) from None


@dataclass(frozen=True)
class TeamUpsertResult:
    team: Team
    created: bool
    #: the fields that changed (every given field for a new team; empty: nothing written)
    changed: tuple[str, ...]
    #: usernames in `members` with no active account here (not added)
    unknown_members: tuple[str, ...] = field(default=())
    #: usernames in `members` added to the team by this call
    added_members: tuple[str, ...] = field(default=())


def team_upsert(
    *,
    actor,
    slug: str,
    name: str = KEEP,
    kind: str = KEEP,
    description: str = KEEP,
    email: str = KEEP,
    chat_channel: str = KEEP,
    parent: Team | str | None = KEEP,
    members: Sequence[str] = KEEP,
    source: str = "import",
) -> TeamUpsertResult:
    """Create the team with this slug, or update it, from imported data (e.g. a Backstage
    Group). Idempotent: the same arguments twice change nothing the second time.

    Every argument left out keeps what is stored (a new team: the model's defaults; `name`
    is required for a new team). `parent` is a slug, a Team or None (no parent); `members`
    are usernames made members (role "member") if they are not already; nobody is removed
    and roles are kept; usernames without an active account are reported in
    `unknown_members`, not refused. Permission: `teams.add_team` for a new team (superusers),
    `teams.change_team` for an existing one (its leads too), `teams.add_teammembership` to
    add members. No version is asked: the import is the source of the data it carries.

    Raises DomainError (400) naming each field at fault: the caller reports it against the
    document it came from; nothing of this team is written then. Audit: `team.create` or
    `team.update` with `{"source": source}`; `team.member_add` per person added."""
    given = {
        key: value
        for key, value in {
            "name": name,
            "kind": kind,
            "description": description,
            "email": email,
            "chat_channel": chat_channel,
            "parent": parent,
        }.items()
        if value is not KEEP
    }
    refuse_hostile_data({"slug": slug, "source": source})
    with transaction.atomic():
        errors: dict[str, list[str]] = {}
        clean_slug = _clean_slug(slug, errors)
        _raise_if(errors)
        existing = Team.objects.filter(slug=clean_slug).first()
        if existing is None:
            require_permission(actor, "teams.add_team")
            if "name" not in given:
                raise DomainError("A new team needs a name.", field="name")
            cleaned = _validated({**given, "slug": clean_slug}, actor)
            team = Team()
            _check_unique(team, cleaned)
            changed = _assign(team, cleaned)
            _save(team)
            refresh_search_vector(team)
            record_audit_event(
                actor=actor,
                action=TEAM_CREATE,
                obj=team,
                payload={"slug": team.slug, "source": source},
            )
            created = True
        else:
            require_permission(actor, "teams.change_team", existing)
            team = _locked(existing)
            cleaned = _validated(given, actor)
            changed = _apply_changes(actor=actor, locked=team, cleaned=cleaned)
            if changed:
                record_audit_event(
                    actor=actor,
                    action=TEAM_UPDATE,
                    obj=team,
                    payload={"version": team.version, "changed": changed, "source": source},
                )
            created = False
        added, unknown = [], []
        if members is not KEEP:
            added, unknown = _ensure_members(actor=actor, team=team, usernames=members)
    return TeamUpsertResult(
        team=team,
        created=created,
        changed=tuple(changed),
        unknown_members=tuple(unknown),
        added_members=tuple(added),
    )


def _ensure_members(*, actor, team: Team, usernames: Sequence[str]) -> tuple[list[str], list[str]]:
    if isinstance(usernames, str) or not isinstance(usernames, Sequence):
        raise DomainError("members must be a list of usernames.", field="members")
    if not all(isinstance(name, str) for name in usernames):
        raise DomainError("members must be a list of usernames (text).", field="members")
    refuse_hostile_data({"members": list(usernames)})
    user_model = get_user_model()
    wanted = list(dict.fromkeys(name.strip() for name in usernames if name.strip()))
    users = {
        user.get_username(): user
        for user in user_model.objects.filter(
            **{f"{user_model.USERNAME_FIELD}__in": wanted}, is_active=True
        )
    }
    present = set(
        TeamMembership.objects.filter(team=team, user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    newcomers = [users[name] for name in wanted if name in users and users[name].pk not in present]
    if newcomers:
        # What membership_add does for one person, for all of them at once (an import).
        require_permission(actor, "teams.add_teammembership", team)
        created = TeamMembership.objects.bulk_create(
            TeamMembership(team=team, user=user, role=MembershipRole.MEMBER) for user in newcomers
        )
        for membership, user in zip(created, newcomers, strict=True):
            record_audit_event(
                actor=actor,
                action=MEMBERSHIP_ADD,
                obj=membership,
                payload={"team": team.slug, "user": user.get_username(), "role": membership.role},
            )
        forget_memberships(actor, *newcomers)
    added = [user.get_username() for user in newcomers]
    return added, [name for name in wanted if name not in users]


# --- memberships ------------------------------------------------------------------------------


def _clean_role(role: Any) -> str:
    errors: dict[str, list[str]] = {}
    value = _clean_choice(role, "role", MembershipRole, errors)
    if errors:
        raise DomainError(errors["role"][0], field="role")
    return value


def _person(user: Any):
    """The active account named by `user` (a user or a username)."""
    if isinstance(user, str):
        refuse_hostile_data({"user": user})
        username = user.strip()
        if not username:
            raise DomainError("Name the person to add (their username).", field="user")
        user_model = get_user_model()
        found = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        if found is None:
            raise DomainError(
                f"There is no person with the username “{shown(username)}”.", field="user"
            )
        user = found
    elif not hasattr(user, "pk") or not hasattr(user, "is_active"):
        raise DomainError("The person must be given by their username (text).", field="user")
    if not user.is_active:
        raise DomainError(
            f"“{user.get_username()}” is deactivated: they cannot join a team.", field="user"
        )
    return user


def membership_add(
    *, actor, team: Team, user: Any, role: str = MembershipRole.MEMBER
) -> TeamMembership:
    """Add a person (a user or their username) to `team` with `role`. Refused: 403 unless
    the actor leads the team (or is a superuser); 400 for an unknown or deactivated person
    or an unknown role; 409 if they are a member already (change their role instead)."""
    require_permission(actor, "teams.add_teammembership", team)
    role = _clean_role(role)
    person = _person(user)
    with transaction.atomic():
        _locked(team)
        if TeamMembership.objects.filter(team=team, user=person).exists():
            raise ConflictError(
                f"{person.get_username()} is already a member of {team.name}: change their "
                "role instead.",
                field="user",
            )
        try:
            with transaction.atomic():
                membership = TeamMembership.objects.create(team=team, user=person, role=role)
        except IntegrityError:
            raise ConflictError(
                f"{person.get_username()} is already a member of {team.name}.", field="user"
            ) from None
        record_audit_event(
            actor=actor,
            action=MEMBERSHIP_ADD,
            obj=membership,
            payload={"team": team.slug, "user": person.get_username(), "role": role},
        )
    forget_memberships(actor, person, user)
    return membership


def _refuse_leaving_without_lead(*, actor, membership: TeamMembership, verb: str) -> None:
    if membership.role != MembershipRole.LEAD:
        return
    other_leads = (
        TeamMembership.objects.filter(team_id=membership.team_id, role=MembershipRole.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not other_leads and not actor.has_perm("teams.leave_without_lead_team", membership.team):
        raise ConflictError(
            f"{membership.user.get_username()} is the only lead of {membership.team.name}: "
            f"make someone else lead first, then {verb}. (Administrators can leave a team "
            "without a lead.)",
            field="role",
        )


def _locked_membership(membership: TeamMembership) -> TeamMembership:
    # The team row is locked first: every membership write of a team runs one at a time, so
    # two leads demoting each other at once cannot leave the team without a lead.
    _locked(membership.team)
    return TeamMembership.objects.select_related("team", "user").get(pk=membership.pk)


def membership_change(*, actor, membership: TeamMembership, role: str) -> TeamMembership:
    """Change a member's role. Refused: 403 unless the actor leads the team (or is a
    superuser); 400 for an unknown role; 409 when it would leave the team without a lead
    (only superusers may). Unchanged: nothing recorded."""
    require_permission(actor, "teams.change_teammembership", membership)
    role = _clean_role(role)
    with transaction.atomic():
        locked = _locked_membership(membership)
        if locked.role == role:
            return locked
        if role != MembershipRole.LEAD:
            _refuse_leaving_without_lead(actor=actor, membership=locked, verb="change this role")
        previous, locked.role = locked.role, role
        locked.save(update_fields=["role"])
        record_audit_event(
            actor=actor,
            action=MEMBERSHIP_CHANGE,
            obj=locked,
            payload={
                "team": locked.team.slug,
                "user": locked.user.get_username(),
                "from": previous,
                "to": role,
            },
        )
    forget_memberships(actor, membership.user, locked.user)
    return locked


def membership_remove(*, actor, membership: TeamMembership) -> None:
    """Remove a person from a team. Refused: 403 unless the actor leads the team (or is a
    superuser); 409 when they are its last lead (only superusers may)."""
    require_permission(actor, "teams.delete_teammembership", membership)
    with transaction.atomic():
        locked = _locked_membership(membership)
        _refuse_leaving_without_lead(actor=actor, membership=locked, verb="remove them")
        record_audit_event(
            actor=actor,
            action=MEMBERSHIP_REMOVE,
            obj=locked,
            payload={
                "team": locked.team.slug,
                "user": locked.user.get_username(),
                "role": locked.role,
            },
        )
        locked.delete()
    forget_memberships(actor, membership.user, locked.user)
