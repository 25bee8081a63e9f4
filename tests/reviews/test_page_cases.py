"""The shared page checks (registry.core.testing.pages) on the review pages."""

from __future__ import annotations

from designdocs.models import DesignDoc
from registry.core.testing.pages import PageViewTestCases
from tests.designdocs.factories import DesignDocFactory


class TestReviewPage(PageViewTestCases.DetailPageTestCase):
    model = DesignDoc
    detail_url_name = "reviews:review"
    reader = "viewer"
    hidden_from = "user_without_role"

    def make_object(self):
        return DesignDocFactory()
