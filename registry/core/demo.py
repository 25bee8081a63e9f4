"""Demo data seeders, registered by each app (`manage.py seed_demo` runs them in order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    seed: Callable[[], str]  # creates what is missing, returns a summary ("3 design docs")
    order: int = 100


_seeders: dict[str, DemoSeeder] = {}


def register(seeder: DemoSeeder) -> DemoSeeder:
    _seeders[seeder.key] = seeder
    return seeder


def seeders() -> list[DemoSeeder]:
    return sorted(_seeders.values(), key=lambda s: (s.order, s.key))
