"""The shared API test cases (registry.core.testing.api) on the maturity endpoints."""

from __future__ import annotations

import pytest

from maturity.models import Assessment, MaturityModel
from maturity.services import assessment_create
from registry.core.testing import APIViewTestCases
from tests.designdocs.factories import DesignDocFactory

pytestmark = pytest.mark.django_db


class TestAssessmentAPI(
    APIViewTestCases.GetObjectViewTestCase,
    APIViewTestCases.ListObjectsViewTestCase,
    APIViewTestCases.CreateObjectViewTestCase,
):
    basename = "assessment"
    model = Assessment
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "alice"
    forbidden_writer = "dave"
    create_action = "maturity.assess"
    invalid_field = "subject_id"
    invalid_create_data = {"subject_type": "designdoc", "subject_id": "one", "model": "x",
                           "answers": {}}  # fmt: skip

    @pytest.fixture(autouse=True)
    def _doc(self, alice, team):
        self.doc = DesignDocFactory(owner_team=team, product_owner=alice)
        self.alice = alice

    def make_object(self):
        model = MaturityModel.objects.get(slug="ml-test-score")
        return assessment_create(
            actor=self.alice, subject=self.doc, model=model, answers={"data-1": "manual"}
        )

    def create_data(self):
        return {"subject_type": "designdoc", "subject_id": self.doc.pk, "model": "ml-test-score",
                "answers": {"data-1": "automated"}}  # fmt: skip


class TestMaturityModelAPI(
    APIViewTestCases.GetObjectViewTestCase,
    APIViewTestCases.ListObjectsViewTestCase,
    APIViewTestCases.CreateObjectViewTestCase,
):
    basename = "maturitymodel"
    model = MaturityModel
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "superuser"
    forbidden_writer = "alice"
    create_action = "maturity.model_create"
    invalid_field = "rule"
    invalid_create_data = {"slug": "ours", "name": "Ours", "rule": "magic", "categories": []}
    counter = 0

    def make_object(self):
        TestMaturityModelAPI.counter += 1
        return MaturityModel.objects.create(
            slug=f"m-{self.counter}", name="M", rule="weighted", not_applicable_rule="Left out."
        )

    def create_data(self):
        return {"slug": "ours", "name": "Ours", "rule": "weighted",
                "categories": [{"code": "a", "title": "A", "items": [{"code": "a1",
                                                                      "title": "One"}]}]}  # fmt: skip
