"""/api/components/, /api/architectures/, /api/catalog/: thin viewsets over the catalogue
services and selectors."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalogue import services
from catalogue.api.serializers import (
    ArchitectureDetailSerializer,
    ArchitectureSerializer,
    ComponentDetailSerializer,
    ComponentSerializer,
    ImportSummarySerializer,
    ImportUploadSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)
from catalogue.backstage.exporter import export_catalog
from catalogue.backstage.importer import MAX_FILE_BYTES, catalog_import
from catalogue.filtersets import ArchitectureFilterSet, ComponentFilterSet
from catalogue.models import ArchitectureExample, Component
from catalogue.selectors import (
    architecture_detail,
    architecture_list,
    component_detail,
    component_list,
    design_docs_adopting,
    design_docs_using,
)
from registry.core.api.parsers import FormParser, JSONParser, MultiPartParser
from registry.core.api.schema import ErrorResponseSerializer
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError
from registry.core.permissions import require as require_permission

CONFLICT = OpenApiResponse(ErrorResponseSerializer, description="The move is not allowed now.")


class _CatalogueViewSet(RegistryViewSetMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    #: set per @action (ActionPermission reads it): the transition's own permission
    permission_action = None
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    detail_serializer_class: type
    model: type

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "update", "partial_update"):
            return self.detail_serializer_class
        return self.serializer_class

    def _respond(self, obj, status_code=status.HTTP_200_OK) -> Response:
        obj = get_object_or_404(self.detail_queryset(self.request.user), pk=obj.pk)
        serializer = self.detail_serializer_class(
            obj, context={**self.get_serializer_context(), "using_docs": self.using(obj)}
        )
        return Response(serializer.data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self._respond(obj)

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_queryset(self.request.user)
        return super().get_queryset()

    def _parsed(self, request, *, partial: bool, instance=None) -> dict:
        if hasattr(request.data, "keys"):
            # Read-only fields sent back (a GET edited and PUT) are ignored; a name the
            # resource does not have at all is refused, never silently dropped.
            known = set(self.detail_serializer_class().fields)
            unknown = sorted(str(k) for k in request.data if k not in known)
            if unknown:
                raise DomainError(
                    f"Unknown field “{unknown[0][:80]}”.",
                    errors={k[:80]: ["Unknown field."] for k in unknown[:20]},
                )
        serializer = self.detail_serializer_class(
            instance=instance,
            data=request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if partial and "lifecycle" in request.data:
            data["lifecycle"] = request.data["lifecycle"]
        return data

    def create(self, request, *args, **kwargs):
        obj = self.create_service(actor=request.user, data=self._parsed(request, partial=False))
        return self._respond(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = self._parsed(request, partial=kwargs.get("partial", False), instance=obj)
        obj = self.update_service(actor=request.user, obj=obj, data=data)
        return self._respond(obj)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        self.delete_service(actor=request.user, obj=obj)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, service):
        obj = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        replacement = None
        slug = serializer.validated_data.get("replacement")
        if slug:
            replacement = (
                self.model.objects.restrict(request.user, "view").filter(slug=slug).first()
            )
            if replacement is None:
                raise DomainError(
                    f"There is no “{slug}” to name as replacement.", field="replacement"
                )
        result = service(
            actor=request.user,
            obj=obj,
            to=serializer.validated_data["to"],
            reason=serializer.validated_data.get("reason", ""),
            replacement=replacement,
        )
        return Response(
            TransitionResultSerializer(
                {
                    "lifecycle": result.obj.lifecycle,
                    "warnings": result.warnings,
                    "used_by": result.using_docs,
                }
            ).data
        )


@extend_schema_view(
    list=extend_schema(responses=ComponentSerializer(many=True)),
    retrieve=extend_schema(responses=ComponentDetailSerializer),
    create=extend_schema(request=ComponentSerializer, responses={201: ComponentDetailSerializer}),
    update=extend_schema(request=ComponentSerializer, responses=ComponentDetailSerializer),
    partial_update=extend_schema(request=ComponentSerializer, responses=ComponentDetailSerializer),
    destroy=extend_schema(responses={204: None}),
)
class ComponentViewSet(_CatalogueViewSet):
    """Platform and solution components: owner team, lifecycle, links, dependencies, RACI."""

    queryset = Component.objects.none()
    model = Component
    serializer_class = ComponentSerializer
    detail_serializer_class = ComponentDetailSerializer
    filterset_class = ComponentFilterSet
    parser_classes = [JSONParser]

    def visible_queryset(self, user):
        return component_list(user=user)

    def detail_queryset(self, user):
        return component_detail(user=user)

    def using(self, obj):
        return list(design_docs_using(obj, user=self.request.user).order_by("title"))

    def create_service(self, *, actor, data):
        return services.component_create(actor=actor, data=data)

    def update_service(self, *, actor, obj, data):
        return services.component_update(actor=actor, component=obj, data=data)

    def delete_service(self, *, actor, obj):
        services.component_delete(actor=actor, component=obj)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: TransitionResultSerializer, 409: CONFLICT},
        description="Move the component in its lifecycle (experimental → production → "
        "deprecated → retired; retired is final). Deprecating needs a reason. The answer "
        "lists the live design docs using it as a warning.",
    )
    @action(detail=True, methods=["post"], permission_action="transition")
    def transition(self, request, slug=None):
        return self._transition(
            request,
            lambda *, actor, obj, **kw: services.component_transition(
                actor=actor, component=obj, **kw
            ),
        )


@extend_schema_view(
    list=extend_schema(responses=ArchitectureSerializer(many=True)),
    retrieve=extend_schema(responses=ArchitectureDetailSerializer),
    create=extend_schema(
        request={
            "application/json": ArchitectureSerializer,
            "multipart/form-data": ArchitectureSerializer,
        },
        responses={201: ArchitectureDetailSerializer},
    ),
    update=extend_schema(responses=ArchitectureDetailSerializer),
    partial_update=extend_schema(responses=ArchitectureDetailSerializer),
    destroy=extend_schema(responses={204: None}),
)
class ArchitectureViewSet(_CatalogueViewSet):
    """Reference architectures teams reuse: problem, narrative, diagram, components."""

    queryset = ArchitectureExample.objects.none()
    model = ArchitectureExample
    serializer_class = ArchitectureSerializer
    detail_serializer_class = ArchitectureDetailSerializer
    filterset_class = ArchitectureFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def visible_queryset(self, user):
        return architecture_list(user=user)

    def detail_queryset(self, user):
        return architecture_detail(user=user)

    def using(self, obj):
        return list(design_docs_adopting(obj, user=self.request.user).order_by("title"))

    def create_service(self, *, actor, data):
        return services.architecture_create(actor=actor, data=data)

    def update_service(self, *, actor, obj, data):
        return services.architecture_update(actor=actor, architecture=obj, data=data)

    def delete_service(self, *, actor, obj):
        services.architecture_delete(actor=actor, architecture=obj)

    @extend_schema(
        request=TransitionSerializer, responses={200: TransitionResultSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"], permission_action="transition")
    def transition(self, request, slug=None):
        return self._transition(
            request,
            lambda *, actor, obj, **kw: services.architecture_transition(
                actor=actor, architecture=obj, **kw
            ),
        )


class CatalogViewSet(RegistryViewSetMixin, viewsets.GenericViewSet):
    """Backstage interop: import catalog-info.yaml files, export the catalogue as one."""

    queryset = Component.objects.none()
    serializer_class = ImportSummarySerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": ImportUploadSerializer,
            "application/yaml": OpenApiTypes.STR,
        },
        responses={200: ImportSummarySerializer, 400: ImportSummarySerializer},
        description="Import one catalog-info.yaml (multipart field `file`, or the YAML as the "
        "body with Content-Type application/yaml). Atomic: a file with a rejected document "
        "imports nothing; every rejected document is listed with its index and line.",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        require_permission(request.user, "catalogue.import_catalog")
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type in ("application/yaml", "application/x-yaml", "text/yaml", "text/plain"):
            if len(request.body) > MAX_FILE_BYTES:
                raise DomainError(
                    f"A catalog file is at most {MAX_FILE_BYTES // 1024} KB.", field="file"
                )
            data, name = request.body, "request body"
        else:
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError(
                    "Send a catalog-info.yaml as the multipart field “file” or as an "
                    "application/yaml body.",
                    field="file",
                )
            if upload.size > MAX_FILE_BYTES:
                raise DomainError(
                    f"A catalog file is at most {MAX_FILE_BYTES // 1024} KB.", field="file"
                )
            data, name = upload.read(), upload.name or "upload"
        report = catalog_import(actor=request.user, files=[(name, data)])
        code = status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        return Response(report.as_dict(), status=code)

    @extend_schema(
        responses={(200, "text/plain"): OpenApiTypes.STR},
        description="The whole catalogue (teams, people, components, systems) as one "
        "multi-document catalog-info.yaml that re-imports to the same catalogue. Served as "
        "text/plain (a YAML stream of several documents, which single-document YAML "
        "readers refuse), as an attachment named catalog-info.yaml.",
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export_file(self, request):
        require_permission(request.user, "catalogue.export_catalog")
        text = export_catalog(actor=request.user)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="catalog-info.yaml"'
        return response
