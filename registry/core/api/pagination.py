from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """?limit=&offset= with a ceiling, so that no client can ask for the whole table."""

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    @property
    def default_limit(self) -> int:
        return min(25, settings.API_MAX_PAGE_SIZE)
