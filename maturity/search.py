"""The maturity band facet of the one search (registry.core.search): design docs,
components and architecture examples narrowed and counted by the band of their current
ML Test Score (the latest assessment against that model). Registered on the other apps'
types from this app's `apps.py` (`search.register_facet`), editing none of them."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from maturity import subjects
from maturity.models import Assessment
from maturity.selectors import PRIMARY_MODEL
from registry.core import search

KEY = "maturity"
FIELD = "maturity_band"  # the annotation the facet groups on: the band code, or None
#: search type key -> subject type key (maturity.subjects)
TYPES = {"design-docs": "designdoc", "components": "component", "architectures": "architecture"}


def band_annotation(subject_key: str):
    """(user) -> {FIELD: the band of each object's latest ML Test Score assessment the user
    may see}: one correlated subquery (on the subject index of assessments)."""

    def annotations(user) -> dict[str, Any]:
        subject_type = subjects.by_key(subject_key)
        latest = (
            Assessment.objects.restrict(user, "view")
            .filter(
                subject_type=subjects.content_type(subject_type),
                subject_id=OuterRef("pk"),
                model__slug=PRIMARY_MODEL,
            )
            .order_by("-assessed_at", "-id")
            .values("band")[:1]
        )
        return {FIELD: Subquery(latest)}

    return annotations


def register() -> None:
    for type_key, subject_key in TYPES.items():
        search.register_facet(
            type_key,
            search.Facet(
                KEY, "ML Test Score band", FIELD, annotations=band_annotation(subject_key)
            ),
        )
