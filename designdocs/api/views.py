"""/api/designdocs/: thin viewsets over the design-doc services and selectors."""

from __future__ import annotations

import re
from collections.abc import Callable

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
from rest_framework.response import Response

from designdocs import services
from designdocs.api.serializers import (
    DesignDocBriefSerializer,
    DesignDocCreateSerializer,
    DesignDocPatchSerializer,
    DesignDocSerializer,
    DesignDocWriteSerializer,
    DiffSerializer,
    ImportPreviewSerializer,
    MarkdownImportSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    TransitionRequestSerializer,
    TransitionSerializer,
)
from designdocs.content import content_of, empty_content, merge_changes, rule_errors
from designdocs.diff import diff_contents
from designdocs.duplicates import refuse_duplicate_title
from designdocs.filtersets import DesignDocFilterSet
from designdocs.markdown_io import MAX_FILE_BYTES, export_markdown
from designdocs.models import DesignDoc
from designdocs.selectors import (
    designdoc_detail,
    designdoc_list,
    revision_get,
    revision_list,
    transition_list,
)
from registry.core.api.exceptions import flatten_errors
from registry.core.api.parsers import FormParser, JSONParser, MultiPartParser
from registry.core.api.schema import ErrorResponseSerializer
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError, PreconditionRequiredError, StaleVersionError
from registry.core.text import parse_count

_ETAG = re.compile(r'^\s*(W/)?"(\d+)-(\d+)"\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the version the update is based on, e.g. `"12-3"` '
    "(or send `version` in the body). Without either: 428; stale: 412.",
)
DUPLICATE_TITLE = OpenApiResponse(
    ErrorResponseSerializer,
    description="A design doc with this title exists (its address is in `message` and "
    "`existing`); nothing was created. Send `allow_duplicate_title: true` to create it anyway.",
)
DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.BOOL,
    description="true/1: answer the mapping of the file onto the sections (200) and create "
    "nothing. Also accepted as a body field. Anything but true, false, 1 or 0 is a 400.",
)


def _expected_version(request, doc) -> int | None:
    """The version the client based its update on: If-Match first, else `version` in the body."""
    header = request.headers.get("If-Match")
    if header:
        match = _ETAG.match(header)
        if match and match.group(1):
            # RFC 9110 §13.1.1: If-Match uses the strong comparison, which no weak tag passes.
            raise StaleVersionError(
                f"If-Match {header!r} is a weak ETag: weak ETags never match for a write. "
                f"Send the strong ETag {doc.etag}.",
                current_version=doc.version,
            )
        if not match or int(match.group(2)) != doc.pk:
            raise StaleVersionError(
                f"If-Match {header!r} does not match this document's ETag {doc.etag}.",
                current_version=doc.version,
            )
        return int(match.group(3))
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int):
        raise DomainError("version must be a whole number.", field="version")
    return version


def _check_types(serializer_class, data, proposed: Callable[[], dict]) -> None:
    """Refuse a body whose values are not of their field's type, length or choices, before
    the service runs (nothing is looked up or locked). The answer names every problem at
    once: the type errors, and the shape and rule errors the content validator finds in
    the rest of the `proposed` whole document (its message, naming row and field, where
    both name the same field)."""
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return
    rules = rule_errors(proposed())
    errors = {
        key: rules.get(key, messages) for key, messages in flatten_errors(serializer.errors).items()
    }
    for key, messages in rules.items():
        errors.setdefault(key, messages)
    first_key, first = next(iter(errors.items()))
    message = first[0] if first_key == "non_field_errors" else f"{first_key}: {first[0]}"
    raise DomainError(message, errors=errors, code="invalid")


def _with_etag(response: Response, doc) -> Response:
    response["ETag"] = doc.etag
    return response


@extend_schema_view(
    list=extend_schema(responses=DesignDocBriefSerializer(many=True)),
    retrieve=extend_schema(responses=DesignDocSerializer),
    create=extend_schema(
        request=DesignDocCreateSerializer,
        responses={201: DesignDocSerializer, 409: DUPLICATE_TITLE},
    ),
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
    #: Set per @action (ActionPermission): the object permission the action checks.
    permission_action: str | None = None
    queryset = DesignDoc.objects.none()
    filterset_class = DesignDocFilterSet

    def visible_queryset(self, user):
        if self.action == "list":
            return designdoc_list(user=user)
        if self.action in ("update", "partial_update"):
            # The service reads the content once, under the row lock: here only what the
            # permission and the precondition need.
            return DesignDoc.objects.restrict(user, "view").select_related("product_owner")
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
        _check_types(
            DesignDocCreateSerializer,
            request.data,
            lambda: {**empty_content(), "product_owner": request.user.get_username(), **data},
        )
        message = data.pop("message", "")
        data.pop("version", None)
        title, team = data.pop("title", ""), data.pop("owner_team", "")
        allowed = _flag(request, "allow_duplicate_title", query=False)
        data.pop("allow_duplicate_title", None)
        refuse_duplicate_title(
            user=request.user, title=title, allowed=allowed, absolute=request.build_absolute_uri
        )
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
        # A forbidden write is a 403 whatever precondition it carries (none, stale, malformed):
        # get_object checks the change permission first.
        doc = self.get_object()
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
            # Only the questionnaire sets the tier: a replacement that leaves it out keeps it.
            changes["risk_tier"] = data.get("risk_tier", doc.risk_tier)
        else:
            changes = data
        if expected is None:
            raise PreconditionRequiredError(
                "State the version this update is based on: send If-Match with the ETag, "
                "or `version` in the body.",
                field="version",
            )
        _check_types(
            DesignDocWriteSerializer if replace else DesignDocPatchSerializer,
            request.data,
            lambda: merge_changes(content_of(doc), changes),
        )
        result = services.designdoc_update(
            doc=doc,
            user=request.user,
            expected_version=expected,
            changes=changes,
            message=message,  # checked by the service (a number is refused, not dropped)
        )
        doc = result.design_doc
        context = {"request": request, "content": result.content}
        return _with_etag(Response(DesignDocSerializer(doc, context=context).data), doc)

    def update(self, request, *args, **kwargs):
        return self._update(request, replace=True)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request, replace=False)

    def destroy(self, request, *args, **kwargs):
        services.designdoc_delete(doc=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TransitionRequestSerializer,
        responses={
            201: TransitionSerializer,
            409: OpenApiResponse(
                ErrorResponseSerializer,
                description="The move is not allowed now (the message says why); nothing changed.",
            ),
        },
    )
    @action(detail=True, methods=["post"], permission_action="transition")
    def transition(self, request, pk=None):
        """Move the solution to another ML lifecycle stage (designdocs.lifecycle)."""
        doc = self.get_object()
        if not isinstance(request.data, dict):
            raise DomainError("The body must be a JSON object.", field="non_field_errors")
        unknown = sorted(set(request.data) - {"to", "reason"})
        if unknown:
            raise DomainError(f"Unknown field “{unknown[0][:50]}”.", field=unknown[0][:50])
        to = request.data.get("to")
        if to is None:
            raise DomainError("to: the stage to move to is required.", field="to")
        reason = request.data.get("reason", "")
        transition = services.designdoc_transition(
            doc=doc, actor=request.user, to_stage=to, reason="" if reason is None else reason
        )
        return Response(TransitionSerializer(transition).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def transitions(self, request, pk=None):
        """The lifecycle transitions of the document, newest first."""
        doc = self.get_object()
        page = self.paginate_queryset(transition_list(doc=doc))
        return self.get_paginated_response(TransitionSerializer(page, many=True).data)

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

    @extend_schema(
        request=MarkdownImportSerializer,
        parameters=[DRY_RUN],
        responses={
            201: DesignDocSerializer,
            200: OpenApiResponse(ImportPreviewSerializer, description="Dry run: nothing created"),
            409: DUPLICATE_TITLE,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_markdown(self, request):
        """Create a document from a Markdown file (multipart `file`) or text (`markdown`):
        this registry's export format, or a design doc from another template (no front
        matter), whose headings are mapped onto the sections; the latter needs `owner_team`.
        With `dry_run` the answer is the mapping, and nothing is created."""
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
        body = request.data if isinstance(request.data, dict) else {}
        arguments = {
            "user": request.user,
            "data": data,
            "field": field,
            "owner_team": _optional_text(body, "owner_team"),
            "title": _optional_text(body, "title"),
            "file_name": upload.name if upload is not None else "",
        }
        if _dry_run(request):
            preview = services.designdoc_import_preview(**arguments)
            return Response(preview.as_dict(), status=status.HTTP_200_OK)
        if not _flag(request, "allow_duplicate_title"):
            refuse_duplicate_title(
                user=request.user,
                title=services.designdoc_import_preview(**arguments).title,
                allowed=False,
                absolute=request.build_absolute_uri,
            )
        doc = services.designdoc_import_markdown(**arguments)
        doc = self._reloaded(doc)
        body = DesignDocSerializer(doc, context={"request": request}).data
        return _with_etag(Response(body, status=status.HTTP_201_CREATED), doc)


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _dry_run(request) -> bool:
    return _flag(request, "dry_run")


def _flag(request, name: str, *, query: bool = True) -> bool:
    """A boolean from the query string (when `query`) or the body: true/false/1/0 only; a
    value that says neither is refused rather than guessed (a typo must never create a
    document)."""
    values = []
    if query and name in request.query_params:
        values.append(request.query_params.get(name))
    if isinstance(request.data, dict) and name in request.data:
        values.append(request.data.get(name))
    parsed = set()
    for value in values:
        if isinstance(value, bool):
            parsed.add(value)
        elif isinstance(value, int) and value in (0, 1):
            parsed.add(bool(value))
        elif isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            parsed.add(_BOOLEANS[value.strip().lower()])
        else:
            raise DomainError(
                f"{name} must be true, false, 1 or 0 (not {str(value)[:40]!r}).", field=name
            )
    if len(parsed) > 1:
        raise DomainError(
            f"{name} says true in one place and false in another; send it once.", field=name
        )
    return parsed.pop() if parsed else False


def _optional_text(body, name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DomainError(f"{name} must be text.", field=name)
    return value.strip() or None
