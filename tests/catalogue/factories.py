from __future__ import annotations

import factory

from catalogue.models import ArchitectureExample, Component
from tests.factories import TeamFactory


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    name = factory.Sequence(lambda n: f"Component {n}")
    slug = factory.Sequence(lambda n: f"component-{n}")
    kind = "service"
    owner_team = factory.SubFactory(TeamFactory)
    lifecycle = "production"


class ArchitectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArchitectureExample

    title = factory.Sequence(lambda n: f"Architecture {n}")
    slug = factory.Sequence(lambda n: f"architecture-{n}")
    summary = "A reference architecture."
    owner_team = factory.SubFactory(TeamFactory)
    lifecycle = "production"
