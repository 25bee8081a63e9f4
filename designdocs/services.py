"""Every write to a design document. Each service checks the permission policy, runs in one
transaction, snapshots a revision when the content changed and records an audit event.

Optimistic concurrency: an update states the version it was based on. The row is locked
(`SELECT ... FOR UPDATE`) and a stale version refuses the whole update, so two clients
starting from the same version can never both succeed, and nothing is half-written.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from designdocs import foreign_import, lifecycle
from designdocs.audit import (
    DESIGNDOC_CLASSIFY,
    DESIGNDOC_CREATE,
    DESIGNDOC_DELETE,
    DESIGNDOC_IMPORT,
    DESIGNDOC_TRANSITION,
    DESIGNDOC_UPDATE,
)
from designdocs.choices import MLStage, RiskTier, WorkflowStatus
from designdocs.content import (
    Content,
    ContentValidator,
    content_hash,
    content_of,
    empty_content,
    may_browse_directory,
    merge_changes,
    named_teams,
    named_usernames,
    normalize_text,
    validate_revision_message,
)
from designdocs.import_preview import ImportPreview
from designdocs.markdown_io import (
    FORMAT,
    MAX_FILE_BYTES,
    MarkdownImportError,
    is_registry_format,
    parse_markdown,
)
from designdocs.models import DesignDoc, LifecycleTransition, Revision
from designdocs.sections import (
    LINK_FIELDS,
    LIST_METADATA_KEYS,
    METADATA_FIELDS,
    NARRATIVE_KEYS,
    READ_ONLY_CONTENT_KEYS,
    ROW_SECTIONS,
    RowField,
)
from designdocs.selectors import with_content
from registry.core.audit import AuditAction, record_audit_event
from registry.core.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    PreconditionRequiredError,
    StaleVersionError,
)
from registry.core.markdown import validate_markdown
from registry.core.permissions import require as require_permission
from registry.core.roles import PRODUCT_OWNERS, role_names_of
from registry.core.search import refresh_search_vector
from registry.core.text import NUL_MESSAGE, refuse_hostile_data
from teams.models import Team
from teams.selectors import team_ids_of


@dataclass(frozen=True)
class UpdateResult:
    design_doc: DesignDoc
    revision: Revision | None  # None when the update changed nothing
    #: The content stored now: callers show it without reading the document again.
    content: Content | None = None

    @property
    def changed(self) -> bool:
        return self.revision is not None


def _refuse_nul(data: dict[str, Any]) -> None:
    """NUL (and lone surrogates) are refused before any lookup: PostgreSQL cannot even
    compare text holding them."""
    refuse_hostile_data(data)


def _check_new_product_owner(new_owner, team: Team) -> None:
    """A document is handed only to an active product owner of its owner team: anyone else
    could not be trusted with deleting it (the product owner's right)."""
    name = new_owner.get_username()
    if not new_owner.is_active or PRODUCT_OWNERS not in role_names_of(new_owner):
        raise DomainError(
            f"Product owner: “{name}” is not an active product owner; hand the document to "
            "someone with the product owner role.",
            field="product_owner",
        )
    if team.pk not in team_ids_of(new_owner):
        raise DomainError(
            f"Product owner: “{name}” is not a member of the owner team “{team.name}”.",
            field="product_owner",
        )


def _validated(
    proposed: dict[str, Any], current: Content | None = None, *, viewer=None
) -> tuple[Content, dict, dict]:
    """Normalise and validate the whole proposed document. People the current content names
    already may stay even if their account was deactivated since (else one departure would
    freeze every document naming them); newly named people must be active. `viewer` (the
    user saving) confines the references of someone who may not browse people and teams
    (ContentValidator.resolve_references)."""
    validator = ContentValidator()
    content = validator.normalize(proposed)
    validator.check_rules(content)
    users, teams = validator.resolve_references(
        content,
        already_named=frozenset(named_usernames(current)) if current else frozenset(),
        viewer=viewer,
        already_named_teams=frozenset(named_teams(current)) if current else frozenset(),
    )
    validator.raise_if_invalid()
    return content, users, teams


#: Path segments the pages use under /designdocs/ (designdocs/urls.py): a document with one
#: of these slugs could never be reached.
RESERVED_SLUGS = frozenset({"new", "import", "preview"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "design-doc"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or DesignDoc.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _insert_with_unique_slug(content: Content, users: dict, teams: dict) -> DesignDoc:
    """A new document with a free slug, at version 1 and revision 1. Two creations with the
    same title at the same moment both see the slug free; the one that loses the unique
    constraint takes another."""
    slug = _unique_slug(content["title"])
    for _attempt in range(5):
        doc = DesignDoc(slug=slug, version=1)
        _assign_fields(doc, content, users, teams)
        try:
            with transaction.atomic():
                doc.save()
                _write_relations(doc, content, users, teams)
            return doc
        except IntegrityError:
            if not DesignDoc.objects.filter(slug=slug).exists():
                raise
            slug = f"{slug[:200]}-{secrets.token_hex(3)}"
    raise ConflictError("Could not find a free address for this title; try again.", field="title")


def _model_value(field: RowField, value: Any, users: dict, teams: dict) -> Any:
    """What the model stores for a content value: a reference as its object (None when
    empty), anything else as it is."""
    if field.kind == "user":
        return users[value] if value else None
    if field.kind == "team":
        return teams[value] if value else None
    return value


def _assign_fields(doc: DesignDoc, content: Content, users: dict, teams: dict) -> None:
    """Set the document's own fields (metadata and narrative) from `content`; saves nothing."""
    for field in METADATA_FIELDS:
        if field.name not in LIST_METADATA_KEYS:
            setattr(doc, field.attname, _model_value(field, content[field.name], users, teams))
    for key in NARRATIVE_KEYS:
        setattr(doc, key, content[key])


def _write_relations(
    doc: DesignDoc, content: Content, users: dict, teams: dict, previous: Content | None = None
) -> None:
    """Store the co-authors and the row sections of a saved `doc`, each replaced whole.
    With `previous` (the content stored now), those equal to it are left untouched."""
    stale = []
    if previous is None or previous.get("co_authors") != content["co_authors"]:
        doc.co_authors.set([users[name] for name in content["co_authors"]])
        stale.append("co_authors")
    for section in ROW_SECTIONS:
        if previous is not None and previous.get(section.key) == content[section.key]:
            continue
        model = section.row_model
        model.objects.filter(design_doc=doc).delete()
        model.objects.bulk_create(
            model(
                design_doc=doc,
                position=position,
                **{
                    field.attname: _model_value(field, row[field.name], users, teams)
                    for field in section.row_fields
                },
            )
            for position, row in enumerate(content[section.key])
        )
        stale.append(section.related_name)
    for link in LINK_FIELDS:
        slugs = content.get(link.name, [])
        if previous is not None and previous.get(link.name, []) == slugs:
            continue
        getattr(doc, link.attname).set(link.model.objects.filter(slug__in=slugs))
        stale.append(link.attname)
    # Rows prefetched before the write are not what is stored now: whoever reads them
    # next reads them afresh (the API shows `UpdateResult.content` instead).
    prefetched = getattr(doc, "_prefetched_objects_cache", {})
    for name in stale:
        prefetched.pop(name, None)


def _new_revision(
    doc: DesignDoc, content: Content, *, author, message: str, save: bool = True
) -> Revision:
    """The next revision of `doc` (a stored document), holding `content`, made the
    document's latest; with `save=False` the caller saves the document. An approval holds
    for one revision: an approved document whose content changes returns to draft, its
    approved revision kept as the one approved last."""
    revision = Revision.objects.create(
        design_doc=doc,
        number=doc.revision_number + 1,
        content=content,
        content_hash=content_hash(content),
        author=author,
        message=message,
    )
    doc.latest_revision = revision
    if doc.status == WorkflowStatus.APPROVED:
        doc.status = WorkflowStatus.DRAFT
    if save:
        doc.save(update_fields=["latest_revision", "status"])
    return revision


def _refuse_read_only_changes(proposed: Content, current: Content) -> None:
    """An edit may send a read-only key back unchanged (a PUT of what a GET answered), never
    change it: the risk tier comes from the EU AI Act questionnaire alone."""
    errors = {
        key: [message]
        for key, message in READ_ONLY_CONTENT_KEYS.items()
        if proposed.get(key) != current.get(key)
    }
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors, code="read_only")


def _owner_team_for_creation(user, team_slug: str) -> Team:
    """The team a new document is for. Someone who may not browse teams hears the same
    about a team they are not in as about one that does not exist (else the answer tells
    which slugs are taken); a team they are in is theirs to know, and the permission
    decides (403)."""
    team = Team.objects.filter(slug=team_slug).first()
    if may_browse_directory(user):
        if team is None:
            raise DomainError(f"There is no team “{team_slug}”.", field="owner_team")
    elif team is None or team.pk not in team_ids_of(user):
        raise DomainError(
            f"Owner team: “{team_slug}” is not a team you can name here.", field="owner_team"
        )
    return team


def _new_document_content(
    *, user, title: str, owner_team: Team | str, content: dict[str, Any] | None
) -> tuple[Content, dict, dict]:
    """Every check a new document passes before it is written (permission for the team,
    the whole content valid, the creator as product owner), writing nothing: creation and
    the import's dry run both come here, so a dry run that passes means the import would."""
    if not isinstance(owner_team, (Team, str)):
        raise DomainError("Owner team must be a team slug (text).", field="owner_team")
    team_slug = owner_team.slug if isinstance(owner_team, Team) else owner_team
    _refuse_nul({"title": title, "owner_team": team_slug, **(content or {})})
    team = _owner_team_for_creation(user, team_slug)
    require_permission(user, "designdocs.add_designdoc", team)

    proposed = empty_content()
    proposed["product_owner"] = user.get_username()
    proposed.update(content or {})
    proposed["title"] = title
    proposed["owner_team"] = team.slug
    normalized, users, teams = _validated(proposed, viewer=user)
    _refuse_read_only_changes(normalized, empty_content())
    if normalized["product_owner"] != user.get_username():
        # Naming another product owner is a handover at creation: the same rule.
        if not user.has_perm("designdocs.assign_product_owner", team):
            raise PermissionDeniedError(
                "You become the product owner of the documents you create; only an "
                f"administrator may create one for “{normalized['product_owner']}”.",
                field="product_owner",
            )
        _check_new_product_owner(users[normalized["product_owner"]], team)
    return normalized, users, teams


def designdoc_create(
    *,
    user,
    title: str,
    owner_team: Team | str,
    content: dict[str, Any] | None = None,
    message: str = "",
    audit_action: AuditAction = DESIGNDOC_CREATE,
) -> DesignDoc:
    """Create a document owned by `owner_team` with `user` as product owner, and its
    revision 1. Refused unless the user may create docs for that team."""
    message = validate_revision_message(message)
    with transaction.atomic():
        normalized, users, teams = _new_document_content(
            user=user, title=title, owner_team=owner_team, content=content
        )
        doc = _insert_with_unique_slug(normalized, users, teams)
        refresh_search_vector(doc)
        revision = _new_revision(doc, normalized, author=user, message=message or "Created")
        record_audit_event(
            actor=user,
            action=audit_action,
            obj=doc,
            payload={"revision": revision.number, "content_hash": revision.content_hash},
        )
    return doc


def designdoc_update(
    *,
    doc: DesignDoc,
    user,
    expected_version: int | None,
    changes: dict[str, Any],
    message: str = "",
) -> UpdateResult:
    """Apply `changes` (any subset of the content keys) to `doc`, based on
    `expected_version`. Raises PreconditionRequiredError (428) without a version,
    StaleVersionError (412) when another change came first, DomainError (400) with every
    invalid field named. A change that alters nothing creates no revision."""
    require_permission(user, "designdocs.change_designdoc", doc)
    message = validate_revision_message(message)
    _refuse_nul(changes if isinstance(changes, dict) else {})
    if expected_version is None:
        raise PreconditionRequiredError(
            "State the version this update is based on (If-Match header or `version` field).",
            field="version",
        )
    with transaction.atomic():
        # The one read of the document: its row locked (FOR UPDATE OF the document only:
        # PostgreSQL refuses to lock the nullable side of an outer join), its content
        # prefetched in the same go.
        locked = (
            with_content(DesignDoc.objects.filter(pk=doc.pk)).select_for_update(of=("self",)).get()
        )
        if locked.version != expected_version:
            raise StaleVersionError(
                f"This document changed since version {expected_version}: it is at version "
                f"{locked.version} now. Nothing was saved; reload, reapply your change and save again.",
                current_version=locked.version,
            )
        current = content_of(locked)
        proposed = merge_changes(current, changes)
        normalized, users, teams = _validated(proposed, current=current, viewer=user)
        _refuse_read_only_changes(normalized, current)
        if normalized["owner_team"] != current["owner_team"]:
            if not user.has_perm("designdocs.move_designdoc", locked):
                raise PermissionDeniedError(
                    "Only the product owner can move the document to another team.",
                    field="owner_team",
                )
            require_permission(user, "designdocs.add_designdoc", teams[normalized["owner_team"]])
        if normalized["product_owner"] != current["product_owner"]:
            # Else any editor could make themselves product owner, and then delete the doc.
            if not user.has_perm("designdocs.transfer_designdoc", locked):
                raise PermissionDeniedError(
                    "Only the product owner can hand the document to another product owner.",
                    field="product_owner",
                )
            _check_new_product_owner(
                users[normalized["product_owner"]], teams[normalized["owner_team"]]
            )
        # Comparing the content itself too: a document stored before a section was added
        # has a hash without that (empty) section, and an unchanged save must stay one.
        digest = content_hash(normalized)
        if normalized == current or digest == locked.content_hash:
            return UpdateResult(design_doc=locked, revision=None, content=current)
        # One save of the document: its fields, the new version and its new revision.
        _assign_fields(locked, normalized, users, teams)
        was_approved = locked.status == WorkflowStatus.APPROVED
        locked.version += 1
        revision = _new_revision(locked, normalized, author=user, message=message, save=False)
        locked.save()
        _write_relations(locked, normalized, users, teams, previous=current)
        refresh_search_vector(locked)
        changed = sorted(k for k in normalized if normalized[k] != current.get(k))
        record_audit_event(
            actor=user,
            action=DESIGNDOC_UPDATE,
            obj=locked,
            payload={
                "revision": revision.number,
                "version": locked.version,
                "changed": changed,
                "content_hash": revision.content_hash,
                **({"approval_withdrawn_from": revision.number - 1} if was_approved else {}),
            },
        )
    return UpdateResult(design_doc=locked, revision=revision, content=normalized)


def designdoc_set_risk_tier(
    *, doc: DesignDoc, actor, tier: str, reasons: list[str] | tuple[str, ...] = ()
) -> UpdateResult:
    """Write the EU AI Act tier a classification derived (the questionnaire's service calls
    this; nothing else sets the tier). A change of tier is a change of content: a new
    revision, and an approved document returns to draft (its approval was for a revision
    with the old tier). The same tier again changes nothing. Permission: `classify`."""
    require_permission(actor, "designdocs.classify_designdoc", doc)
    if tier not in RiskTier.values or tier == RiskTier.UNCLASSIFIED:
        raise DomainError(f"“{tier}” is not a risk tier a classification gives.", field="tier")
    with transaction.atomic():
        locked = (
            with_content(DesignDoc.objects.filter(pk=doc.pk)).select_for_update(of=("self",)).get()
        )
        current = content_of(locked)
        if current["risk_tier"] == tier:
            return UpdateResult(design_doc=locked, revision=None, content=current)
        normalized = {**current, "risk_tier": tier}
        was_approved = locked.status == WorkflowStatus.APPROVED
        locked.risk_tier = tier
        locked.version += 1
        previous = RiskTier(current["risk_tier"]).label if current["risk_tier"] else ""
        revision = _new_revision(
            locked,
            normalized,
            author=actor,
            message=f"EU AI Act classification: {RiskTier(tier).label} (was {previous})"[:300],
            save=False,
        )
        locked.save(
            update_fields=["risk_tier", "version", "latest_revision", "status", "updated_at"]
        )
        record_audit_event(
            actor=actor,
            action=DESIGNDOC_CLASSIFY,
            obj=locked,
            payload={
                "revision": revision.number,
                "version": locked.version,
                "from": current["risk_tier"],
                "to": tier,
                "reasons": list(reasons)[:20],
                **({"approval_withdrawn_from": revision.number - 1} if was_approved else {}),
            },
        )
    return UpdateResult(design_doc=locked, revision=revision, content=normalized)


def designdoc_transition(
    *, doc: DesignDoc, actor, to_stage: str, reason: str = ""
) -> LifecycleTransition:
    """Move the solution `doc` describes to `to_stage` of the ML lifecycle
    (designdocs.lifecycle.MOVES), its guard checked under the document's row lock. A refused
    move raises ConflictError (409) with the sentence saying why, and changes nothing. The
    stage is not content: no revision is made, an approval stays valid."""
    require_permission(actor, "designdocs.transition_designdoc", doc)
    if not isinstance(to_stage, str):
        raise DomainError("to: a lifecycle stage (text).", field="to")
    if not isinstance(reason, str):
        raise DomainError("reason: text.", field="reason")
    _refuse_nul({"to": to_stage, "reason": reason})
    reason = normalize_text(reason)
    if len(reason) > lifecycle.REASON_MAX:
        raise DomainError(
            f"The reason is at most {lifecycle.REASON_MAX} characters (it has {len(reason)}).",
            field="reason",
        )
    if to_stage not in MLStage.values or to_stage == MLStage.UNCLASSIFIED:
        raise DomainError(
            f"“{to_stage[:50]}” is not a lifecycle stage; one of: {', '.join(lifecycle.ORDER)}.",
            field="to",
        )
    with transaction.atomic():
        locked = (
            DesignDoc.objects.filter(pk=doc.pk)
            .select_related("latest_revision")
            .defer("latest_revision__content")
            .prefetch_related("monitoring_items")
            .select_for_update(of=("self",))
            .get()
        )
        refused = lifecycle.refusal(locked, to_stage, reason)
        if refused:
            raise ConflictError(refused, field="to")
        transition = LifecycleTransition.objects.create(
            design_doc=locked,
            from_stage=locked.stage,
            to_stage=to_stage,
            actor=actor,
            reason=reason,
        )
        locked.stage = to_stage
        locked.save(update_fields=["stage", "updated_at"])
        record_audit_event(
            actor=actor,
            action=DESIGNDOC_TRANSITION,
            obj=locked,
            payload={"from": transition.from_stage, "to": to_stage, "reason": reason[:200]},
        )
    doc.stage = to_stage
    return transition


def designdoc_delete(*, doc: DesignDoc, user) -> None:
    """Delete a document with its rows and revisions; the audit trail keeps the record.
    A document whose revisions a review, a comment or a submission refers to (their
    foreign keys PROTECT the revision) is refused with 409: it is archived instead, so
    that its history and approvals stay readable."""
    require_permission(user, "designdocs.delete_designdoc", doc)
    try:
        with transaction.atomic():
            record_audit_event(
                actor=user,
                action=DESIGNDOC_DELETE,
                obj=doc,
                payload={"slug": doc.slug, "revision": doc.revision_number},
            )
            doc.delete()
    except ProtectedError:
        raise ConflictError(
            f"“{doc.title}” has been submitted for review: its reviewed revisions are kept "
            "for the record, so it cannot be deleted. Archive it instead.",
            code="reviewed",
        ) from None


def designdoc_import(*, user, content: dict[str, Any], message: str = "") -> DesignDoc:
    """Create a document from imported content (Markdown file or API), whole or not at all.
    The importing user becomes product owner; a file naming someone else is refused unless
    an administrator imports it."""
    content = dict(content)
    title = content.pop("title", "")
    team = content.pop("owner_team", "")
    if not content.get("product_owner"):
        content["product_owner"] = user.get_username()
    return designdoc_create(
        user=user,
        title=title,  # not text: the validator says so, naming it
        owner_team=team if isinstance(team, str) else "",
        content=content,
        message=message or "Imported from Markdown",
        audit_action=DESIGNDOC_IMPORT,
    )


def designdoc_import_markdown(
    *,
    user,
    data: bytes | str,
    field: str = "file",
    owner_team: str | None = None,
    title: str | None = None,
    file_name: str = "",
) -> DesignDoc:
    """Create a document from a Markdown file, given as the file's bytes (UTF-8, with or
    without a byte-order mark) or as text. Every entry point (page upload, API, command
    line) comes here, so they read the same formats:

    - this registry's export (YAML front matter, section markers; see
      designdocs.markdown_io), which names its own team and title;
    - any other Markdown document (see designdocs.foreign_import): its headings are mapped
      onto the sections, and `owner_team` (a slug) is required, `title` optional.

    Errors name the line of the file they come from; a file with any error creates
    nothing."""

    text = _import_text(data, field)
    if is_registry_format(text):
        _refuse_foreign_fields(owner_team, title)

        parsed = parse_markdown(text, field=field)
        with _errors_located(parsed.line_of):
            return designdoc_import(user=user, content=parsed.content)
    plan = foreign_import.plan_foreign_import(text, file_name=file_name)
    content = _foreign_content(plan, owner_team=owner_team, title=title, required=True)
    with _errors_located(plan.line_of):
        return designdoc_import(
            user=user, content=content, message="Imported from Markdown (another template)"
        )


def designdoc_import_preview(
    *,
    user,
    data: bytes | str,
    field: str = "file",
    owner_team: str | None = None,
    title: str | None = None,
    file_name: str = "",
):
    """What `designdoc_import_markdown` would create from the same arguments, creating
    nothing: the mapping of the file's headings (or section markers) onto the sections with
    word counts, the title and the team. The same checks run (permission, validation, line
    numbers in errors); for a document from another template without `owner_team`, only the
    file itself is checked (the mapping is what the page shows before a team is chosen)."""

    text = _import_text(data, field)
    if is_registry_format(text):
        _refuse_foreign_fields(owner_team, title)

        parsed = parse_markdown(text, field=field)
        content = dict(parsed.content)
        with _errors_located(parsed.line_of):
            normalized, _users, _teams = _new_document_content(
                user=user,
                title=str(content.pop("title", "") or ""),
                owner_team=str(content.pop("owner_team", "") or ""),
                content=_with_importer(user, content),
            )
        return ImportPreview.of_registry_file(parsed, normalized)
    plan = foreign_import.plan_foreign_import(text, file_name=file_name)
    content = _foreign_content(plan, owner_team=owner_team, title=title, required=False)
    with _errors_located(plan.line_of):
        if owner_team:
            team = content.pop("owner_team")
            content = _new_document_content(
                user=user, title=content.pop("title"), owner_team=team, content=content
            )[0]
        else:
            _validate_sections(content)
    return ImportPreview.of_foreign_file(plan, content, owner_team=owner_team or None)


def _with_importer(user, content: dict[str, Any]) -> dict[str, Any]:
    if not content.get("product_owner"):
        content["product_owner"] = user.get_username()
    return content


def _import_text(data: bytes | str, field: str) -> str:
    """The text of an uploaded file, or a refusal naming the line: too large, not UTF-8,
    holding NUL or a lone surrogate (neither can be stored)."""

    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        message = (
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB ({size // 1024} KB)."
        )
        raise MarkdownImportError(message, errors={field: [message]})
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            message = (
                f"Line {line}: The file is not UTF-8 text "
                f"(byte {exc.start + 1} is not valid UTF-8)."
            )
            raise DomainError(message, field=field) from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        message = f"Line {line}: {NUL_MESSAGE}"
        raise MarkdownImportError(message, errors={field: [message]})
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:
        line = text.count("\n", 0, surrogate.start()) + 1
        message = (
            f"Line {line}: The text holds a lone surrogate (U+{ord(surrogate.group()):04X}), "
            "which is not a character; it cannot be stored."
        )
        raise MarkdownImportError(message, errors={field: [message]})
    return text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_foreign_fields(owner_team: str | None, title: str | None) -> None:
    for name, value in (("owner_team", owner_team), ("title", title)):
        if value:
            raise DomainError(
                f"This file is in this registry's format and names its own {name} in its "
                f"front matter; leave `{name}` out (or change it in the file).",
                field=name,
            )


def _foreign_content(plan, *, owner_team: str | None, title: str | None, required: bool) -> dict:

    if required and not owner_team:
        message = (
            f"Line 1: The file has no YAML front matter (“---”, format {FORMAT}), so it is "
            "read as a design doc from another template: name the team that owns it "
            "(owner team)."
        )
        raise MarkdownImportError(message, errors={"owner_team": [message]})
    if owner_team is not None and not isinstance(owner_team, str):
        raise DomainError("owner_team must be a team slug.", field="owner_team")
    if title is not None and not isinstance(title, str):
        raise DomainError("title must be text.", field="title")
    _refuse_nul({"owner_team": owner_team or "", "title": title or ""})
    content: dict[str, Any] = dict(plan.sections)
    content["title"] = (title or "").strip() or plan.title
    content["owner_team"] = owner_team or ""
    return content


def _validate_sections(content: dict[str, Any]) -> None:
    """The checks of the narrative sections alone (size, complexity), for a preview
    without a team."""

    errors: dict[str, list[str]] = {}
    for key in NARRATIVE_KEYS:
        try:
            validate_markdown(normalize_text(content.get(key, "")), field=key)
        except DomainError as exc:
            errors[key] = [exc.message]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors, code="invalid")


@contextmanager
def _errors_located(line_of: Callable[[str], int | None]) -> Iterator[None]:
    """Validation errors of imported content, each prefixed with the line of the file its
    field comes from; other refusals (403, 404) pass unchanged."""

    try:
        yield
    except DomainError as exc:
        if isinstance(exc, MarkdownImportError) or exc.status_code != 400:
            raise
        located = {}
        for key, messages in exc.errors.items():
            line = line_of(key)
            located[key] = [f"Line {line}: {m}" if line else m for m in messages]
        first = next(iter(located.values()))[0] if located else exc.message
        raise MarkdownImportError(first, errors=located) from exc
