"""What of the catalogue is searchable (registry.core.search)."""

from catalogue.models import ArchitectureExample, Component
from registry.core.search import Facet, Searchable

COMPONENTS = Searchable(
    key="components",
    label="Components",
    model=Component,
    # The name first, then what it is, then its description.
    fields={"name": "A", "kind": "B", "description": "C"},
    # Lean: what the result shows (its owner team), no counts or prefetches.
    queryset=lambda user: Component.objects.restrict(user, "view").select_related("owner_team"),
    result_template="catalogue/search_result_component.html",
    title_field="name",
    stored_vector="search_vector",
    facets=(
        Facet("kind", "Type", "kind"),
        Facet("team", "Owner team", "owner_team__slug", "owner_team__name"),
        Facet("lifecycle", "Lifecycle", "lifecycle"),
        Facet("tag", "Tag", "tags__name"),
    ),
    order=20,
)

ARCHITECTURES = Searchable(
    key="architectures",
    label="Architecture examples",
    model=ArchitectureExample,
    # Title over summary over the problem and narrative.
    fields={"title": "A", "summary": "B", "problem": "C", "body": "D"},
    queryset=lambda user: ArchitectureExample.objects.restrict(user, "view").select_related(
        "owner_team"
    ),
    result_template="catalogue/search_result_architecture.html",
    stored_vector="search_vector",
    facets=(
        Facet("team", "Owner team", "owner_team__slug", "owner_team__name"),
        Facet("lifecycle", "Lifecycle", "lifecycle"),
        Facet("tag", "Tag", "tags__name"),
    ),
    order=15,
)
