"""Review requests, decisions bound to revisions, comment threads and notifications.

A decision and a comment point at the exact revision they were made on (PROTECT: a revision
someone reviewed can never be deleted; a reviewed document is archived instead). Whether a
decision still counts is derived, never stored: it is *stale* once the document's latest
revision is another one (GitHub's dismissal of stale approvals).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from designdocs.models import DesignDoc, Revision
from registry.core.constraints import choices_check
from registry.core.permissions import RestrictedQuerySet
from reviews.choices import CloseReason, Decision, RequestState, Verb


class ReviewRequestQuerySet(RestrictedQuerySet):
    pass


class ReviewRequest(models.Model):
    """One submission of a document for review: the revision submitted, the reviewers chosen
    (none: the architects group as a whole), an optional due date. At most one is open per
    document; it stays open while the author edits (approvals given on an older revision
    then no longer count), and closes on approval, changes requested, withdrawal, archive or
    supersession."""

    design_doc = models.ForeignKey(
        DesignDoc,
        verbose_name="design doc",
        on_delete=models.CASCADE,
        related_name="review_requests",
    )
    revision = models.ForeignKey(
        Revision, verbose_name="revision submitted", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="requested by",
        on_delete=models.PROTECT,
        related_name="review_requests_made",
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="reviewers",
        blank=True,
        related_name="review_requests",
        help_text="None chosen: any architect may review.",
    )
    due_date = models.DateField("due date", null=True, blank=True)
    state = models.CharField(
        "state", max_length=16, choices=RequestState.choices, default=RequestState.OPEN
    )
    close_reason = models.CharField(
        "closed because", max_length=32, choices=CloseReason.choices, blank=True
    )
    created_at = models.DateTimeField("submitted", auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField("closed", null=True, blank=True)

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["design_doc"],
                condition=models.Q(state=RequestState.OPEN),
                name="%(app_label)s_%(class)s_unique_open_per_doc",
                violation_error_message="This document already has an open review request.",
            ),
            choices_check("state", RequestState),
            models.CheckConstraint(
                condition=models.Q(state=RequestState.OPEN, close_reason="", closed_at__isnull=True)
                | (
                    models.Q(state=RequestState.CLOSED, closed_at__isnull=False)
                    & ~models.Q(close_reason="")
                ),
                name="%(app_label)s_%(class)s_closed_says_why",
                violation_error_message="A closed request says when and why; an open one neither.",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="reviews_request_state_due")]

    def __str__(self) -> str:
        return f"Review of {self.design_doc} r{self.revision.number}"

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @property
    def to_architects_group(self) -> bool:
        return not self.reviewers.all()


class ReviewQuerySet(RestrictedQuerySet):
    pass


class Review(models.Model):
    """One architect's decision on one revision. Immutable once written."""

    request = models.ForeignKey(
        ReviewRequest,
        verbose_name="review request",
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    design_doc = models.ForeignKey(
        DesignDoc, verbose_name="design doc", on_delete=models.CASCADE, related_name="reviews"
    )
    revision = models.ForeignKey(
        Revision, verbose_name="revision", on_delete=models.PROTECT, related_name="reviews"
    )
    content_hash = models.CharField("content hash (sha256)", max_length=64)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="reviewer",
        on_delete=models.PROTECT,
        related_name="design_doc_reviews",
    )
    decision = models.CharField("decision", max_length=32, choices=Decision.choices)
    body = models.TextField("comment", blank=True)
    created_at = models.DateTimeField("decided", auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_check("decision", Decision),
            models.CheckConstraint(
                condition=models.Q(decision=Decision.APPROVE) | ~models.Q(body=""),
                name="%(app_label)s_%(class)s_comment_given",
                violation_error_message="This decision needs a comment saying why.",
            ),
        ]
        indexes = [models.Index(fields=["design_doc", "revision"], name="reviews_review_doc_rev")]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.get_decision_display().lower()} r{self.revision.number}"

    def is_stale(self, doc: DesignDoc | None = None) -> bool:
        """Given on a revision that is no longer the document's latest."""
        doc = doc or self.design_doc
        return self.revision_id != doc.latest_revision_id

    @property
    def is_approval(self) -> bool:
        return self.decision in (Decision.APPROVE, Decision.APPROVE_WITH_COMMENT)


class CommentQuerySet(RestrictedQuerySet):
    pass


class Comment(models.Model):
    """A comment anchored to a section of one revision (optionally quoting a passage), or a
    reply to one. A thread is resolved or reopened as a whole (its root comment)."""

    design_doc = models.ForeignKey(
        DesignDoc,
        verbose_name="design doc",
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    revision = models.ForeignKey(
        Revision, verbose_name="revision", on_delete=models.PROTECT, related_name="review_comments"
    )
    section = models.CharField("section", max_length=64)
    quote = models.CharField("quoted passage", max_length=500, blank=True)
    body = models.TextField("comment")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="author",
        on_delete=models.PROTECT,
        related_name="design_doc_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="reply to",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="resolved by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("resolved", null=True, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(parent__isnull=True),
                name="%(app_label)s_%(class)s_only_threads_resolve",
                violation_error_message="A thread is resolved as a whole, not one reply.",
            ),
            models.CheckConstraint(
                condition=~models.Q(body=""),
                name="%(app_label)s_%(class)s_body_given",
                violation_error_message="A comment says something.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.section} (r{self.revision.number})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class NotificationQuerySet(RestrictedQuerySet):
    pass


class Notification(models.Model):
    """Something that happened to a document, for one recipient: listed in the app until
    read, and emailed once (`emailed_at` makes the sending task idempotent)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recipient",
        on_delete=models.CASCADE,
        related_name="review_notifications",
    )
    verb = models.CharField("verb", max_length=32, choices=Verb.choices)
    design_doc = models.ForeignKey(
        DesignDoc, verbose_name="design doc", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField("summary", max_length=300)
    read_at = models.DateTimeField("read", null=True, blank=True)
    emailed_at = models.DateTimeField("emailed", null=True, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [choices_check("verb", Verb)]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="reviews_notif_unread"),
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", kwargs={"slug": self.design_doc.slug})
