"""Reads of the review workflow. Each starts from what the user may see; lists run a fixed
number of queries whatever their length.

`approval_state(doc)` and `approvals_of(revision)` are the public reads other parts of the
product use (the PDF export shows who approved which revision, with its content hash)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from designdocs.choices import RiskTier, WorkflowStatus
from designdocs.models import DesignDoc, Revision
from designdocs.sections import SECTIONS_BY_KEY
from registry.core.models import AuditEvent
from reviews.choices import APPROVING, Decision, RequestState
from reviews.models import Comment, Notification, Review, ReviewRequest

DEFAULT_APPROVALS_REQUIRED = {"minimal": 1, "limited": 1, "high": 2}


def approvals_required(tier: str) -> int | None:
    """How many distinct architects must approve the latest revision of a document in
    `tier` (settings.REVIEWS_APPROVALS_REQUIRED); None for a tier that cannot be approved
    (not yet classified, unacceptable)."""
    table = getattr(settings, "REVIEWS_APPROVALS_REQUIRED", None) or DEFAULT_APPROVALS_REQUIRED
    if tier in (RiskTier.UNCLASSIFIED, RiskTier.UNACCEPTABLE):
        return None
    return max(1, int(table.get(tier, DEFAULT_APPROVALS_REQUIRED.get(tier, 1))))


def authors_of(doc: DesignDoc) -> list:
    """The product owner and the co-authors."""
    return [doc.product_owner, *doc.co_authors.all()]


def _latest_per_reviewer(reviews: list[Review]) -> dict[int, Review]:
    latest: dict[int, Review] = {}
    for review in sorted(reviews, key=lambda r: (r.created_at, r.pk)):
        latest[review.reviewer_id] = review
    return latest


def current_approvers(doc: DesignDoc, reviews: list[Review] | None = None) -> list[Review]:
    """The approvals that count: per architect, their latest decision on the document, when
    it approves and was given on the latest revision (GitHub: a later review replaces an
    earlier one; an approval of an older revision is stale)."""
    if reviews is None:
        reviews = list(Review.objects.filter(design_doc=doc).select_related("reviewer"))
    return [
        r
        for r in _latest_per_reviewer(reviews).values()
        if r.decision in APPROVING and r.revision_id == doc.latest_revision_id
    ]


@dataclass
class ApprovalState:
    """Where a document stands on approval, in words and figures."""

    status: str
    required: int | None
    approvals: list[Review] = field(default_factory=list)  # counting, on the latest revision
    stale: list[Review] = field(default_factory=list)  # approvals given on older revisions
    approved_revision: int | None = None
    revision: int = 0

    @property
    def count(self) -> int:
        return len(self.approvals)

    @property
    def remaining(self) -> int:
        return max(0, (self.required or 0) - self.count)

    @property
    def is_approved(self) -> bool:
        return self.status == WorkflowStatus.APPROVED

    @property
    def badge(self) -> str:
        """The short words of the approval badge."""
        if self.is_approved:
            return f"Approved r{self.approved_revision}"
        if self.required is None:
            return "Cannot be approved"
        if self.approved_revision and self.approved_revision != self.revision:
            return f"Approval of r{self.approved_revision} is stale"
        if self.status == WorkflowStatus.IN_REVIEW:
            return f"{self.count} of {self.required} approvals"
        return "Not approved"

    @property
    def sentence(self) -> str:
        if self.is_approved:
            names = ", ".join(r.reviewer.get_username() for r in self.approvals)
            return f"Revision {self.approved_revision} is approved" + (
                f" by {names}." if names else "."
            )
        if self.required is None:
            return "Its risk tier is not yet classified, or unacceptable: it cannot be approved."
        text = f"{self.count} of {self.required} approvals of revision {self.revision}."
        if self.approved_revision and self.approved_revision != self.revision:
            text += f" Revision {self.approved_revision} was approved; it has been edited since."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "approvals_required": self.required,
            "approvals": self.count,
            "approved_by": [r.reviewer.get_username() for r in self.approvals],
            "approved_revision": self.approved_revision,
            "revision": self.revision,
            "stale_approvals": [
                {"reviewer": r.reviewer.get_username(), "revision": r.revision.number}
                for r in self.stale
            ],
            "summary": self.sentence,
        }


def approval_state_of(doc: DesignDoc, reviews: list[Review] | None = None) -> ApprovalState:
    if reviews is None:
        reviews = list(
            Review.objects.filter(design_doc=doc)
            .select_related("reviewer", "revision")
            .defer("revision__content")
        )
    counting = current_approvers(doc, reviews)
    counted = {r.pk for r in counting}
    stale = [
        r
        for r in reviews
        if r.decision in APPROVING
        and r.revision_id != doc.latest_revision_id
        and r.pk not in counted
    ]
    approved = None
    if doc.approved_revision_id:
        approved = next(
            (r.revision.number for r in reviews if r.revision_id == doc.approved_revision_id), None
        )
        if approved is None:
            approved = (
                Revision.objects.filter(pk=doc.approved_revision_id)
                .values_list("number", flat=True)
                .first()
            )
    return ApprovalState(
        status=doc.status,
        required=approvals_required(doc.risk_tier),
        approvals=counting,
        stale=stale,
        approved_revision=approved,
        revision=doc.revision_number,
    )


def approval_state(doc: DesignDoc) -> ApprovalState:
    """Public: the approval state of `doc` (for pages, the API and the PDF export)."""
    return approval_state_of(doc)


def approvals_of(revision: Revision) -> list[dict[str, Any]]:
    """Public: per architect who approved `revision`, their name, username, decision, the
    date, the revision number and content hash it was bound to (oldest first)."""
    reviews = (
        Review.objects.filter(revision=revision, decision__in=list(APPROVING))
        .select_related("reviewer")
        .order_by("created_at", "id")
    )
    seen: dict[int, dict[str, Any]] = {}
    for review in reviews:
        seen.setdefault(
            review.reviewer_id,
            {
                "name": review.reviewer.get_full_name() or review.reviewer.get_username(),
                "username": review.reviewer.get_username(),
                "decision": review.decision,
                "date": review.created_at,
                "revision": revision.number,
                "content_hash": review.content_hash,
            },
        )
    return list(seen.values())


# --- lists ---------------------------------------------------------------------------------


def visible_docs(user) -> QuerySet[DesignDoc]:
    return DesignDoc.objects.restrict(user, "view")


def reviews_of(*, user, doc: DesignDoc) -> QuerySet[Review]:
    return (
        Review.objects.restrict(user, "view")
        .filter(design_doc=doc)
        .select_related("reviewer", "revision")
        .defer("revision__content")
        .order_by("-created_at", "-id")
    )


def comments_of(*, user, doc: DesignDoc) -> QuerySet[Comment]:
    """The threads of `doc` (root comments, oldest first), replies prefetched."""
    return (
        Comment.objects.restrict(user, "view")
        .filter(design_doc=doc, parent__isnull=True)
        .select_related("author", "resolved_by", "revision")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author", "revision").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("created_at", "id")
    )


def outdated_comment_ids(doc: DesignDoc, comments: list[Comment]) -> set[int]:
    """Threads made on an older revision whose section has changed since (two queries at
    most: the latest content and the revisions commented on)."""
    older = {c.revision_id for c in comments if c.revision_id != doc.latest_revision_id}
    if not older:
        return set()
    contents = dict(
        Revision.objects.filter(pk__in=[*older, doc.latest_revision_id]).values_list(
            "pk", "content"
        )
    )
    latest = contents.get(doc.latest_revision_id) or {}
    outdated = set()
    for comment in comments:
        if comment.revision_id == doc.latest_revision_id:
            continue
        then = contents.get(comment.revision_id) or {}
        if then.get(comment.section) != latest.get(comment.section):
            outdated.add(comment.pk)
    return outdated


def section_title(key: str) -> str:
    section = SECTIONS_BY_KEY.get(key)
    return section.title if section else key


@dataclass
class QueueItem:
    request: ReviewRequest
    doc: DesignDoc
    approvals: int
    required: int | None
    waiting_for_me: bool
    overdue: bool

    @property
    def other_reviewers(self) -> list:
        return list(self.request.reviewers.all())

    @property
    def waited(self) -> datetime.datetime:
        return self.request.created_at


def _open_requests(user) -> QuerySet[ReviewRequest]:
    return (
        ReviewRequest.objects.filter(
            state=RequestState.OPEN, design_doc__in=visible_docs(user).values("pk")
        )
        .select_related(
            "design_doc__owner_team",
            "design_doc__product_owner",
            "design_doc__latest_revision",
            "requested_by",
        )
        .defer("design_doc__latest_revision__content", "design_doc__search_vector")
        .prefetch_related("reviewers")
    )


def approval_counts(docs: list[DesignDoc]) -> dict[int, int]:
    """Per document, the distinct architects whose approval was given on its latest
    revision (one query for the page, whatever its length)."""
    if not docs:
        return {}
    rows = (
        Review.objects.filter(
            design_doc__in=[d.pk for d in docs],
            revision=F("design_doc__latest_revision"),
            decision__in=list(APPROVING),
        )
        .values("design_doc")
        .annotate(n=Count("reviewer", distinct=True))
        .order_by()
    )
    return {row["design_doc"]: row["n"] for row in rows}


def _waiting_for(user) -> Q:
    """Open requests waiting for `user`: asked of them (or of the group, for an architect),
    on a document they did not write, and no decision of theirs on its latest revision."""
    decided = Review.objects.filter(reviewer=user, revision=F("design_doc__latest_revision"))
    asked = Q(reviewers=user)
    from registry.core.roles import ARCHITECTS, role_names_of

    if ARCHITECTS in role_names_of(user):
        asked |= Q(reviewers__isnull=True)
    return (
        asked
        & ~Q(design_doc__product_owner=user)
        & ~Q(design_doc__co_authors=user)
        & ~Q(design_doc__in=decided.values("design_doc"))
    )


def _waiting_ids(user) -> QuerySet[ReviewRequest]:
    return (
        ReviewRequest.objects.filter(state=RequestState.OPEN)
        .filter(_waiting_for(user))
        .values("pk")
    )


def review_queue_requests(
    *, user, scope: str = "mine", today: datetime.date | None = None
) -> QuerySet[ReviewRequest]:
    """Open review requests visible to `user`: `scope` "mine" (waiting for them) or "all"
    (waiting for anyone), overdue first, then by due date, then the longest waiting; each
    annotated with `is_overdue`. Paginate it, then make the page's rows with `queue_items`:
    a page costs the same few queries whatever the length of the queue."""
    today = today or timezone.localdate()
    requests = _open_requests(user).annotate(
        is_overdue=Case(
            When(due_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    if scope == "mine":
        requests = requests.filter(pk__in=_waiting_ids(user))
    return requests.order_by("-is_overdue", F("due_date").asc(nulls_last=True), "created_at", "pk")


def queue_items(requests, *, user) -> list[QueueItem]:
    """Rows of the queue for a page of `review_queue_requests` (two queries for the page:
    the approvals counted, and which of them wait for `user`)."""
    requests = list(requests)
    counts = approval_counts([r.design_doc for r in requests])
    waiting = (
        set(_waiting_ids(user).filter(pk__in=[r.pk for r in requests]).values_list("pk", flat=True))
        if requests
        else set()
    )
    return [
        QueueItem(
            request=r,
            doc=r.design_doc,
            approvals=counts.get(r.design_doc_id, 0),
            required=approvals_required(r.design_doc.risk_tier),
            waiting_for_me=r.pk in waiting,
            overdue=r.is_overdue,
        )
        for r in requests
    ]


def review_queue(
    *, user, scope: str = "mine", today: datetime.date | None = None, limit: int | None = None
) -> list[QueueItem]:
    requests = review_queue_requests(user=user, scope=scope, today=today)
    return queue_items(requests[:limit] if limit else requests, user=user)


def waiting_count(*, user) -> int:
    """How many open requests wait for `user`'s decision."""
    return ReviewRequest.objects.filter(
        pk__in=_waiting_ids(user), design_doc__in=visible_docs(user).values("pk")
    ).count()


@dataclass
class MyDoc:
    doc: DesignDoc
    action: str  # what the author should do now


def my_docs(*, user) -> list[MyDoc]:
    """The documents `user` writes (product owner or co-author), with what needs them."""
    docs = (
        DesignDoc.objects.restrict(user, "view")
        .filter(Q(product_owner=user) | Q(co_authors=user))
        .distinct()
        .select_related("owner_team", "latest_revision")
        .defer("latest_revision__content", "search_vector")
        .order_by("-updated_at", "-id")
    )
    actions = {
        WorkflowStatus.CHANGES_REQUESTED: "Changes requested: revise it and submit it again.",
        WorkflowStatus.DRAFT: "Draft: finish it and submit it for review.",
        WorkflowStatus.IN_REVIEW: "In review: waiting for architects.",
        WorkflowStatus.APPROVED: "Approved: nothing to do.",
        WorkflowStatus.SUPERSEDED: "Superseded: kept for the record.",
        WorkflowStatus.ARCHIVED: "Archived: kept for the record.",
    }
    order = {
        WorkflowStatus.CHANGES_REQUESTED: 0,
        WorkflowStatus.DRAFT: 1,
        WorkflowStatus.IN_REVIEW: 2,
        WorkflowStatus.APPROVED: 3,
        WorkflowStatus.SUPERSEDED: 4,
        WorkflowStatus.ARCHIVED: 5,
    }
    items = [MyDoc(doc=d, action=actions[d.status]) for d in docs[:200]]
    items.sort(key=lambda i: order[i.doc.status])
    return items


def unread_notifications(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.restrict(user, "view")
        .filter(read_at__isnull=True)
        .select_related("design_doc", "actor")
        .order_by("-created_at", "-id")
    )


def notification_list(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.restrict(user, "view")
        .select_related("design_doc", "actor")
        .order_by("-created_at", "-id")
    )


def unread_count(*, user) -> int:
    return Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()


# --- timeline ------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: datetime.datetime
    kind: str  # revision | event
    actor: str
    text: str
    revision: int | None = None
    body: str = ""


def timeline(*, doc: DesignDoc, limit: int = 100) -> list[TimelineEntry]:
    """Revisions, submissions, decisions, comments and transitions of `doc`, newest first
    (the audit events recorded on it, and its revisions). Three queries."""
    from registry.core.audit import action_label

    entries: list[TimelineEntry] = []
    for rev in doc.revisions.select_related("author").defer("content").order_by("-number")[:limit]:
        entries.append(
            TimelineEntry(
                when=rev.created_at,
                kind="revision",
                actor=rev.author.get_username() if rev.author else "someone",
                text=f"wrote revision {rev.number}" + (f": {rev.message}" if rev.message else ""),
                revision=rev.number,
            )
        )
    events = AuditEvent.objects.filter(
        object_type=DesignDoc._meta.label_lower, object_id=str(doc.pk)
    ).exclude(action__in=["designdoc.create", "designdoc.update", "designdoc.import"])
    bodies = dict(Review.objects.filter(design_doc=doc).values_list("pk", "body"))
    for event in events.order_by("-created_at", "-id")[:limit]:
        payload = event.payload or {}
        text = action_label(event.action)
        if event.action.startswith("review.") and payload.get("to_status") != payload.get(
            "from_status"
        ):
            text += f" (now {WorkflowStatus(payload['to_status']).label.lower()})"
        if event.action.startswith("comment.") and payload.get("section"):
            text += f" · {section_title(payload['section'])}"
        entries.append(
            TimelineEntry(
                when=event.created_at,
                kind="event",
                actor=event.actor_username or "someone",
                text=text,
                revision=payload.get("revision"),
                body=bodies.get(payload.get("review"), "") if "review" in payload else "",
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


__all__ = [
    "ApprovalState",
    "Decision",
    "approval_state",
    "approvals_of",
]
