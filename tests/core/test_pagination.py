import pytest
from rest_framework.test import APIRequestFactory

from registry.core.api.pagination import CappedLimitOffsetPagination


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("cap", "query", "expected"), [(100, "", 25), (10, "", 10), (10, "?limit=50", 10)]
)
def test_page_size_never_exceeds_the_cap_with_or_without_a_limit(settings, cap, query, expected):
    settings.API_MAX_PAGE_SIZE = cap
    request = APIRequestFactory().get(f"/api/teams/{query}")
    from rest_framework.request import Request

    page = CappedLimitOffsetPagination().paginate_queryset(list(range(200)), Request(request))
    assert len(page) == expected
