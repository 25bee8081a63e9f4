"""The base of every API viewset: querysets restricted to what the user may see, and
domain errors turned into the one error shape (by the exception handler)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import viewsets


class RegistryViewSetMixin:
    """Subclasses implement `visible_queryset(user)` (usually a selector). Objects outside
    it answer 404, never 403, so that their existence is not disclosed."""

    def visible_queryset(self, user) -> QuerySet:
        raise ImproperlyConfigured(f"{type(self).__name__} must say what a user may see.")

    def get_queryset(self) -> QuerySet:
        return self.visible_queryset(self.request.user)


class RegistryReadOnlyViewSet(RegistryViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
