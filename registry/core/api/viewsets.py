"""The base of every API viewset: querysets restricted to what the user may see, the
permission of the action the method implies checked on the object, and domain errors
turned into the one error shape (by the exception handler).

An object outside what the user may see answers 404 (its existence is not disclosed); one
the user sees but may not act on answers 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import permissions as drf_permissions
from rest_framework import viewsets

from registry.core.permissions import permission_name

#: HTTP method -> the action it performs on one object.
METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ActionPermission(drf_permissions.BasePermission):
    """The object permission of the viewset's action: a custom @action declares its own
    with `permission_action=...` in its kwargs, else the method's default."""

    def has_object_permission(self, request, view, obj) -> bool:
        action = getattr(view, "permission_action", None) or METHOD_ACTIONS.get(
            request.method, "change"
        )
        return request.user.has_perm(permission_name(type(obj), action), obj)


class RegistryViewSetMixin:
    """Subclasses may override `visible_queryset(user)` (usually a selector); the default
    is the model's `restrict(user, "view")`."""

    permission_classes = [drf_permissions.IsAuthenticated, ActionPermission]

    def visible_queryset(self, user) -> QuerySet:
        return self.queryset.model.objects.restrict(user, "view")

    def get_queryset(self) -> QuerySet:
        return self.visible_queryset(self.request.user)


class RegistryReadOnlyViewSet(RegistryViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
