"""The review app's home panel (an architect's home page is their review queue) and the
count beside "Reviews" in the main menu."""

from __future__ import annotations

from typing import Any

from registry.core.panels import DOC, HOME, Panel
from registry.core.roles import is_architect

QUEUE_SHOWN = 10


def _queue(request) -> dict[str, Any] | None:
    from reviews.selectors import review_queue, waiting_count

    user = request.user
    if not is_architect.holds(user, None):
        return None
    return {
        "items": review_queue(user=user, scope="mine", limit=QUEUE_SHOWN),
        "total": waiting_count(user=user),
    }


def menu_count(request) -> int | None:
    """Reviews waiting for an architect, plus unread notifications; None shows no count."""
    from reviews.selectors import unread_count

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    return unread_count(user=user) or None


TIMELINE_SHOWN = 8


def _doc_review(request, doc) -> dict[str, Any]:
    """On a design doc's page: its approval state, what the reader can do in review, and
    the newest entries of its timeline."""
    from reviews.selectors import approval_state, timeline

    user = request.user
    return {
        "doc": doc,
        "state": approval_state(doc),
        "may_submit": user.has_perm("reviews.submit_designdoc", doc),
        "may_review": user.has_perm("reviews.review_designdoc", doc),
        "timeline": timeline(doc=doc, limit=TIMELINE_SHOWN),
    }


PANELS = (
    Panel("reviews-queue", "reviews/panels/queue.html", _queue, order=5, slot=HOME),
    Panel("reviews-doc", "reviews/panels/doc.html", _doc_review, order=10, slot=DOC),
)
