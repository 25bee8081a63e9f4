"""The shared page cases (registry.core.testing.pages) over the team pages."""

from registry.core.testing.pages import PageViewTestCases
from teams.models import Team
from tests.factories import TeamFactory


class TestTeamPages(PageViewTestCases.ListPageTestCase, PageViewTestCases.DetailPageTestCase):
    model = Team
    list_url_name = "teams:team_list"
    detail_url_name = "teams:team"
    reader = "viewer"
    hidden_from = "user_without_role"

    def make_object(self):
        return TeamFactory()
