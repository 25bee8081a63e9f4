from django.db import models


class RequestState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CloseReason(models.TextChoices):
    """Why a review request closed (empty while open)."""

    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    WITHDRAWN = "withdrawn", "Withdrawn by the author"
    ARCHIVED = "archived", "Document archived"
    SUPERSEDED = "superseded", "Document superseded"


class Decision(models.TextChoices):
    """An architect's decision on one revision (Wagtail's GroupApprovalTask actions, with
    GitHub's comment-only review)."""

    APPROVE = "approve", "Approve"
    APPROVE_WITH_COMMENT = "approve_with_comment", "Approve with comment"
    REQUEST_CHANGES = "request_changes", "Request changes"
    COMMENT = "comment", "Comment only"


APPROVING = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_COMMENT})
#: Decisions whose comment is required.
COMMENT_REQUIRED = frozenset(
    {Decision.APPROVE_WITH_COMMENT, Decision.REQUEST_CHANGES, Decision.COMMENT}
)


class Verb(models.TextChoices):
    """What a notification tells its recipient."""

    REVIEW_REQUESTED = "review_requested", "asked you to review"
    DECIDED = "decided", "reviewed"
    APPROVED = "approved", "approved"
    COMMENTED = "commented", "commented on"
    OVERDUE = "overdue", "is waiting for your overdue review of"
