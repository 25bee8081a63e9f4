"""The one search module of the product.

On PostgreSQL: full-text search (`websearch_to_tsquery`, which never fails on user syntax)
ranked by `ts_rank`, weighted title first. On the SQLite default: every word must appear
(case-insensitive) in one of the searched fields, title matches first. Ranking therefore
differs between the two; the set of matches for plain words is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SEARCH_CONFIG = "english"

DESIGNDOC_FIELDS = {
    "title": "A",
    "problem_statement": "B",
    "business_value": "B",
    "architecture": "C",
    "data": "C",
    "deployment_constraints": "D",
    "alternatives": "D",
    "open_questions": "D",
}


def clean_query(q: str) -> str:
    # PostgreSQL refuses NUL in any text parameter; it is never meaningful in a query.
    return " ".join((q or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _terms(q: str) -> list[str]:
    return [t.strip("\"'") for t in clean_query(q).split() if t.strip("\"'")][:MAX_TERMS]


def _filter_text(queryset: QuerySet, q: str, weights: dict[str, str]) -> QuerySet:
    q = clean_query(q)
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        vector = reduce(
            lambda a, b: a + b,
            (
                SearchVector(name, weight=weight, config=SEARCH_CONFIG)
                for name, weight in weights.items()
            ),
        )
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        # A title containing the words also matches (prefixes, names that stemming misses).
        title_hit = (
            reduce(and_, (Q(title__icontains=t) for t in _terms(q)), Q())
            if _terms(q)
            else Q(pk=None)
        )
        # Match with @@, not `rank > 0`: ts_rank also scores documents that contain only
        # some of the words (or a negated one), which the query does not match.
        return (
            queryset.alias(search_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(search_vector=query) | title_hit)
            .order_by("-search_rank", "-id")
        )
    terms = _terms(q)
    if not terms:
        return queryset
    per_term = [
        reduce(or_, (Q(**{f"{name}__icontains": term}) for name in weights)) for term in terms
    ]
    title_all = reduce(and_, (Q(title__icontains=term) for term in terms))
    return (
        queryset.filter(reduce(and_, per_term))
        .annotate(
            search_rank=Case(
                When(title_all, then=Value(2)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("-search_rank", "-id")
    )


def filter_designdocs(queryset: QuerySet, q: str) -> QuerySet:
    """Design docs of `queryset` matching the text `q`, best first."""
    return _filter_text(queryset, q, DESIGNDOC_FIELDS)


@dataclass
class SearchResults:
    query: str
    groups: dict[str, list] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.groups.values())


def search(*, user, q: str, limit_per_type: int = 20) -> SearchResults:
    """One search across what `user` may see, grouped by type."""
    from designdocs.selectors import designdoc_list
    from registry.catalogue.selectors import team_list

    results = SearchResults(query=clean_query(q))
    if not results.query:
        return results
    results.groups["Design docs"] = list(
        filter_designdocs(designdoc_list(user=user), results.query)[:limit_per_type]
    )
    terms = _terms(results.query)
    teams = team_list(user=user)
    if terms:
        teams = teams.filter(
            reduce(and_, (Q(name__icontains=t) | Q(description__icontains=t) for t in terms))
        )
    results.groups["Teams"] = list(teams[:limit_per_type])
    return results
