"""The shared API and page checks, applied to exports (get and list through the API, the
export page)."""

from __future__ import annotations

import pytest

from exports.choices import ExportStatus
from exports.models import PdfExport
from registry.core.testing import APIViewTestCases
from registry.core.testing.pages import PageViewTestCases
from tests.designdocs.factories import FullDesignDocFactory

_counter = [0]


def make_export() -> PdfExport:
    _counter[0] += 1
    doc = FullDesignDocFactory()
    return PdfExport.objects.create(
        design_doc=doc,
        revision=doc.revisions.get(),
        cache_key=f"{_counter[0]:064d}",
        title=doc.title,
        status=ExportStatus.QUEUED,
        requested_by=doc.product_owner,
    )


class TestExportAPI(
    APIViewTestCases.GetObjectViewTestCase, APIViewTestCases.ListObjectsViewTestCase
):
    basename = "export"
    model = PdfExport
    reader = "viewer"
    hidden_from = "user_without_role"

    def make_object(self):
        return make_export()


class TestExportPages(PageViewTestCases.DetailPageTestCase):
    model = PdfExport
    detail_url_name = "exports:export"
    reader = "viewer"
    hidden_from = "user_without_role"

    def make_object(self):
        return make_export()

    def url_kwargs(self, obj):
        return {"pk": obj.pk}


@pytest.mark.django_db
def test_export_list_of_a_doc_runs_a_fixed_number_of_queries(
    token_client, alice, django_assert_max_num_queries
):
    first = make_export()
    for _ in range(3):
        PdfExport.objects.create(
            design_doc=first.design_doc, revision=first.revision,
            cache_key=f"x{_counter[0]}{_}".ljust(64, "0"), title="t",
        )  # fmt: skip
    client = token_client(first.design_doc.product_owner)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/designdocs/{first.design_doc_id}/exports/")
    assert response.json()["count"] == 4
