"""Facts other apps contribute to an object's pages and API representations.

An app that knows something about another app's objects (maturity knows the current
maturity score of a design doc) registers a *bulk* provider for that model; the owning app
shows every registered fact without importing the contributor:

    facts.register(FactProvider("maturity", "designdocs.designdoc", maturity_facts))

A provider takes a list of objects and the user, and answers {pk: value} in a fixed number
of queries whatever the length of the list (a list page calls it once per page). A value is
JSON-ready (dict, str, number, None); an object it knows nothing about is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FactProvider:
    key: str
    model: str  # the model's label_lower, e.g. "designdocs.designdoc"
    provide: Callable[[Sequence[Any], Any], dict[Any, Any]]
    order: int = 100


_providers: dict[tuple[str, str], FactProvider] = {}


def register(provider: FactProvider) -> FactProvider:
    _providers[(provider.model, provider.key)] = provider
    return provider


def providers_for(model_label: str) -> list[FactProvider]:
    return sorted(
        (p for (m, _), p in _providers.items() if m == model_label), key=lambda p: (p.order, p.key)
    )


def keys_for(model_label: str) -> list[str]:
    return [p.key for p in providers_for(model_label)]


def bulk_facts(objects: Iterable[Any], *, user) -> dict[Any, dict[str, Any]]:
    """{pk: {key: value}} for `objects` (all of one model), every registered key present
    (None where a provider knows nothing)."""
    objects = list(objects)
    if not objects:
        return {}
    label = objects[0]._meta.label_lower
    result: dict[Any, dict[str, Any]] = {obj.pk: {} for obj in objects}
    for provider in providers_for(label):
        values = provider.provide(objects, user)
        for obj in objects:
            result[obj.pk][provider.key] = values.get(obj.pk)
    return result


def facts_for(obj: Any, *, user) -> dict[str, Any]:
    return bulk_facts([obj], user=user).get(obj.pk, {})
