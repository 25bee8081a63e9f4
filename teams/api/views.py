"""/api/teams/: thin viewsets over the team services and selectors.

Updates state the version they are based on (`If-Match: "<id>-<version>"`, the ETag of
GET, or `version` in the body): without one 428, stale 412. Memberships are a
sub-resource: /api/teams/{id}/memberships/ (GET, POST) and
/api/teams/{id}/memberships/{membership_id}/ (PATCH, DELETE)."""

from __future__ import annotations

import re

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from registry.core.api.parsers import JSONParser
from registry.core.api.viewsets import RegistryViewSetMixin
from registry.core.errors import DomainError, StaleVersionError
from teams import services
from teams.api.serializers import (
    MembershipCreateSerializer,
    MembershipUpdateSerializer,
    TeamBriefSerializer,
    TeamMembershipSerializer,
    TeamSerializer,
    TeamUpdateSerializer,
    TeamWriteSerializer,
)
from teams.filtersets import TeamFilterSet
from teams.models import Team, TeamMembership
from teams.selectors import team_detail, team_list

_ETAG = re.compile(r'^\s*(W/)?"(\d+)-(\d+)"\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the version the update is based on, e.g. `"4-2"` (or send '
    "`version` in the body). Without either: 428; stale: 412.",
)
IF_MATCH_DELETE = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional: delete only if the team is still at this version (else 412).",
)
MEMBERSHIP_ID = OpenApiParameter("membership_id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise DomainError("The body must be a JSON object of fields.", code="invalid")
    return dict(request.data)


def _version_from_header(request, team: Team) -> int | None:
    header = request.headers.get("If-Match")
    if not header:
        return None
    match = _ETAG.match(header)
    if match and match.group(1):
        # RFC 9110 §13.1.1: If-Match uses the strong comparison, which no weak tag passes.
        raise StaleVersionError(
            f"If-Match {header!r} is a weak ETag, which never matches for a write. Send the "
            f"strong ETag {team.etag}.",
            current_version=team.version,
        )
    if not match or int(match.group(2)) != team.pk:
        raise StaleVersionError(
            f"If-Match {header!r} does not match this team's ETag {team.etag}.",
            current_version=team.version,
        )
    return int(match.group(3))


def _expected_version(request, team: Team, body: dict) -> int | None:
    header = _version_from_header(request, team)
    version = body.pop("version", None)
    if header is not None:
        return header
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int):
        raise DomainError("version must be a whole number.", field="version")
    return version


def _with_etag(response: Response, team: Team) -> Response:
    response["ETag"] = team.etag
    return response


@extend_schema_view(
    list=extend_schema(responses=TeamBriefSerializer(many=True)),
    retrieve=extend_schema(responses=TeamSerializer),
    create=extend_schema(request=TeamWriteSerializer, responses={201: TeamSerializer}),
    update=extend_schema(
        request=TeamUpdateSerializer, responses=TeamSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        request=TeamUpdateSerializer, responses=TeamSerializer, parameters=[IF_MATCH]
    ),
    destroy=extend_schema(responses={204: None}, parameters=[IF_MATCH_DELETE]),
)
class TeamViewSet(
    RegistryViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Feature and platform teams: the owners of design docs and catalogue entries.
    Superusers create and delete teams; superusers and the team's leads edit it and manage
    its members; everyone with a role reads."""

    parser_classes = [JSONParser]
    queryset = Team.objects.none()
    filterset_class = TeamFilterSet
    extra_error_codes = ("409", "412", "428")
    #: the action the membership routes check on the team (the services check the rest)
    permission_action = None

    def visible_queryset(self, user):
        if self.action == "retrieve":
            return team_detail(user=user)
        # Lists, writes (the service reads the row again under its lock; the answer is read
        # afresh) and the membership routes need the team alone.
        return team_list(user=user)

    def get_serializer_class(self):
        return TeamBriefSerializer if self.action == "list" else TeamSerializer

    def _answer(self, team: Team, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = team_detail(user=self.request.user).get(pk=team.pk)
        body = TeamSerializer(fresh, context={"request": self.request}).data
        return _with_etag(Response(body, status=status_code), fresh)

    def retrieve(self, request, *args, **kwargs):
        team = self.get_object()
        return _with_etag(Response(TeamSerializer(team, context={"request": request}).data), team)

    def create(self, request, *args, **kwargs):
        body = _body(request)
        body.pop("version", None)
        body.setdefault("name", "")  # the service says a team needs one
        services.refuse_unknown_fields(body, services.TEAM_FIELDS, "a team has")
        team = services.team_create(actor=request.user, **body)
        return self._answer(team, status_code=status.HTTP_201_CREATED)

    def _update(self, request):
        team = self.get_object()
        body = _body(request)
        version = _expected_version(request, team, body)
        team = services.team_update(
            actor=request.user, team=team, expected_version=version, changes=body
        )
        return self._answer(team)

    def update(self, request, *args, **kwargs):
        return self._update(request)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request)

    def destroy(self, request, *args, **kwargs):
        team = self.get_object()
        services.team_delete(
            actor=request.user, team=team, expected_version=_version_from_header(request, team)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- memberships ---------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses=TeamMembershipSerializer(many=True),
        summary="Members",
        description="The team's members by username, paginated like every list.",
    )
    @extend_schema(
        methods=["POST"],
        request=MembershipCreateSerializer,
        responses={201: TeamMembershipSerializer},
        summary="Add a member",
    )
    @action(detail=True, methods=["get", "post"], permission_action="view")
    def memberships(self, request, pk=None):
        team = self.get_object()
        if request.method == "GET":
            rows = (
                TeamMembership.objects.filter(team=team)
                .select_related("team", "user")
                .order_by("user__username", "pk")
            )
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(TeamMembershipSerializer(page, many=True).data)
        body = _body(request)
        services.refuse_unknown_fields(body, ("user", "role"), "a membership has")
        if "user" not in body:
            raise DomainError("Name the person to add (their username).", field="user")
        membership = services.membership_add(
            actor=request.user, team=team, user=body["user"], role=body.get("role", "member")
        )
        return Response(TeamMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def _membership(self, membership_id) -> TeamMembership:
        team = self.get_object()
        return get_object_or_404(
            TeamMembership.objects.select_related("team", "user"), team=team, pk=membership_id
        )

    @extend_schema(
        methods=["PATCH"],
        request=MembershipUpdateSerializer,
        responses=TeamMembershipSerializer,
        parameters=[MEMBERSHIP_ID],
        summary="Change a member's role",
    )
    @extend_schema(
        methods=["DELETE"],
        responses={204: None},
        parameters=[MEMBERSHIP_ID],
        summary="Remove a member",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"memberships/(?P<membership_id>[0-9]+)",
        url_name="membership",
        permission_action="view",
    )
    def membership(self, request, pk=None, membership_id=None):
        membership = self._membership(membership_id)
        if request.method == "DELETE":
            services.membership_remove(actor=request.user, membership=membership)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = _body(request)
        services.refuse_unknown_fields(body, ("role",), "a membership change has")
        if "role" not in body:
            raise DomainError("Give the new role.", field="role")
        membership = services.membership_change(
            actor=request.user, membership=membership, role=body["role"]
        )
        return Response(TeamMembershipSerializer(membership).data)
