"""Every write of the review workflow: submission, withdrawal, decisions, archive,
supersession and comments. Each service checks the permission rule, locks the document row
(`SELECT ... FOR UPDATE`) inside one transaction, checks the transition's guard on the row
as it is now, writes, records one audit event on the document (its payload names the
revision concerned) and enqueues its notification e-mails on commit.

A refusal is a DomainError raised before anything is written, so a refused transition
changes nothing: not the document, not the audit log, not the outbox. 409 (ConflictError)
for a transition the document's state does not allow, 403 for a person who may not, 412
for a decision stating a revision that is no longer the latest.

Transitions (from -> to):

    submit      draft, changes_requested        -> in_review   (opens a review request)
    withdraw    in_review                       -> draft       (closes it)
    decide      in_review                       -> approved (enough approvals of the latest
                                                   revision) | changes_requested | unchanged
    archive     any but archived                -> archived
    supersede   draft, in_review, changes_requested, approved -> superseded

An edit of a document in review keeps it in review and its request open (GitHub's pull
request): approvals given on the older revision stay in the history but no longer count.
An edit of an approved document returns it to draft (designdocs.services._new_revision).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from designdocs.choices import UNCLASSIFIED, RiskTier, WorkflowStatus
from designdocs.models import DesignDoc
from designdocs.sections import SECTIONS_BY_KEY
from registry.core.audit import record_audit_event
from registry.core.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    PreconditionRequiredError,
)
from registry.core.markdown import validate_markdown
from registry.core.permissions import allows
from registry.core.permissions import require as require_permission
from registry.core.roles import ARCHITECTS, is_architect
from registry.core.text import is_blank, refuse_hostile_data, shown
from reviews import audit
from reviews.choices import APPROVING, COMMENT_REQUIRED, CloseReason, Decision, RequestState, Verb
from reviews.errors import StaleRevisionError
from reviews.models import Comment, Notification, Review, ReviewRequest
from reviews.rules import not_author
from reviews.selectors import approval_state_of, approvals_required, authors_of, current_approvers

MAX_REVIEWERS = 20
REMINDER_GAP = datetime.timedelta(hours=20)
QUOTE_MAX_LENGTH = 500

_STATUS_WORDS = {
    WorkflowStatus.DRAFT: "is a draft",
    WorkflowStatus.IN_REVIEW: "is already in review",
    WorkflowStatus.CHANGES_REQUESTED: "has changes requested",
    WorkflowStatus.APPROVED: "is approved",
    WorkflowStatus.SUPERSEDED: "is superseded",
    WorkflowStatus.ARCHIVED: "is archived",
}


def _locked(doc: DesignDoc) -> DesignDoc:
    """The document's row, locked until the end of the transaction, as it is now (every
    transition and decision reads its guard from this, never from the caller's copy).

    Two statements on purpose: the lock first, on the row alone; then the read with its
    joins, in a new snapshot (READ COMMITTED). Locked and joined in one statement, a row
    that waited for a concurrent edit would be re-read after it, but the revision that edit
    created would not be visible to the join, leaving `latest_revision` empty."""
    DesignDoc.objects.select_for_update().filter(pk=doc.pk).values_list("pk", flat=True).get()
    return (
        DesignDoc.objects.select_related("latest_revision", "product_owner")
        .defer("latest_revision__content")
        .prefetch_related("co_authors")
        .get(pk=doc.pk)
    )


def _open_request(doc: DesignDoc) -> ReviewRequest | None:
    return ReviewRequest.objects.filter(design_doc=doc, state=RequestState.OPEN).first()


def _close(request: ReviewRequest | None, reason: CloseReason) -> None:
    if request is None:
        return
    request.state = RequestState.CLOSED
    request.close_reason = reason
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "close_reason", "closed_at"])


def _set_status(doc: DesignDoc, status: str, **fields: Any) -> None:
    doc.status = status
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.save(update_fields=["status", *fields, "updated_at"])


def _revision_payload(doc: DesignDoc, **extra: Any) -> dict[str, Any]:
    return {"revision": doc.revision_number, "content_hash": doc.content_hash, **extra}


def _refuse(doc: DesignDoc, what: str, hint: str = "") -> ConflictError:
    sentence = f"“{doc.title}” {_STATUS_WORDS[doc.status]}: it cannot be {what}."
    return ConflictError(f"{sentence} {hint}".strip(), code="wrong_state")


# --- notifications ------------------------------------------------------------------------


def _notify(doc: DesignDoc, *, verb: str, actor, recipients: Iterable, summary: str) -> None:
    """In-app notifications for `recipients` allowed to see `doc` (never the actor), and
    one task sending their e-mails once the transaction commits."""
    from reviews.tasks import send_notification_emails

    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen or (actor is not None and user.pk == actor.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        if not allows(user, "designdocs.view_designdoc", doc):
            continue
        rows.append(
            Notification(
                recipient=user, verb=verb, design_doc=doc, actor=actor, summary=summary[:300]
            )
        )
    if not rows:
        return
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    send_notification_emails.delay_on_commit(ids)


def _architects():
    return (
        get_user_model()
        .objects.filter(groups__name=ARCHITECTS, is_active=True)
        .prefetch_related("groups")
        .distinct()
        .order_by("username")
    )


def reviewers_to_notify(request: ReviewRequest, doc: DesignDoc) -> list:
    """The chosen reviewers, or every architect when the request went to the group, less
    the document's authors."""
    chosen = list(request.reviewers.all())
    people = chosen or list(_architects())
    return [p for p in people if not_author.holds(p, doc)]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- submit / withdraw --------------------------------------------------------------------


def _check_reviewers(doc: DesignDoc, reviewers: Iterable[Any]) -> list:
    """Usernames (or users) -> users: active architects who may see the document and are
    not its authors. Every problem is named (field `reviewers`)."""
    user_model = get_user_model()
    names = []
    for item in reviewers:
        if isinstance(item, user_model):
            names.append(item.get_username())
        elif isinstance(item, str) and item.strip():
            names.append(item.strip())
        else:
            raise DomainError("reviewers: give the usernames of architects.", field="reviewers")
    names = list(dict.fromkeys(names))
    if len(names) > MAX_REVIEWERS:
        raise DomainError(
            f"reviewers: at most {MAX_REVIEWERS} reviewers; leave it empty to ask every architect.",
            field="reviewers",
        )
    refuse_hostile_data({"reviewers": names})
    found = {
        u.get_username(): u
        for u in user_model.objects.filter(username__in=names, is_active=True).prefetch_related(
            "groups"
        )
    }
    problems = []
    users = []
    for name in names:
        user = found.get(name)
        if user is None:
            problems.append(f"“{shown(name)}” is not an active user.")
        elif not is_architect.holds(user, doc):
            problems.append(f"“{name}” is not an architect: only architects review.")
        elif not not_author.holds(user, doc):
            problems.append(f"“{name}” is an author of this document and cannot review it.")
        elif not allows(user, "designdocs.view_designdoc", doc):
            problems.append(f"“{name}” may not see this document.")
        else:
            users.append(user)
    if problems:
        raise DomainError(
            f"reviewers: {problems[0]}", field="reviewers", errors={"reviewers": problems}
        )
    return users


def _check_due_date(due_date: Any) -> datetime.date | None:
    if due_date in (None, ""):
        return None
    if isinstance(due_date, str):
        try:
            due_date = datetime.date.fromisoformat(due_date)
        except ValueError:
            raise DomainError("due_date: give a date as YYYY-MM-DD.", field="due_date") from None
    if isinstance(due_date, datetime.datetime) or not isinstance(due_date, datetime.date):
        raise DomainError("due_date: give a date as YYYY-MM-DD.", field="due_date")
    if due_date < timezone.localdate():
        raise DomainError("due_date: the due date is in the past.", field="due_date")
    return due_date


def designdoc_submit(
    *, doc: DesignDoc, actor, reviewers: Iterable[Any] = (), due_date: Any = None
) -> ReviewRequest:
    """Submit the latest revision of `doc` for review: to the chosen architects, or to the
    architects group when none is chosen. Refused for a document whose risk tier is not yet
    classified (the tier decides how many approvals it needs)."""
    require_permission(actor, "reviews.submit_designdoc", doc)
    reviewers = list(reviewers) if not isinstance(reviewers, (str, bytes)) else None
    if reviewers is None:
        raise DomainError("reviewers: give a list of usernames.", field="reviewers")
    due = _check_due_date(due_date)
    with transaction.atomic():
        locked = _locked(doc)
        require_permission(actor, "reviews.submit_designdoc", locked)
        if locked.status not in (WorkflowStatus.DRAFT, WorkflowStatus.CHANGES_REQUESTED):
            raise _refuse(locked, "submitted for review")
        if locked.risk_tier == UNCLASSIFIED:
            raise ConflictError(
                f"“{locked.title}” has no risk tier yet: classify it (EU AI Act tier) before "
                "submitting it, since the tier decides how many approvals it needs.",
                code="unclassified",
                field="risk_tier",
            )
        if locked.latest_revision_id is None:
            raise ConflictError("The document has no revision to submit.", code="wrong_state")
        chosen = _check_reviewers(locked, reviewers)
        request = ReviewRequest.objects.create(
            design_doc=locked, revision=locked.latest_revision, requested_by=actor, due_date=due
        )
        request.reviewers.set(chosen)
        previous = locked.status
        _set_status(locked, WorkflowStatus.IN_REVIEW)
        record_audit_event(
            actor=actor,
            action=audit.DESIGNDOC_SUBMIT,
            obj=locked,
            payload=_revision_payload(
                locked,
                request=request.pk,
                reviewers=[u.get_username() for u in chosen],
                to_architects_group=not chosen,
                due_date=due.isoformat() if due else None,
                from_status=previous,
            ),
        )
        _notify(
            locked,
            verb=Verb.REVIEW_REQUESTED,
            actor=actor,
            recipients=reviewers_to_notify(request, locked),
            summary=f"{_name(actor)} asked you to review “{locked.title}” "
            f"(revision {locked.revision_number}).",
        )
    return request


def designdoc_withdraw(*, doc: DesignDoc, actor) -> DesignDoc:
    """Take a document out of review, back to draft; its open request closes."""
    require_permission(actor, "reviews.withdraw_designdoc", doc)
    with transaction.atomic():
        locked = _locked(doc)
        require_permission(actor, "reviews.withdraw_designdoc", locked)
        if locked.status != WorkflowStatus.IN_REVIEW:
            raise _refuse(locked, "withdrawn from review", "Only a document in review can be.")
        request = _open_request(locked)
        _close(request, CloseReason.WITHDRAWN)
        _set_status(locked, WorkflowStatus.DRAFT)
        record_audit_event(
            actor=actor,
            action=audit.DESIGNDOC_WITHDRAW,
            obj=locked,
            payload=_revision_payload(locked, request=request.pk if request else None),
        )
    return locked


# --- decisions ----------------------------------------------------------------------------


def _check_stated_revision(doc: DesignDoc, revision: Any, content_hash: Any) -> None:
    """The decision names the revision it was made on, by number or content hash: it must
    be the latest, else 412 (the reviewer read something that is no longer the document)."""
    if revision in (None, "") and content_hash in (None, ""):
        raise PreconditionRequiredError(
            "State the revision you reviewed: `revision` (its number) or `content_hash`.",
            field="revision",
        )
    if revision not in (None, ""):
        if isinstance(revision, bool) or not isinstance(revision, int):
            raise DomainError(
                "revision: give the revision number (a whole number).", field="revision"
            )
        if revision != doc.revision_number:
            raise StaleRevisionError(doc, stated=f"revision {revision}")
    if content_hash not in (None, ""):
        if not isinstance(content_hash, str) or len(content_hash) > 64:
            raise DomainError(
                "content_hash: give the sha256 of the revision.", field="content_hash"
            )
        if content_hash != doc.content_hash:
            raise StaleRevisionError(doc, stated=f"content hash {shown(content_hash, 16)}")


def _check_body(body: Any, *, decision: str) -> str:
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise DomainError("body: the comment is text (Markdown).", field="body")
    body = body.replace("\r\n", "\n").strip()
    if is_blank(body):
        body = ""
    if decision in COMMENT_REQUIRED and not body:
        label = Decision(decision).label
        raise DomainError(f"body: “{label}” needs a comment saying why.", field="body")
    if body:
        validate_markdown(body, field="body")
    return body


def review_decide(
    *,
    doc: DesignDoc,
    actor,
    decision: Any,
    body: Any = "",
    revision: Any = None,
    content_hash: Any = None,
) -> Review:
    """Record `actor`'s decision on the latest revision of `doc` (in review), stated by its
    number or content hash. An approval that brings the distinct architects approving the
    latest revision to the number its risk tier requires approves the document; a request
    for changes sends it back to its authors; a comment changes no state."""
    if decision not in Decision.values:
        raise DomainError(f"decision: one of {', '.join(Decision.values)}.", field="decision")
    permission = (
        "reviews.approve_designdoc" if decision in APPROVING else "reviews.review_designdoc"
    )
    text = _check_body(body, decision=decision)
    with transaction.atomic():
        locked = _locked(doc)
        if not not_author.holds(actor, locked):
            raise PermissionDeniedError(
                "You are an author of this document: authors never review or approve their own "
                "document; an architect who is not one does.",
                code="own_document",
            )
        if not actor.has_perm(permission, locked):
            raise PermissionDeniedError(
                "Only architects review and approve design documents.", code="permission_denied"
            )
        request = _open_request(locked)
        if locked.status != WorkflowStatus.IN_REVIEW or request is None:
            raise _refuse(locked, "reviewed", "Its authors submit it for review first.")
        if decision in APPROVING and locked.risk_tier == RiskTier.UNACCEPTABLE:
            raise ConflictError(
                f"“{locked.title}” is in the unacceptable risk tier (prohibited by the EU AI "
                "Act): it cannot be approved. Request changes, or reclassify it if the tier is "
                "wrong.",
                code="unacceptable_tier",
            )
        _check_stated_revision(locked, revision, content_hash)
        review = Review.objects.create(
            request=request,
            design_doc=locked,
            revision=locked.latest_revision,
            content_hash=locked.content_hash,
            reviewer=actor,
            decision=decision,
            body=text,
        )
        previous = locked.status
        approvers = current_approvers(locked)
        required = approvals_required(locked.risk_tier)
        if decision in APPROVING and required is not None and len(approvers) >= required:
            _set_status(locked, WorkflowStatus.APPROVED, approved_revision=locked.latest_revision)
            _close(request, CloseReason.APPROVED)
        elif decision == Decision.REQUEST_CHANGES:
            _set_status(locked, WorkflowStatus.CHANGES_REQUESTED)
            _close(request, CloseReason.CHANGES_REQUESTED)
        record_audit_event(
            actor=actor,
            action=audit.DECISION_ACTIONS[decision],
            obj=locked,
            payload=_revision_payload(
                locked,
                review=review.pk,
                request=request.pk,
                decision=decision,
                approvals=len(approvers),
                approvals_required=required,
                from_status=previous,
                to_status=locked.status,
            ),
        )
        outcome = {
            WorkflowStatus.APPROVED: "the document is approved",
            WorkflowStatus.CHANGES_REQUESTED: "changes are requested",
        }.get(locked.status, f"{len(approvers)} of {required} approvals" if required else "")
        verb = Verb.APPROVED if locked.status == WorkflowStatus.APPROVED else Verb.DECIDED
        _notify(
            locked,
            verb=verb,
            actor=actor,
            recipients=authors_of(locked),
            summary=f"{_name(actor)}: {Decision(decision).label.lower()} on “{locked.title}” "
            f"(revision {locked.revision_number})" + (f"; {outcome}." if outcome else "."),
        )
    return review


# --- archive / supersede ------------------------------------------------------------------


def designdoc_archive(*, doc: DesignDoc, actor) -> DesignDoc:
    """Archive a document: kept, with its revisions, reviews and comments, read-only for
    review. An open review request closes."""
    require_permission(actor, "reviews.archive_designdoc", doc)
    with transaction.atomic():
        locked = _locked(doc)
        require_permission(actor, "reviews.archive_designdoc", locked)
        if locked.status == WorkflowStatus.ARCHIVED:
            raise _refuse(locked, "archived again")
        request = _open_request(locked)
        _close(request, CloseReason.ARCHIVED)
        previous = locked.status
        _set_status(locked, WorkflowStatus.ARCHIVED)
        record_audit_event(
            actor=actor,
            action=audit.DESIGNDOC_ARCHIVE,
            obj=locked,
            payload=_revision_payload(locked, from_status=previous),
        )
    return locked


def _check_successor(doc: DesignDoc, actor, successor: Any) -> DesignDoc:
    if isinstance(successor, DesignDoc):
        successor_id = successor.pk
    elif isinstance(successor, int) and not isinstance(successor, bool):
        successor_id = successor
    elif isinstance(successor, str) and successor.strip():
        refuse_hostile_data({"superseded_by": successor})
        found = (
            DesignDoc.objects.filter(slug=successor.strip()).values_list("pk", flat=True).first()
        )
        successor_id = found or 0
    else:
        raise DomainError(
            "superseded_by: name the document replacing this one (its id or slug).",
            field="superseded_by",
        )
    visible = DesignDoc.objects.restrict(actor, "view").filter(pk=successor_id).first()
    if visible is None:
        raise DomainError(
            "superseded_by: there is no such document that you can see.", field="superseded_by"
        )
    if visible.pk == doc.pk:
        raise DomainError(
            "superseded_by: a document cannot supersede itself.", field="superseded_by"
        )
    return visible


def designdoc_supersede(*, doc: DesignDoc, actor, superseded_by: Any) -> DesignDoc:
    """Mark `doc` as replaced by `superseded_by` (a document the actor may see). Refused
    when the replacement is, directly or down its own chain, superseded by `doc` (a cycle)."""
    require_permission(actor, "reviews.supersede_designdoc", doc)
    successor = _check_successor(doc, actor, superseded_by)
    with transaction.atomic():
        # Both rows locked, in id order (two supersessions crossing cannot deadlock).
        rows = {
            d.pk: d
            for d in DesignDoc.objects.select_for_update(of=("self",))
            .filter(pk__in=[doc.pk, successor.pk])
            .order_by("pk")
        }
        locked = _locked(doc)
        require_permission(actor, "reviews.supersede_designdoc", locked)
        if locked.status in (WorkflowStatus.SUPERSEDED, WorkflowStatus.ARCHIVED):
            raise _refuse(locked, "superseded")
        successor = rows[successor.pk]
        if successor.status == WorkflowStatus.ARCHIVED:
            raise ConflictError(
                f"“{successor.title}” is archived: an archived document replaces nothing.",
                code="wrong_state",
                field="superseded_by",
            )
        seen, cursor = set(), successor
        while cursor is not None and cursor.superseded_by_id is not None:
            if cursor.superseded_by_id == locked.pk:
                raise ConflictError(
                    f"“{successor.title}” is itself superseded by “{locked.title}” (directly or "
                    "down its chain): that would be a cycle.",
                    code="cycle",
                    field="superseded_by",
                )
            if cursor.superseded_by_id in seen:
                break
            seen.add(cursor.superseded_by_id)
            cursor = (
                DesignDoc.objects.filter(pk=cursor.superseded_by_id)
                .only("pk", "superseded_by")
                .first()
            )
        request = _open_request(locked)
        _close(request, CloseReason.SUPERSEDED)
        previous = locked.status
        _set_status(locked, WorkflowStatus.SUPERSEDED, superseded_by=successor)
        record_audit_event(
            actor=actor,
            action=audit.DESIGNDOC_SUPERSEDE,
            obj=locked,
            payload=_revision_payload(
                locked,
                superseded_by=successor.pk,
                superseded_by_slug=successor.slug,
                from_status=previous,
            ),
        )
    return locked


# --- comments -----------------------------------------------------------------------------


def _check_comment_text(body: Any, quote: Any = "") -> tuple[str, str]:
    refuse_hostile_data({"body": body, "quote": quote})
    if not isinstance(body, str) or is_blank(body):
        raise DomainError("body: write the comment.", field="body")
    body = body.replace("\r\n", "\n").strip()
    validate_markdown(body, field="body")
    if quote in (None, ""):
        quote = ""
    if not isinstance(quote, str):
        raise DomainError("quote: the quoted passage is text.", field="quote")
    quote = quote.strip()
    if len(quote) > QUOTE_MAX_LENGTH:
        raise DomainError(
            f"quote: quote at most {QUOTE_MAX_LENGTH} characters of the passage.", field="quote"
        )
    return body, quote


def _refuse_archived(doc: DesignDoc) -> None:
    if doc.status == WorkflowStatus.ARCHIVED:
        raise ConflictError(
            f"“{doc.title}” is archived: its comments are kept for the record, closed to new ones.",
            code="wrong_state",
        )


def comment_add(*, doc: DesignDoc, actor, section: Any, body: Any, quote: Any = "") -> Comment:
    """A new thread on `section` of the latest revision, optionally quoting a passage."""
    require_permission(actor, "reviews.comment_designdoc", doc)
    if not isinstance(section, str) or section not in SECTIONS_BY_KEY:
        raise DomainError(f"section: one of {', '.join(SECTIONS_BY_KEY)}.", field="section")
    text, quote = _check_comment_text(body, quote)
    with transaction.atomic():
        locked = _locked(doc)
        _refuse_archived(locked)
        comment = Comment.objects.create(
            design_doc=locked,
            revision=locked.latest_revision,
            section=section,
            quote=quote,
            body=text,
            author=actor,
        )
        record_audit_event(
            actor=actor,
            action=audit.COMMENT_ADD,
            obj=locked,
            payload=_revision_payload(locked, comment=comment.pk, section=section),
        )
    return comment


def _root(comment: Comment) -> Comment:
    return comment.parent if comment.parent_id else comment


def comment_reply(*, comment: Comment, actor, body: Any) -> Comment:
    """A reply in the thread of `comment` (a reply to a reply joins the same thread)."""
    doc = comment.design_doc
    require_permission(actor, "reviews.comment_designdoc", doc)
    text, _ = _check_comment_text(body)
    with transaction.atomic():
        locked = _locked(doc)
        _refuse_archived(locked)
        root = _root(comment)
        reply = Comment.objects.create(
            design_doc=locked,
            revision=locked.latest_revision,
            section=root.section,
            body=text,
            author=actor,
            parent=root,
        )
        record_audit_event(
            actor=actor,
            action=audit.COMMENT_REPLY,
            obj=locked,
            payload=_revision_payload(
                locked, comment=reply.pk, thread=root.pk, section=root.section
            ),
        )
    return reply


def _set_resolved(*, comment: Comment, actor, resolved: bool) -> Comment:
    require_permission(actor, "reviews.resolve_comment", comment)
    with transaction.atomic():
        locked = _locked(comment.design_doc)
        _refuse_archived(locked)
        root = Comment.objects.select_for_update().get(pk=_root(comment).pk)
        if resolved and root.is_resolved:
            raise ConflictError("This thread is already resolved.", code="wrong_state")
        if not resolved and not root.is_resolved:
            raise ConflictError(
                "This thread is open: there is nothing to reopen.", code="wrong_state"
            )
        root.resolved_by = actor if resolved else None
        root.resolved_at = timezone.now() if resolved else None
        root.save(update_fields=["resolved_by", "resolved_at"])
        record_audit_event(
            actor=actor,
            action=audit.COMMENT_RESOLVE if resolved else audit.COMMENT_REOPEN,
            obj=locked,
            payload=_revision_payload(locked, comment=root.pk, section=root.section),
        )
    return root


def comment_resolve(*, comment: Comment, actor) -> Comment:
    return _set_resolved(comment=comment, actor=actor, resolved=True)


def comment_reopen(*, comment: Comment, actor) -> Comment:
    return _set_resolved(comment=comment, actor=actor, resolved=False)


# --- notifications ------------------------------------------------------------------------


def notifications_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's unread notifications read (those of `ids`, or all); the count."""
    queryset = Notification.objects.restrict(actor, "change").filter(read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


__all__ = [
    "approval_state_of",
    "comment_add",
    "comment_reopen",
    "comment_reply",
    "comment_resolve",
    "designdoc_archive",
    "designdoc_submit",
    "designdoc_supersede",
    "designdoc_withdraw",
    "notifications_mark_read",
    "review_decide",
]


def remind_overdue(*, today: datetime.date | None = None) -> int:
    """Overdue reminders (see reviews.tasks.remind_overdue_reviews); the number made."""
    today = today or timezone.localdate()
    # One reminder a day: none again within REMINDER_GAP of the last one.
    start = timezone.now() - REMINDER_GAP
    made = 0
    requests = (
        ReviewRequest.objects.filter(state=RequestState.OPEN, due_date__lt=today)
        .select_related("design_doc__product_owner", "design_doc__latest_revision")
        .defer("design_doc__latest_revision__content")
        .prefetch_related("reviewers", "design_doc__co_authors")
    )
    for request in requests:
        doc = request.design_doc
        decided = set(
            Review.objects.filter(design_doc=doc, revision=doc.latest_revision_id).values_list(
                "reviewer_id", flat=True
            )
        )
        reminded = set(
            Notification.objects.filter(
                design_doc=doc, verb=Verb.OVERDUE, created_at__gte=start
            ).values_list("recipient_id", flat=True)
        )
        people = [
            p
            for p in reviewers_to_notify(request, doc)
            if p.pk not in decided and p.pk not in reminded
        ]
        with transaction.atomic():
            before = Notification.objects.count()
            _notify(
                doc,
                verb=Verb.OVERDUE,
                actor=None,
                recipients=people,
                summary=f"Overdue: “{doc.title}” was due for review on "
                f"{request.due_date.isoformat()}.",
            )
            made += Notification.objects.count() - before
    return made
