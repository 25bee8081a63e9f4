"""The main menu's registry: each app adds its entries from its AppConfig, so that adding
an app edits no shared template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str  # reversed without arguments
    namespace: str = ""  # the URL namespace of the pages the entry is current on
    order: int = 100
    #: (request) -> a number shown beside the label (e.g. unread notifications), or None
    count: Callable[[Any], int | None] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        if self.namespace:
            return match.namespace == self.namespace
        return match.view_name == self.url_name


_items: dict[str, MenuItem] = {}


def register(item: MenuItem) -> MenuItem:
    _items[item.url_name] = item
    return item


def menu_items() -> list[MenuItem]:
    return sorted(_items.values(), key=lambda i: (i.order, i.label))
