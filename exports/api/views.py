"""/api/exports/ and /api/designdocs/{id}/exports/: thin views over exports.services."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from designdocs.models import DesignDoc
from exports import services
from exports.api.serializers import (
    ExportRequestSerializer,
    PdfExportSerializer,
    SubjectExportRequestSerializer,
    VerdictSerializer,
    VerifyRequestSerializer,
)
from exports.choices import ExportStatus
from exports.models import PdfExport
from exports.selectors import export_list
from exports.verify import MAX_PDF_BYTES, verify_pdf
from registry.core.api.exceptions import flatten_errors
from registry.core.api.parsers import FormParser, JSONParser, MultiPartParser
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError

DOC_PK = OpenApiParameter(
    "designdoc_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The design doc's id."
)
QUEUED = OpenApiResponse(
    PdfExportSerializer, description="Queued (or already in progress); poll `Location`."
)
CACHED = OpenApiResponse(
    PdfExportSerializer, description="The same content was exported before: the stored export."
)
BROKER_DOWN = OpenApiResponse(description="The task queue is unreachable; nothing was changed.")


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        errors = flatten_errors(serializer.errors)
        field, messages = next(iter(errors.items()))
        raise DomainError(f"{field}: {messages[0]}", errors=errors)
    return serializer.validated_data


def _accepted(request, export: PdfExport, queued: bool) -> Response:
    body = PdfExportSerializer(export, context={"request": request}).data
    code = status.HTTP_200_OK if export.status == ExportStatus.DONE and not queued else 202
    response = Response(body, status=code)
    response["Location"] = body["url"]
    return response


class DesignDocExportViewSet(RegistryViewSetMixin, viewsets.GenericViewSet):
    """The PDF exports of one design doc: POST asks for one (202 + Location)."""

    queryset = PdfExport.objects.all()
    serializer_class = PdfExportSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _doc(self) -> DesignDoc:
        pk = self.kwargs["designdoc_pk"]
        return get_object_or_404(DesignDoc.objects.restrict(self.request.user, "view"), pk=pk)

    def visible_queryset(self, user):
        return export_list(user=user).filter(design_doc_id=self.kwargs.get("designdoc_pk"))

    @extend_schema(parameters=[DOC_PK], responses=PdfExportSerializer(many=True))
    def list(self, request, designdoc_pk=None):
        self._doc()
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PdfExportSerializer(page, many=True).data)

    @extend_schema(
        parameters=[DOC_PK],
        request=ExportRequestSerializer,
        responses={202: QUEUED, 200: CACHED, 503: BROKER_DOWN},
    )
    def create(self, request, designdoc_pk=None):
        doc = self._doc()
        data = _valid(ExportRequestSerializer, request.data)
        export, queued = services.export_designdoc_request(
            user=request.user, doc=doc, revision_number=data.get("revision")
        )
        export.refresh_from_db()
        return _accepted(request, export, queued)


class ExportViewSet(RegistryViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):  # fmt: skip
    """Export jobs: status, progress, download; POST a subject; verify a PDF."""

    queryset = PdfExport.objects.all()
    serializer_class = PdfExportSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    extra_error_codes = ("409",)
    permission_action = None  # set per action (retry)

    def visible_queryset(self, user):
        return export_list(user=user)

    @extend_schema(
        request=SubjectExportRequestSerializer,
        responses={202: QUEUED, 200: CACHED, 503: BROKER_DOWN},
    )
    def create(self, request):
        data = _valid(SubjectExportRequestSerializer, request.data)
        export, queued = services.export_subject_request(
            user=request.user, name=data["subject"], key=data["key"]
        )
        export.refresh_from_db()
        return _accepted(request, export, queued)

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        if export.status != ExportStatus.DONE:
            raise services.ConflictError(
                f"The export is {export.get_status_display().lower()}: there is no file yet."
            )
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=export.filename,
            content_type="application/pdf",
        )

    @extend_schema(request=None, responses={202: QUEUED, 503: BROKER_DOWN})
    @action(detail=True, methods=["post"], permission_action="retry")
    def retry(self, request, pk=None):
        export = self.get_object()
        export = services.export_retry(user=request.user, export=export)
        export.refresh_from_db()
        return _accepted(request, export, True)

    @extend_schema(
        request={"multipart/form-data": VerifyRequestSerializer},
        responses={200: VerdictSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def verify(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("Attach the PDF as `file`.", field="file")
        if not upload.size:
            raise DomainError("The file is empty.", field="file")
        if upload.size > MAX_PDF_BYTES:
            raise DomainError(
                f"The file is larger than {MAX_PDF_BYTES // (1024 * 1024)} MiB.", field="file"
            )
        verdict = verify_pdf(upload.read())
        return Response(verdict.as_dict())
