"""The audit actions of reviews (registered with registry.core.audit from apps.py). Every
event is recorded on the design document, with the revision it concerns in its payload
(`revision`, `content_hash`), so that a document's activity and timeline read them all."""

from registry.core.audit import AuditAction

DESIGNDOC_SUBMIT = AuditAction("designdoc.submit", "submitted for review")
DESIGNDOC_WITHDRAW = AuditAction("designdoc.withdraw", "withdrew from review")
DESIGNDOC_ARCHIVE = AuditAction("designdoc.archive", "archived")
DESIGNDOC_SUPERSEDE = AuditAction("designdoc.supersede", "marked as superseded")
REVIEW_APPROVE = AuditAction("review.approve", "approved")
REVIEW_APPROVE_WITH_COMMENT = AuditAction("review.approve_with_comment", "approved with comment")
REVIEW_REQUEST_CHANGES = AuditAction("review.request_changes", "requested changes on")
REVIEW_COMMENT = AuditAction("review.comment", "reviewed with a comment")
COMMENT_ADD = AuditAction("comment.add", "commented on")
COMMENT_REPLY = AuditAction("comment.reply", "replied to a comment on")
COMMENT_RESOLVE = AuditAction("comment.resolve", "resolved a comment on")
COMMENT_REOPEN = AuditAction("comment.reopen", "reopened a comment on")

#: The audit action of each decision.
DECISION_ACTIONS = {
    "approve": REVIEW_APPROVE,
    "approve_with_comment": REVIEW_APPROVE_WITH_COMMENT,
    "request_changes": REVIEW_REQUEST_CHANGES,
    "comment": REVIEW_COMMENT,
}

ACTIONS = (
    DESIGNDOC_SUBMIT,
    DESIGNDOC_WITHDRAW,
    DESIGNDOC_ARCHIVE,
    DESIGNDOC_SUPERSEDE,
    *DECISION_ACTIONS.values(),
    COMMENT_ADD,
    COMMENT_REPLY,
    COMMENT_RESOLVE,
    COMMENT_REOPEN,
)
