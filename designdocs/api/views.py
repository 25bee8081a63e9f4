"""/api/designdocs/: thin viewsets over the design-doc services and selectors."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from designdocs import services
from designdocs.api.serializers import (
    DesignDocBriefSerializer,
    DesignDocPatchSerializer,
    DesignDocSerializer,
    DesignDocWriteSerializer,
    DiffSerializer,
    MarkdownImportSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
)
from designdocs.choices import MLStage, RiskTier, WorkflowStatus
from designdocs.content import content_of, empty_content
from designdocs.diff import diff_contents
from designdocs.markdown_io import MAX_FILE_BYTES, export_markdown
from designdocs.selectors import designdoc_detail, designdoc_list, revision_get, revision_list
from registry.core.api.parsers import JSONParser
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError, PreconditionRequiredError, StaleVersionError
from registry.core.text import NUL_MESSAGE, parse_count, paths_with_nul
from registry.policy import require_permission

_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)-(\d+)"\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the version the update is based on, e.g. `"12-3"` '
    "(or send `version` in the body). Without either: 428; stale: 412.",
)
LIST_FILTERS = [
    OpenApiParameter("team", OpenApiTypes.STR, description="Owner team slug."),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=MLStage.values),
    OpenApiParameter("risk_tier", OpenApiTypes.STR, enum=RiskTier.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=WorkflowStatus.values),
    OpenApiParameter(
        "mine", OpenApiTypes.BOOL, description="Only docs I own, co-author or whose team I am in."
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Text search."),
]
FILTER_KEYS = ("team", "stage", "risk_tier", "status", "q")


def _expected_version(request, doc) -> int | None:
    """The version the client based its update on: If-Match first, else `version` in the body."""
    header = request.headers.get("If-Match")
    if header:
        match = _ETAG.match(header)
        if not match or int(match.group(1)) != doc.pk:
            raise StaleVersionError(
                f"If-Match {header!r} does not match this document's ETag {doc.etag}.",
                current_version=doc.version,
            )
        return int(match.group(2))
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int):
        raise DomainError("version must be a whole number.", field="version")
    return version


def _refuse_nul(value, path: str = "") -> None:
    """PostgreSQL cannot store NUL in text (it would be a 500): refuse it, naming the field."""
    fields = paths_with_nul(value, path)
    if fields:
        raise DomainError(NUL_MESSAGE, errors={name: [NUL_MESSAGE] for name in fields})


def _with_etag(response: Response, doc) -> Response:
    response["ETag"] = doc.etag
    return response


@extend_schema_view(
    list=extend_schema(parameters=LIST_FILTERS, responses=DesignDocBriefSerializer(many=True)),
    retrieve=extend_schema(responses=DesignDocSerializer),
    create=extend_schema(request=DesignDocWriteSerializer, responses={201: DesignDocSerializer}),
    update=extend_schema(
        request=DesignDocWriteSerializer, responses=DesignDocSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        request=DesignDocPatchSerializer, responses=DesignDocSerializer, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(responses={204: None}),
)
class DesignDocViewSet(
    RegistryViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Design documents. Updates must state the version they are based on; every change of
    content makes a new numbered revision."""

    parser_classes = [JSONParser]
    extra_error_codes = ("412", "428")
    queryset = None

    def visible_queryset(self, user):
        if self.action == "list":
            filters = {key: self.request.query_params.get(key, "") for key in FILTER_KEYS}
            _refuse_nul(filters)
            filters["mine"] = self.request.query_params.get("mine", "").lower() in (
                "1",
                "true",
                "yes",
            )
            return designdoc_list(user=user, filters=filters)
        return designdoc_detail(user=user)

    def get_serializer_class(self):
        return DesignDocBriefSerializer if self.action == "list" else DesignDocSerializer

    def perform_content_negotiation(self, request, force=False):
        # The export answers Markdown whatever the client accepts (`Accept: text/markdown`
        # included); negotiation only picks how its errors render, and they stay JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "markdown"
        )

    def retrieve(self, request, *args, **kwargs):
        doc = self.get_object()
        return _with_etag(
            Response(DesignDocSerializer(doc, context={"request": request}).data), doc
        )

    def _reloaded(self, doc):
        return designdoc_detail(user=self.request.user).get(pk=doc.pk)

    def create(self, request, *args, **kwargs):
        data = dict(request.data) if isinstance(request.data, dict) else {}
        message = data.pop("message", "")
        data.pop("version", None)
        title, team = data.pop("title", ""), data.pop("owner_team", "")
        doc = services.designdoc_create(
            user=request.user,
            title=title,  # the service refuses what is not text, naming the field
            owner_team=team,
            content=data,
            message=message,
        )
        doc = self._reloaded(doc)
        body = DesignDocSerializer(doc, context={"request": request}).data
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Location"] = body["url"]
        return _with_etag(response, doc)

    def _update(self, request, *, replace: bool):
        doc = self.get_object()
        # A forbidden write is a 403 whatever precondition it carries (none, stale, malformed).
        require_permission(request.user, "designdocs.change_designdoc", doc)
        if not isinstance(request.data, dict):
            raise DomainError("The body must be a JSON object.", field="non_field_errors")
        expected = _expected_version(request, doc)
        data = dict(request.data)
        data.pop("version", None)
        message = data.pop("message", "")
        if replace:
            changes = empty_content()
            changes.update(data)
            changes["product_owner"] = data.get("product_owner", doc.product_owner.get_username())
        else:
            changes = data
        if expected is None:
            raise PreconditionRequiredError(
                "State the version this update is based on: send If-Match with the ETag, "
                "or `version` in the body.",
                field="version",
            )
        result = services.designdoc_update(
            doc=doc,
            user=request.user,
            expected_version=expected,
            changes=changes,
            message=message,  # checked by the service (a number is refused, not dropped)
        )
        doc = self._reloaded(result.design_doc)
        return _with_etag(
            Response(DesignDocSerializer(doc, context={"request": request}).data), doc
        )

    def update(self, request, *args, **kwargs):
        return self._update(request, replace=True)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request, replace=False)

    def destroy(self, request, *args, **kwargs):
        services.designdoc_delete(doc=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        doc = self.get_object()
        page = self.paginate_queryset(revision_list(doc=doc))
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)

    @extend_schema(responses=RevisionDetailSerializer)
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>\d+)")
    def revision(self, request, pk=None, number=None):
        doc = self.get_object()
        revision = get_object_or_404(doc.revisions.select_related("author"), number=int(number))
        return Response(RevisionDetailSerializer(revision).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.INT, required=True, description="Revision number."
            ),
            OpenApiParameter("to", OpenApiTypes.INT, required=True, description="Revision number."),
        ],
        responses=DiffSerializer,
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        doc = self.get_object()
        numbers = {}
        for name in ("from", "to"):
            number = parse_count(request.query_params.get(name))
            if number is None:
                raise DomainError(f"`{name}` must be a revision number.", field=name)
            numbers[name] = number
        revisions = {}
        for name, number in numbers.items():
            try:
                revisions[name] = revision_get(doc=doc, number=number)
            except doc.revisions.model.DoesNotExist:
                raise DomainError(
                    f"This document has no revision {number} (it has 1 to {doc.revision_number}).",
                    field=name,
                ) from None
        sections = diff_contents(revisions["from"].content, revisions["to"].content)
        return Response(
            {
                "from_revision": numbers["from"],
                "to_revision": numbers["to"],
                "changed_sections": [s.key for s in sections if s.changed],
                "sections": [s.as_dict() for s in sections],
            }
        )

    @extend_schema(
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR, description="Markdown file")
        }
    )
    @action(detail=True, methods=["get"], url_path="markdown")
    def markdown(self, request, pk=None):
        """The document as one Markdown file with YAML front matter (re-importable)."""
        doc = self.get_object()
        response = HttpResponse(
            export_markdown(content_of(doc)), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{doc.slug}.md"'
        return response

    @extend_schema(request=MarkdownImportSerializer, responses={201: DesignDocSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_markdown(self, request):
        """Create a document from a Markdown file (multipart `file`) or text (`markdown`)."""
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:  # before reading it into memory
                raise DomainError(
                    f"The file is {upload.size // 1024} KB; at most "
                    f"{MAX_FILE_BYTES // (1024 * 1024)} MB.",
                    field="file",
                    code="too_large",
                )
            data, field = upload.read(), "file"
        else:
            data = request.data.get("markdown") if isinstance(request.data, dict) else None
            field = "markdown"
            if not isinstance(data, str) or not data:
                raise DomainError(
                    "Send a Markdown file as `file` or its text as `markdown`.", field="file"
                )
        doc = services.designdoc_import_markdown(user=request.user, data=data, field=field)
        doc = self._reloaded(doc)
        body = DesignDocSerializer(doc, context={"request": request}).data
        return _with_etag(Response(body, status=status.HTTP_201_CREATED), doc)
