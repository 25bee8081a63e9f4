"""A writable Team API that exists only in tests, to prove the shared write test cases.

It follows the product's rules (permission from the policy module, one transaction, an
audit event per write) so the cases pass against it; the deliberately broken variants
below each violate one rule, so the cases must fail against them.
"""

from django.db import transaction
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from registry.core.audit import AuditAction, record_audit_event, register_actions
from registry.core.errors import DomainError
from registry.core.permissions import require as require_permission
from registry.core.testing.api import APITestCase
from registry.urls import handler400, handler403, handler404, handler500  # noqa: F401
from registry.urls import urlpatterns as project_urlpatterns
from teams.models import Team
from teams.selectors import team_list

register_actions(
    AuditAction("team.create", "created"),
    AuditAction("team.update", "edited"),
    AuditAction("team.delete", "deleted"),
)


class HarnessTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "slug", "kind", "description"]


class HarnessTeamViewSet(viewsets.ModelViewSet):
    serializer_class = HarnessTeamSerializer
    audit = True

    def get_queryset(self):
        return team_list(user=self.request.user)

    def perform_create(self, serializer):
        require_permission(self.request.user, "teams.add_team")
        with transaction.atomic():
            team = serializer.save()
            if self.audit:
                record_audit_event(actor=self.request.user, action="team.create", obj=team)

    def perform_update(self, serializer):
        require_permission(self.request.user, "teams.change_team", serializer.instance)
        with transaction.atomic():
            team = serializer.save()
            if self.audit:
                record_audit_event(actor=self.request.user, action="team.update", obj=team)

    def perform_destroy(self, instance):
        require_permission(self.request.user, "teams.delete_team", instance)
        with transaction.atomic():
            if self.audit:
                record_audit_event(actor=self.request.user, action="team.delete", obj=instance)
            instance.delete()


class SilentTeamViewSet(HarnessTeamViewSet):
    """Broken: writes leave no audit trail."""

    audit = False


class OpenTeamViewSet(HarnessTeamViewSet):
    """Broken: anyone who can see a team may write it."""

    def perform_create(self, serializer):
        team = serializer.save()
        record_audit_event(actor=self.request.user, action="team.create", obj=team)


class LeakyTeamViewSet(HarnessTeamViewSet):
    """Broken: shows every team to every signed-in user, role or not."""

    def get_queryset(self):
        return Team.objects.all()


class ChattyTeamViewSet(HarnessTeamViewSet):
    """Broken: one query per row (the parent of each team is fetched lazily)."""

    def get_queryset(self):
        return Team.objects.restrict(self.request.user, "view").order_by("name")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        for row in response.data["results"]:
            row["parent"] = str(Team.objects.get(pk=row["id"]).parent)
        return response


class MisnamingTeamViewSet(HarnessTeamViewSet):
    """Broken: reports invalid input without saying which field is at fault."""

    def create(self, request, *args, **kwargs):
        if not request.data.get("name"):
            raise DomainError("Something is wrong.")
        return super().create(request, *args, **kwargs)


router = SimpleRouter()
router.register("teams", HarnessTeamViewSet, basename="team")
router.register("silent-teams", SilentTeamViewSet, basename="silent-team")
router.register("open-teams", OpenTeamViewSet, basename="open-team")
router.register("leaky-teams", LeakyTeamViewSet, basename="leaky-team")
router.register("chatty-teams", ChattyTeamViewSet, basename="chatty-team")
router.register("misnaming-teams", MisnamingTeamViewSet, basename="misnaming-team")


def crash(request):
    """A bug: what every uncaught exception looks like to the client."""
    raise RuntimeError("a bug")


# Used as ROOT_URLCONF by `@pytest.mark.urls("tests.core.harness_api")`.
urlpatterns = [
    path("api/harness/crash/", crash),
    path("harness/crash/", crash),
    path("api/harness/", include((router.urls, "harness"))),
    *project_urlpatterns,
]


class HarnessTeamCases(APITestCase):
    """The declarations a real Team API test would make, pointed at the harness."""

    api_namespace = "harness"
    basename = "team"
    model = Team
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "superuser"
    forbidden_writer = "viewer"
    create_action = "team.create"
    update_action = "team.update"
    delete_action = "team.delete"
    invalid_field = "name"
    invalid_create_data = {"name": "", "slug": "nameless"}
    update_data = {"description": "Owns the fraud models."}

    _counter = 0

    def make_object(self):
        from tests.factories import TeamFactory

        return TeamFactory()

    def create_data(self):
        HarnessTeamCases._counter += 1
        return {"name": f"Harness team {self._counter}", "slug": f"harness-{self._counter}"}
