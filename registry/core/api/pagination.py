from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination

from registry.core import search


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """?limit=&offset= with a ceiling, so that no client can ask for the whole table.

    A list searched with `?q=` (registry.core.search.filter_text) answers `count_capped`
    too: true when it has more matches than the search counts (`search.CANDIDATES`, on
    PostgreSQL); `count` is then that number, a lower bound, and only those first
    matches found (the best-ranked first) are paginated."""

    count_capped: bool | None = None
    _known_count: int | None = None

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    @property
    def default_limit(self) -> int:
        return min(25, settings.API_MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset, request, view=None):
        self.count_capped, self._known_count = None, None
        if search.is_text_search(queryset):
            queryset, self._known_count, self.count_capped = search.capped_matches(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().get_count(queryset)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.count_capped is not None:
            response.data["count_capped"] = self.count_capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "With `q`: more matches than the search counts; `count` is a "
            "lower bound and only the first matches found, the best-ranked first, are listed.",
        }
        return schema
