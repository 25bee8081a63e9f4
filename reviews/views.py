"""Pages of review: the queue, "my docs", notifications, and one document's review page
(the revision with its changes since the last approved or reviewed revision, the decision
form saying what it will do, comment threads, the timeline). Thin: parse, call a service or
a selector, render. A service's refusal comes back as a message on the page (409, 412, 400)
or the 403/404 page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from designdocs.choices import WorkflowStatus
from designdocs.content import content_of
from designdocs.diff import diff_contents
from designdocs.models import DesignDoc, Revision
from designdocs.presenters import diff_view, document_view
from designdocs.sections import SECTIONS
from designdocs.selectors import designdoc_detail
from registry.core.errors import DomainError
from registry.core.generic_views import apply_domain_error
from registry.core.text import parse_count
from reviews import selectors, services
from reviews.choices import APPROVING, Decision
from reviews.models import Comment, Review
from reviews.rules import not_author

PAGE_SIZE = 25


def _doc(request: HttpRequest, slug: str, *, content: bool = False) -> DesignDoc:
    queryset = (
        designdoc_detail(user=request.user)
        if content
        else DesignDoc.objects.restrict(request.user, "view")
        .select_related("latest_revision", "approved_revision", "product_owner", "owner_team")
        .defer("latest_revision__content", "approved_revision__content")
        .prefetch_related("co_authors")
    )
    return get_object_or_404(queryset, slug=slug)


def _refused(request: HttpRequest, exc: DomainError) -> None:
    apply_domain_error(exc)  # 403 / 404 pages
    messages.error(request, exc.message)


def _back(doc: DesignDoc, anchor: str = "") -> HttpResponse:
    return redirect(reverse("reviews:review", kwargs={"slug": doc.slug}) + anchor)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def decision_effects(doc: DesignDoc, state: selectors.ApprovalState, user) -> dict[str, str]:
    """What each decision by `user` would do now, in words (shown beside the choice)."""
    required = state.required
    approvers = {r.reviewer_id for r in state.approvals}
    if required is None:
        approve = "This document cannot be approved (its risk tier does not allow it)."
    elif user.pk in approvers:
        approve = f"You already approved revision {doc.revision_number}; this changes nothing."
    else:
        n = state.count + 1
        if n >= required:
            approve = f"This is the {_ordinal(n)} of {required} approvals needed: the doc will be approved."
        else:
            approve = (
                f"This is the {_ordinal(n)} of {required} approvals needed: "
                f"{required - n} more after yours."
            )
    return {
        Decision.APPROVE: approve,
        Decision.APPROVE_WITH_COMMENT: approve,
        Decision.REQUEST_CHANGES: "The doc goes back to its authors with your comment; "
        "its review request closes.",
        Decision.COMMENT: "Your comment is recorded; the doc stays in review.",
    }


def _base_revision(doc: DesignDoc, reviews: list[Review]) -> tuple[Revision | None, str]:
    """The revision to compare the latest with: the last approved one, else the last one a
    decision was made on; None when there is none older than the latest."""
    if doc.approved_revision_id and doc.approved_revision_id != doc.latest_revision_id:
        return doc.approved_revision, "the last approved revision"
    older = [r for r in reviews if r.revision_id != doc.latest_revision_id]
    if older:
        newest = max(older, key=lambda r: r.revision.number)
        return newest.revision, "the last reviewed revision"
    return None, ""


def _threads_by_section(doc: DesignDoc, user) -> tuple[list[dict[str, Any]], int]:
    threads = list(selectors.comments_of(user=user, doc=doc))
    outdated = selectors.outdated_comment_ids(doc, threads)
    groups = []
    for section in SECTIONS:
        mine = [t for t in threads if t.section == section.key]
        if mine:
            groups.append({"key": section.key, "title": section.title, "threads": mine})
    open_count = sum(1 for t in threads if not t.is_resolved)
    for t in threads:
        t.outdated = t.pk in outdated
    return groups, open_count


@login_required
@require_GET
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _doc(request, slug, content=True)
    user = request.user
    reviews = list(selectors.reviews_of(user=user, doc=doc))
    state = selectors.approval_state_of(doc, reviews)
    base, base_label = _base_revision(doc, reviews)
    content = content_of(doc)
    changes = None
    if base is not None:
        base_content = Revision.objects.values_list("content", flat=True).get(pk=base.pk)
        changes = [s for s in diff_view(diff_contents(base_content, content)) if s["changed"]]
    groups, open_threads = _threads_by_section(doc, user)
    request_open = (
        doc.review_requests.filter(state="open")
        .select_related("requested_by")
        .prefetch_related("reviewers")
        .first()
    )
    may_review = user.has_perm("reviews.review_designdoc", doc) and not_author.holds(user, doc)
    may_submit = user.has_perm("reviews.submit_designdoc", doc)
    architects = [a for a in services._architects() if not_author.holds(a, doc)]
    context = {
        "doc": doc,
        "view": document_view(content, viewer=user),
        "state": state,
        "reviews": reviews,
        "base": base,
        "base_label": base_label,
        "changes": changes,
        "show": request.GET.get("show", "changes" if changes else "all"),
        "groups": groups,
        "open_threads": open_threads,
        "sections": SECTIONS,
        "review_request": request_open,
        "may_review": may_review and doc.status == WorkflowStatus.IN_REVIEW,
        "may_submit": may_submit
        and doc.status in (WorkflowStatus.DRAFT, WorkflowStatus.CHANGES_REQUESTED),
        "may_withdraw": user.has_perm("reviews.withdraw_designdoc", doc)
        and doc.status == WorkflowStatus.IN_REVIEW,
        "may_archive": user.has_perm("reviews.archive_designdoc", doc)
        and doc.status != WorkflowStatus.ARCHIVED,
        "may_supersede": user.has_perm("reviews.supersede_designdoc", doc)
        and doc.status not in (WorkflowStatus.SUPERSEDED, WorkflowStatus.ARCHIVED),
        "may_comment": user.has_perm("reviews.comment_designdoc", doc)
        and doc.status != WorkflowStatus.ARCHIVED,
        "effects": decision_effects(doc, state, user),
        "decisions": Decision.choices,
        "approving": [d.value for d in APPROVING],
        "architects": architects,
        "timeline": selectors.timeline(doc=doc),
        "today": datetime.date.today().isoformat(),
    }
    return render(request, "reviews/review.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _doc(request, slug)
    try:
        services.designdoc_submit(
            doc=doc,
            actor=request.user,
            reviewers=request.POST.getlist("reviewers"),
            due_date=request.POST.get("due_date") or None,
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, f"Submitted revision {doc.revision_number} for review; the reviewers are told."
        )
    return _back(doc)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _doc(request, slug)
    try:
        review = services.review_decide(
            doc=doc,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            body=request.POST.get("body", ""),
            revision=parse_count(request.POST.get("revision")),
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        doc.refresh_from_db(fields=["status"])
        messages.success(
            request,
            f"Recorded: {review.get_decision_display().lower()} on revision {review.revision.number}. "
            f"The doc is {doc.get_status_display().lower()}.",
        )
    return _back(doc, "#decision")


_TRANSITIONS = {
    "withdraw": (services.designdoc_withdraw, "Withdrawn from review: back to draft."),
    "archive": (services.designdoc_archive, "Archived: kept for the record."),
}


@login_required
@require_POST
def transition(request: HttpRequest, slug: str, transition: str) -> HttpResponse:
    doc = _doc(request, slug)
    try:
        if transition == "supersede":
            successor = request.POST.get("superseded_by", "").strip()
            services.designdoc_supersede(doc=doc, actor=request.user, superseded_by=successor)
            done = "Marked as superseded."
        elif transition in _TRANSITIONS:
            service, done = _TRANSITIONS[transition]
            service(doc=doc, actor=request.user)
        else:
            return render(request, "404.html", status=404)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return _back(doc)


def _thread_response(request: HttpRequest, doc: DesignDoc, thread: Comment) -> HttpResponse:
    if request.htmx:
        fresh = selectors.comments_of(user=request.user, doc=doc).get(pk=thread.pk)
        fresh.outdated = fresh.pk in selectors.outdated_comment_ids(doc, [fresh])
        return render(
            request,
            "reviews/partials/thread.html",
            {"thread": fresh, "doc": doc, "may_comment": True},
        )
    return _back(doc, f"#comment-{thread.pk}")


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _doc(request, slug)
    try:
        thread = services.comment_add(
            doc=doc,
            actor=request.user,
            section=request.POST.get("section", ""),
            body=request.POST.get("body", ""),
            quote=request.POST.get("quote", ""),
        )
    except DomainError as exc:
        _refused(request, exc)
        return _back(doc, "#comments")
    return _back(doc, f"#comment-{thread.pk}")


@login_required
@require_POST
def comment_operation(request: HttpRequest, slug: str, pk: int, operation: str) -> HttpResponse:
    doc = _doc(request, slug)
    comment = get_object_or_404(
        Comment.objects.restrict(request.user, "view").select_related("design_doc"),
        pk=pk,
        design_doc=doc,
    )
    try:
        if operation == "reply":
            made = services.comment_reply(
                comment=comment, actor=request.user, body=request.POST.get("body", "")
            )
            thread = made.parent
        elif operation == "resolve":
            thread = services.comment_resolve(comment=comment, actor=request.user)
        elif operation == "reopen":
            thread = services.comment_reopen(comment=comment, actor=request.user)
        else:
            return render(request, "404.html", status=404)
    except DomainError as exc:
        if request.htmx and exc.status_code not in (403, 404):
            return HttpResponse(
                format_html('<p class="form-error" role="alert">{}</p>', exc.message), status=200
            )
        _refused(request, exc)
        return _back(doc, f"#comment-{comment.pk}")
    return _thread_response(request, doc, thread)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "all"):
        scope = "mine"
    requests = selectors.review_queue_requests(user=request.user, scope=scope)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.queue_items(page.object_list, user=request.user)
    return render(
        request,
        "reviews/queue.html",
        {"page": page, "scope": scope, "waiting": selectors.waiting_count(user=request.user)},
    )


@login_required
@require_GET
def my_docs(request: HttpRequest) -> HttpResponse:
    items = selectors.my_docs(user=request.user)
    return render(request, "reviews/my_docs.html", {"items": items})


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") in ("1", "true")
    queryset = (
        selectors.unread_notifications(user=request.user)
        if unread_only
        else selectors.notification_list(user=request.user)
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/notifications.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [n for n in map(parse_count, request.POST.getlist("id")) if n is not None]
    marked = services.notifications_mark_read(actor=request.user, ids=ids or None)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return redirect("reviews:notifications")
