"""/api/maturity-models/, /api/assessments/, /api/designdocs/{id}/classification/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from designdocs.content import content_of
from designdocs.selectors import designdoc_detail
from maturity import classification as rules_of_the_act
from maturity import services, subjects
from maturity.api.serializers import (
    AssessmentSerializer,
    AssessmentWriteSerializer,
    ClassificationSerializer,
    ClassificationWriteSerializer,
    MaturityModelSerializer,
    MaturityModelWriteSerializer,
)
from maturity.models import Assessment, Classification, MaturityModel
from maturity.selectors import assessment_detail, compare, model_list, what_next_of
from registry.core.api.exceptions import flatten_errors
from registry.core.api.parsers import JSONParser
from registry.core.api.schema import ErrorResponseSerializer
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError
from registry.core.text import parse_count


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        errors = flatten_errors(serializer.errors)
        key, messages = next(iter(errors.items()))
        raise DomainError(f"{key}: {messages[0]}", errors=errors, code="invalid")
    return serializer.validated_data


class MaturityModelViewSet(
    RegistryViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Maturity models (rubrics) as data; staff define their own with POST."""

    queryset = MaturityModel.objects.none()
    serializer_class = MaturityModelSerializer
    parser_classes = [JSONParser]

    def visible_queryset(self, user):
        return model_list(user=user)

    @extend_schema(request=MaturityModelWriteSerializer, responses={201: MaturityModelSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(MaturityModelWriteSerializer, request.data)
        model = services.maturity_model_create(actor=request.user, data=data)
        model = model_list(user=request.user).get(pk=model.pk)
        return Response(MaturityModelSerializer(model).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(
    RegistryViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessments: one subject scored against one model version; never overwritten."""

    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer
    parser_classes = [JSONParser]

    def visible_queryset(self, user):
        queryset = assessment_detail(user=user)
        if self.action == "list":
            params = self.request.query_params
            if params.get("subject_type"):
                subject_type = subjects.by_key(params["subject_type"])
                if subject_type is None:
                    raise DomainError("subject_type: not a kind of subject.", field="subject_type")
                queryset = queryset.filter(subject_type=subjects.content_type(subject_type))
            if params.get("subject_id"):
                number = parse_count(params["subject_id"])
                if number is None:
                    raise DomainError("subject_id: a number.", field="subject_id")
                queryset = queryset.filter(subject_id=number)
            if params.get("model"):
                queryset = queryset.filter(model__slug=params["model"][:100])
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("subject_type", OpenApiTypes.STR),
            OpenApiParameter("subject_id", OpenApiTypes.INT),
            OpenApiParameter("model", OpenApiTypes.STR),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssessmentWriteSerializer, responses={201: AssessmentSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(AssessmentWriteSerializer, request.data)
        subject_type = subjects.by_key(data["subject_type"])
        if subject_type is None:
            raise DomainError("subject_type: not a kind of subject.", field="subject_type")
        subject = subject_type.visible(request.user).filter(pk=data["subject_id"]).first()
        if subject is None:
            raise DomainError("subject_id: no such subject you can see.", field="subject_id")
        model = model_list(user=request.user).filter(slug=data["model"]).first()
        if model is None:
            raise DomainError("model: no such maturity model.", field="model")
        assessment = services.assessment_create(
            actor=request.user,
            subject=subject,
            model=model,
            answers=data["answers"],
            notes=data.get("notes", ""),
        )
        assessment = assessment_detail(user=request.user).get(pk=assessment.pk)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("a", OpenApiTypes.INT, required=True),
            OpenApiParameter("b", OpenApiTypes.INT, required=True),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such assessment."),
        },
    )
    @action(detail=False, methods=["get"])
    def compare(self, request):
        """Two assessments of one subject and model, item by item."""
        found = {}
        for name in ("a", "b"):
            number = parse_count(request.query_params.get(name))
            if number is None:
                raise DomainError(f"`{name}`: an assessment id.", field=name)
            found[name] = get_object_or_404(assessment_detail(user=request.user), pk=number)
        a, b = found["a"], found["b"]
        if (a.subject_type_id, a.subject_id, a.model_id) != (b.subject_type_id, b.subject_id,
                                                             b.model_id):  # fmt: skip
            raise DomainError("Compare two assessments of the same subject and model.", field="b")
        rows = compare(a, b)
        return Response(
            {
                "a": a.pk, "b": b.pk, "score": [str(a.score), str(b.score)],
                "band": [a.band, b.band],
                "items": [{"item": r.item.code, "title": r.item.title, "a": r.old, "b": r.new,
                           "changed": r.changed} for r in rows],
            }
        )  # fmt: skip

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="what-next")
    def what_next(self, request, pk=None):
        """Items keeping the subject at its band or level, and those that would raise it,
        ordered by effect."""
        steps = what_next_of(self.get_object())
        return Response([{**s, "effect": str(s["effect"])} for s in steps])


class ClassificationViewSet(
    RegistryViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The EU AI Act questionnaire of one design doc: its answers over time (newest first);
    POST answers it again, which derives the tier and writes it to the doc."""

    queryset = Classification.objects.none()
    serializer_class = ClassificationSerializer
    parser_classes = [JSONParser]

    def _doc(self):
        return get_object_or_404(
            designdoc_detail(user=self.request.user), pk=self.kwargs["designdoc_pk"]
        )

    def visible_queryset(self, user):
        return (
            Classification.objects.restrict(user, "view")
            .filter(design_doc=self._doc())
            .select_related("answered_by")
        )

    @extend_schema(request=ClassificationWriteSerializer, responses={201: ClassificationSerializer})
    def create(self, request, *args, **kwargs):
        doc = self._doc()
        if not isinstance(request.data, dict):
            raise DomainError("The body must be a JSON object.", field="non_field_errors")
        classification = services.classification_answer(
            doc=doc, actor=request.user, answers=dict(request.data)
        )
        return Response(
            ClassificationSerializer(classification).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def obligations(self, request, designdoc_pk=None):
        """The Chapter III obligations (Arts. 9-15) of the EU AI Act and whether the doc's
        sections cover them: `applies` is true for a high-risk doc; `missing` lists the
        obligations whose sections are still empty."""
        doc = self._doc()
        coverage = rules_of_the_act.chapter_iii_coverage(content_of(doc))
        rows = [
            {"article": s.obligation.article, "title": s.obligation.title, "covered": s.covered,
             "missing_sections": list(s.missing_sections), "why": s.obligation.why}
            for s in coverage
        ]  # fmt: skip
        return Response(
            {
                "risk_tier": doc.risk_tier,
                "applies": doc.risk_tier == "high",
                "obligations": rows,
                "missing": [r["article"] for r in rows if not r["covered"]],
            }
        )
