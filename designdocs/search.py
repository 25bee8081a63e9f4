"""What of design documents is searchable (registry.core.search)."""

from designdocs.models import DesignDoc
from registry.core.search import Facet, Searchable

DESIGNDOCS = Searchable(
    key="design-docs",
    label="Design docs",
    model=DesignDoc,
    # Weights: the title first, then the problem and value, then how it is built.
    fields={
        "title": "A",
        "problem_statement": "B",
        "business_value": "B",
        "architecture": "C",
        "data": "C",
        "deployment_constraints": "D",
        "alternatives": "D",
        "open_questions": "D",
        "other_notes": "D",
    },
    queryset=lambda user: DesignDoc.objects.restrict(user, "view").select_related(
        "owner_team", "product_owner"
    ),
    result_template="designdocs/search_result.html",
    stored_vector="search_vector",
    facets=(
        Facet("team", "Team", "owner_team__slug", "owner_team__name"),
        Facet("status", "Status", "status"),
        Facet("stage", "Stage", "stage"),
    ),
    order=10,
)
