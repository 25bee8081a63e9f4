"""/api/teams/ through the shared API test cases (read-only: writes are 405)."""

from registry.core.testing import APIViewTestCases
from teams.models import Team
from tests.factories import TeamFactory


class TestTeamAPI(APIViewTestCases.ReadOnlyAPIViewTestCase):
    basename = "team"
    model = Team
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "superuser"

    def make_object(self):
        return TeamFactory()
