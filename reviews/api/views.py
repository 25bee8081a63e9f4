"""/api/designdocs/{id}/submit/, withdraw/, archive/, supersede/, approval/, reviews/,
comments/ and /api/notifications/: thin views over reviews.services and selectors.

A document the user may not see answers 404; one they see but may not act on, 403; a
transition its state refuses, 409 with a sentence; a decision on an older revision, 412."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from designdocs.models import DesignDoc
from registry.core.api.exceptions import flatten_errors
from registry.core.api.parsers import JSONParser
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError
from registry.core.markdown import render_markdown
from registry.core.text import parse_count
from reviews import selectors, services
from reviews.api.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    DecisionSerializer,
    MarkedSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    ReplySerializer,
    ReviewSerializer,
    SubmitSerializer,
    SupersedeSerializer,
    WorkflowSerializer,
)
from reviews.choices import RequestState
from reviews.models import Comment, Notification, Review, ReviewRequest

DOC_ID = OpenApiParameter(
    "designdoc_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The design doc's id."
)


def _time(value) -> str | None:
    from rest_framework.fields import DateTimeField

    return DateTimeField().to_representation(value) if value else None


def _body(request, serializer_class) -> dict[str, Any]:
    """The JSON object of the request, its types checked by `serializer_class` (400 naming
    each field at fault); the raw values go to the service, which has the last word."""
    data = request.data
    if not isinstance(data, dict):
        raise DomainError("The body must be a JSON object.", field="non_field_errors")
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        errors = flatten_errors(serializer.errors)
        key, messages = next(iter(errors.items()))
        raise DomainError(f"{key}: {messages[0]}", errors=errors, code="invalid")
    return dict(data)


def workflow_body(doc: DesignDoc) -> dict[str, Any]:
    state = selectors.approval_state(doc)
    request = (
        ReviewRequest.objects.filter(design_doc=doc, state=RequestState.OPEN)
        .select_related("requested_by", "revision")
        .defer("revision__content")
        .prefetch_related("reviewers")
        .first()
    )
    return {
        "design_doc": doc.pk,
        "status": doc.status,
        "revision": doc.revision_number,
        "content_hash": doc.content_hash,
        "superseded_by": doc.superseded_by_id,
        "approval": state.as_dict(),
        "review_request": None
        if request is None
        else {
            "id": request.pk,
            "revision": request.revision.number,
            "requested_by": request.requested_by.get_username(),
            "reviewers": [u.get_username() for u in request.reviewers.all()],
            "to_architects_group": not request.reviewers.all(),
            "due_date": request.due_date.isoformat() if request.due_date else None,
            "state": request.state,
            "created_at": _time(request.created_at),
        },
    }


def review_body(review: Review, doc: DesignDoc) -> dict[str, Any]:
    return {
        "id": review.pk,
        "reviewer": review.reviewer.get_username(),
        "decision": review.decision,
        "body": review.body,
        "body_html": str(render_markdown(review.body)),
        "revision": review.revision.number,
        "content_hash": review.content_hash,
        "stale": review.is_stale(doc),
        "created_at": _time(review.created_at),
    }


def _reply_body(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author.get_username(),
        "body": comment.body,
        "body_html": str(render_markdown(comment.body)),
        "revision": comment.revision.number,
        "created_at": _time(comment.created_at),
    }


def comment_body(comment: Comment, outdated: set[int]) -> dict[str, Any]:
    return {
        **_reply_body(comment),
        "section": comment.section,
        "quote": comment.quote,
        "resolved": comment.is_resolved,
        "resolved_by": comment.resolved_by.get_username() if comment.resolved_by else None,
        "outdated": comment.pk in outdated,
        "replies": [_reply_body(r) for r in comment.replies.all()],
    }


class _DocScoped(RegistryViewSetMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser]
    extra_error_codes = ("409",)

    def doc(self) -> DesignDoc:
        """The document of the URL among those the user may see (else 404)."""
        if not hasattr(self, "_doc"):
            queryset = (
                DesignDoc.objects.restrict(self.request.user, "view")
                .select_related("latest_revision", "product_owner")
                .defer("latest_revision__content")
                .prefetch_related("co_authors")
            )
            self._doc = get_object_or_404(queryset, pk=self.kwargs["designdoc_pk"])
        return self._doc

    def fresh_doc(self) -> DesignDoc:
        self.__dict__.pop("_doc", None)
        return self.doc()


@extend_schema(parameters=[DOC_ID])
class WorkflowViewSet(_DocScoped):
    """The workflow operations of one design document."""

    queryset = DesignDoc.objects.none()

    def _answer(self):
        return Response(workflow_body(self.fresh_doc()))

    @extend_schema(request=SubmitSerializer, responses=WorkflowSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request, designdoc_pk=None):
        """Submit the latest revision for review, to chosen architects or to all of them."""
        data = _body(request, SubmitSerializer)
        services.designdoc_submit(
            doc=self.doc(),
            actor=request.user,
            reviewers=data.get("reviewers") or [],
            due_date=data.get("due_date"),
        )
        return self._answer()

    @extend_schema(request=None, responses=WorkflowSerializer)
    @action(detail=False, methods=["post"])
    def withdraw(self, request, designdoc_pk=None):
        """Take the document out of review (back to draft)."""
        services.designdoc_withdraw(doc=self.doc(), actor=request.user)
        return self._answer()

    @extend_schema(request=None, responses=WorkflowSerializer)
    @action(detail=False, methods=["post"])
    def archive(self, request, designdoc_pk=None):
        """Archive the document (a reviewed document is archived, never deleted)."""
        services.designdoc_archive(doc=self.doc(), actor=request.user)
        return self._answer()

    @extend_schema(request=SupersedeSerializer, responses=WorkflowSerializer)
    @action(detail=False, methods=["post"])
    def supersede(self, request, designdoc_pk=None):
        """Mark the document as replaced by another one."""
        data = _body(request, SupersedeSerializer)
        value = data.get("superseded_by")
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip()) if len(value.strip()) < 18 else 0
        services.designdoc_supersede(doc=self.doc(), actor=request.user, superseded_by=value)
        return self._answer()

    @extend_schema(responses=WorkflowSerializer)
    @action(detail=False, methods=["get"])
    def approval(self, request, designdoc_pk=None):
        """Where the document stands: status, approvals counted on the latest revision,
        approvals that went stale, the open review request."""
        return Response(workflow_body(self.doc()))


@extend_schema(parameters=[DOC_ID])
class ReviewViewSet(_DocScoped):
    """Decisions on a document, newest first. POST records one on the latest revision."""

    queryset = Review.objects.none()
    extra_error_codes = ("409", "412", "428")

    @extend_schema(responses=ReviewSerializer(many=True))
    def list(self, request, designdoc_pk=None):
        doc = self.doc()
        page = self.paginate_queryset(selectors.reviews_of(user=request.user, doc=doc))
        return self.get_paginated_response([review_body(r, doc) for r in page])

    @extend_schema(request=DecisionSerializer, responses={201: ReviewSerializer})
    def create(self, request, designdoc_pk=None):
        data = _body(request, DecisionSerializer)
        doc = self.doc()
        review = services.review_decide(
            doc=doc,
            actor=request.user,
            decision=data.get("decision"),
            body=data.get("body", ""),
            revision=data.get("revision"),
            content_hash=data.get("content_hash"),
        )
        return Response(review_body(review, self.fresh_doc()), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[DOC_ID])
class CommentViewSet(_DocScoped):
    """Comment threads anchored to sections, oldest first, with their replies."""

    queryset = Comment.objects.none()
    lookup_value_regex = "[0-9]+"

    def _thread(self, pk) -> Comment:
        doc = self.doc()
        if parse_count(str(pk)) is None:
            raise Http404
        return get_object_or_404(
            Comment.objects.restrict(self.request.user, "view").select_related("design_doc"),
            pk=pk,
            design_doc=doc,
        )

    def _answer(self, comment: Comment, code=status.HTTP_200_OK):
        doc = self.fresh_doc()
        root = comment.parent if comment.parent_id else comment
        fresh = selectors.comments_of(user=self.request.user, doc=doc).get(pk=root.pk)
        outdated = selectors.outdated_comment_ids(doc, [fresh])
        return Response(comment_body(fresh, outdated), status=code)

    @extend_schema(responses=CommentSerializer(many=True))
    def list(self, request, designdoc_pk=None):
        doc = self.doc()
        page = self.paginate_queryset(selectors.comments_of(user=request.user, doc=doc))
        outdated = selectors.outdated_comment_ids(doc, page)
        return self.get_paginated_response([comment_body(c, outdated) for c in page])

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def create(self, request, designdoc_pk=None):
        data = _body(request, CommentCreateSerializer)
        comment = services.comment_add(
            doc=self.doc(),
            actor=request.user,
            section=data.get("section"),
            body=data.get("body"),
            quote=data.get("quote", ""),
        )
        return self._answer(comment, status.HTTP_201_CREATED)

    @extend_schema(request=ReplySerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"])
    def replies(self, request, designdoc_pk=None, pk=None):
        """Reply in the thread (the answer is the whole thread)."""
        data = _body(request, ReplySerializer)
        reply = services.comment_reply(
            comment=self._thread(pk), actor=request.user, body=data.get("body")
        )
        return self._answer(reply, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, designdoc_pk=None, pk=None):
        return self._answer(services.comment_resolve(comment=self._thread(pk), actor=request.user))

    @extend_schema(request=None, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, designdoc_pk=None, pk=None):
        return self._answer(services.comment_reopen(comment=self._thread(pk), actor=request.user))


def notification_body(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "verb": n.verb,
        "summary": n.summary,
        "design_doc": n.design_doc_id,
        "design_doc_title": n.design_doc.title,
        "actor": n.actor.get_username() if n.actor else None,
        "read": n.read_at is not None,
        "created_at": _time(n.created_at),
    }


UNREAD = OpenApiParameter("unread", OpenApiTypes.BOOL, description="true/1: only the unread ones.")


class NotificationViewSet(RegistryViewSetMixin, viewsets.GenericViewSet):
    """Your notifications, newest first."""

    parser_classes = [JSONParser]
    queryset = Notification.objects.none()

    @extend_schema(parameters=[UNREAD], responses=NotificationSerializer(many=True))
    def list(self, request):
        unread = request.query_params.get("unread", "")
        if unread not in ("", "true", "false", "1", "0"):
            raise DomainError("unread must be true, false, 1 or 0.", field="unread")
        queryset = (
            selectors.unread_notifications(user=request.user)
            if unread in ("true", "1")
            else selectors.notification_list(user=request.user)
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([notification_body(n) for n in page])

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark notifications read: those of `ids`, or every unread one."""
        data = _body(request, MarkReadSerializer)
        ids = data.get("ids")
        marked = services.notifications_mark_read(actor=request.user, ids=ids)
        return Response({"marked": marked})
