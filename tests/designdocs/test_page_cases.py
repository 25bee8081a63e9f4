"""The shared page cases (registry.core.testing.pages) over the design doc pages: list,
page, create, the details editor, a section editor and delete."""

from __future__ import annotations

import pytest

from designdocs.content import content_of
from designdocs.models import DesignDoc
from registry.core.testing.pages import PageViewTestCases
from tests.designdocs.factories import DesignDocFactory


class DesignDocPages:
    model = DesignDoc
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "alice"  # product owner and member of `team`
    forbidden_writer = "viewer"
    snapshot_fields = ("title", "version", "latest_revision_id")

    @pytest.fixture(autouse=True)
    def _team(self, team, alice):
        self.team, self.alice = team, alice

    def make_object(self):
        return DesignDocFactory(owner_team=self.team, product_owner=self.alice)


class TestDesignDocListAndPage(
    DesignDocPages, PageViewTestCases.ListPageTestCase, PageViewTestCases.DetailPageTestCase
):
    list_url_name = "designdocs:designdoc_list"
    detail_url_name = "designdocs:designdoc"


class TestDesignDocCreatePage(DesignDocPages, PageViewTestCases.CreatePageTestCase):
    create_url_name = "designdocs:designdoc_add"
    audit_action = "designdoc.create"
    invalid_field = "title"
    invalid_message = "This field is required."

    def valid_data(self, obj):
        return {"title": "Churn model", "owner_team": self.team.slug}

    def invalid_data(self, obj):
        return {"title": "", "owner_team": self.team.slug}

    def assert_written(self, obj, data):
        assert (obj.title, obj.owner_team, obj.product_owner) == (
            "Churn model",
            self.team,
            self.alice,
        )


class TestDesignDocDetailsEditPage(DesignDocPages, PageViewTestCases.EditPageTestCase):
    write_url_name = "designdocs:designdoc_edit"
    audit_action = "designdoc.update"
    invalid_field = "co_authors"
    invalid_message = "ghost"
    edited_values = {"title": "Churn model v2"}

    def details(self, doc, **changes):
        return {
            "title": doc.title,
            "owner_team": doc.owner_team.slug,
            "co_authors": "",
            "version": doc.version,
            "message": "",
            **changes,
        }

    def valid_data(self, obj):
        return self.details(obj, **self.edited_values)

    def invalid_data(self, obj):
        return self.details(obj, title="Churn model v2", co_authors="ghost")


class TestDesignDocSectionEditPage(DesignDocPages, PageViewTestCases.EditPageTestCase):
    write_url_name = "designdocs:section_edit"
    audit_action = "designdoc.update"
    invalid_field = "text"
    invalid_message = "Null characters are not allowed."

    def url_kwargs(self, obj):
        return {"slug": obj.slug, "section_key": "problem_statement"}

    def valid_data(self, obj):
        return {"text": "Stock-outs cost us **2%** of revenue.", "version": obj.version}

    def invalid_data(self, obj):
        return {"text": "Stock-outs\x00", "version": obj.version}

    def assert_written(self, obj, data):
        assert content_of(obj)["problem_statement"] == data["text"]


class TestDesignDocDeletePage(DesignDocPages, PageViewTestCases.DeletePageTestCase):
    write_url_name = "designdocs:designdoc_delete"
    audit_action = "designdoc.delete"

    def valid_data(self, obj):
        return {}
