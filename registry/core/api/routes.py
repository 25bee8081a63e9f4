"""The API's one router. Each app registers its viewsets from its AppConfig (`ready`), so
that /api/ lists every collection and adding an app edits no URL configuration but the
project's list of installed apps."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register(prefix: str, viewset, *, basename: str) -> None:
    router.register(prefix, viewset, basename=basename)
