"""The maturity band facet of the one search (registry.core.search): design docs,
components and architecture examples narrowed and counted by the band of their current
ML Test Score (the latest assessment against that model). Registered on the other apps'
types from this app's `apps.py` (`search.register_facet`), editing none of them."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, F, Func, OuterRef, Subquery, Value

from maturity import subjects
from maturity.models import Assessment, MaturityModel
from maturity.selectors import PRIMARY_MODEL
from registry.core import permissions, search

KEY = "maturity"
FIELD = "maturity_band"  # the annotation the facet groups on: the band code, or None
#: search type key -> subject type key (maturity.subjects)
TYPES = {"design-docs": "designdoc", "components": "component", "architectures": "architecture"}


class LatestBand(Func):
    """The band of the subject's (the object's pk) latest assessment against the primary
    model, for a user who may see every assessment: one correlated subquery on the
    subject index of assessments, written out because the ORM's Subquery costs more to
    build than it costs to run here (the one search builds it per type and request)."""

    output_field = CharField()

    def __init__(self, content_type_id: int):
        super().__init__(F("pk"), Value(content_type_id), Value(PRIMARY_MODEL))

    def as_sql(self, compiler, connection, **extra):
        quote = connection.ops.quote_name
        assessments, models = (quote(m._meta.db_table) for m in (Assessment, MaturityModel))
        template = (
            f"(SELECT a.band FROM {assessments} a WHERE a.subject_id = %(pk)s"  # noqa: S608 (names)
            " AND a.subject_type_id = %(type)s"
            f" AND a.model_id = (SELECT m.id FROM {models} m WHERE m.slug = %(slug)s)"
            " ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1)"
        )
        (pk, pk_params), (ct, ct_params), (slug, slug_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return template % {"pk": pk, "type": ct, "slug": slug}, [
            *pk_params,
            *ct_params,
            *slug_params,
        ]


def band_annotation(subject_key: str):
    """(user) -> {FIELD: the band of each object's latest ML Test Score assessment the user
    may see}: one correlated subquery (on the subject index of assessments)."""

    def annotations(user) -> dict[str, Any]:
        subject_type = subjects.by_key(subject_key)
        if permissions.allows(user, "maturity.view_assessment"):  # every assessment
            return {FIELD: LatestBand(subjects.content_type(subject_type).pk)}
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
