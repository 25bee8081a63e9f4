"""Components and architecture examples are assessment subjects, and their API shows
their lifecycle and current maturity (registry.core.facts) at a fixed number of queries."""

from __future__ import annotations

import pytest

from maturity.models import MaturityModel
from maturity.services import assessment_create
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory
from tests.maturity.test_assessments import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def mts():
    return MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="ml-test-score"
    )


@pytest.mark.parametrize(
    ("factory", "path"), [(ComponentFactory, "components"), (ArchitectureFactory, "architectures")]
)
def test_catalogue_entries_show_lifecycle_and_current_maturity(
    factory, path, alice, team, mts, token_client, django_assert_max_num_queries
):
    entries = [factory(owner_team=team) for _ in range(3)]
    assessment_create(actor=alice, subject=entries[0], model=mts, answers=every(3, mts))
    client = token_client(alice)
    with django_assert_max_num_queries(20) as few:
        small = client.get(f"/api/{path}/?limit=50")
    for _ in range(6):
        factory(owner_team=team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(f"/api/{path}/?limit=50")
    assert small.status_code == large.status_code == 200
    rows = {row["id"]: row for row in large.json()["results"]}
    assessed = rows[entries[0].pk]
    assert assessed["lifecycle"] == "production"
    maturity = assessed["facts"]["maturity"]
    assert (maturity["model"], maturity["score"], maturity["band"]) == (
        "ml-test-score",
        "3.00",
        "3",
    )
    assert maturity["assessed_at"]
    assert rows[entries[1].pk]["facts"] == {"maturity": None}
    detail = client.get(f"/api/{path}/{entries[0].slug}/").json()
    assert detail["facts"]["maturity"]["score"] == "3.00"
