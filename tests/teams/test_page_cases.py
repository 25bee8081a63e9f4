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


class TestTeamCreatePage(PageViewTestCases.CreatePageTestCase):
    model = Team
    create_url_name = "teams:team_add"
    writer = "superuser"
    forbidden_writer = "viewer"
    invalid_field = "email"
    invalid_message = "is not an e-mail address"
    audit_action = "team.create"

    def make_object(self):
        return TeamFactory()

    def valid_data(self, obj):
        return {"name": "Churn analytics", "kind": "feature", "email": "churn@example.com"}

    def invalid_data(self, obj):
        return {"name": "Churn analytics", "kind": "feature", "email": "not an address"}

    def assert_written(self, obj, data):
        assert (obj.name, obj.slug, obj.email) == (
            "Churn analytics",
            "churn-analytics",
            "churn@example.com",
        )


class TestTeamEditPage(PageViewTestCases.EditPageTestCase):
    model = Team
    write_url_name = "teams:team_edit"
    writer = "superuser"
    forbidden_writer = "viewer"
    invalid_field = "chat_channel"
    invalid_message = "is not a chat channel"
    audit_action = "team.update"
    snapshot_fields = ("name", "chat_channel", "version")
    edited_values = {"name": "Renamed", "chat_channel": "#renamed", "version": 2}

    def make_object(self):
        return TeamFactory()

    def _data(self, obj, **changes):
        return {
            "name": obj.name,
            "kind": obj.kind,
            "description": obj.description,
            "email": obj.email,
            "chat_channel": obj.chat_channel,
            "parent": "",
            "version": str(obj.version),
            **changes,
        }

    def valid_data(self, obj):
        return self._data(obj, name="Renamed", chat_channel="#renamed")

    def invalid_data(self, obj):
        return self._data(obj, chat_channel="#with space")


class TestTeamDeletePage(PageViewTestCases.DeletePageTestCase):
    model = Team
    write_url_name = "teams:team_delete"
    writer = "superuser"
    forbidden_writer = "viewer"
    audit_action = "team.delete"

    def make_object(self):
        return TeamFactory()

    def valid_data(self, obj):
        return {}
