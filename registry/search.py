"""The one search module of the product.

On PostgreSQL: full-text search (`websearch_to_tsquery`, which never fails on user syntax)
ranked by `ts_rank`, weighted title first. On the SQLite default: every word must appear
(case-insensitive) in one of the searched fields, title matches first. Ranking therefore
differs between the two; the set of matches for plain words is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Model, Q, QuerySet, Value, When
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
EXCERPT_CHARS = 180
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
    "other_notes": "D",
}


TEAM_FIELDS = {"name": "A", "description": "B"}


def clean_query(q: str) -> str:
    # PostgreSQL refuses NUL in any text parameter; it is never meaningful in a query.
    return " ".join((q or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _terms(q: str) -> list[str]:
    return [t.strip("\"'") for t in clean_query(q).split() if t.strip("\"'")][:MAX_TERMS]


def weighted_vector(weights: dict[str, str]):
    """The tsvector of the searched fields, weighted (A title ... D least)."""
    return reduce(
        lambda a, b: a + b,
        (
            SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            for name, weight in weights.items()
        ),
    )


def refresh_designdoc_search_vector(doc_id: int) -> None:
    """Recompute the stored, GIN-indexed tsvector of one document (PostgreSQL only; the
    SQLite default searches the columns directly). Services call it after every write."""
    if connection.vendor != "postgresql":
        return
    from designdocs.models import DesignDoc

    DesignDoc.objects.filter(pk=doc_id).update(search_vector=weighted_vector(DESIGNDOC_FIELDS))


def _filter_text(
    queryset: QuerySet, q: str, weights: dict[str, str], stored_vector: str | None = None
) -> QuerySet:
    q = clean_query(q)
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        vector = F(stored_vector) if stored_vector else weighted_vector(weights)
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
            queryset.alias(matched_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(matched_vector=query) | title_hit)
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


def filter_teams(queryset: QuerySet, q: str) -> QuerySet:
    """Teams of `queryset` whose name or description holds every word of `q`."""
    terms = _terms(q)
    if not terms:
        return queryset
    return queryset.filter(
        reduce(
            and_, (reduce(or_, (Q(**{f"{f}__icontains": t}) for f in TEAM_FIELDS)) for t in terms)
        )
    )


def filter_designdocs(queryset: QuerySet, q: str) -> QuerySet:
    """Design docs of `queryset` matching the text `q`, best first."""
    return _filter_text(queryset, q, DESIGNDOC_FIELDS, stored_vector="search_vector")


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
    teams = filter_teams(team_list(user=user), results.query)
    results.groups["Teams"] = list(teams[:limit_per_type])
    return results


def highlight_excerpt(text: str, terms: list[str], width: int = EXCERPT_CHARS) -> SafeString | None:
    """A short passage of `text` around the first matching term, the term wrapped in <mark>.
    Everything else is escaped; None when no term occurs."""
    if not text or not terms:
        return None
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space != -1 else end
    passage = " ".join(text[start:end].split())
    parts: list[str] = ["…" if start > 0 else ""]
    position = 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        position = match.end()
    parts.append(escape(passage[position:]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (each part escaped above)


def matched_passage(obj: Model, q: str) -> tuple[str, SafeString | None]:
    """(field label, highlighted excerpt) of the first searched field of `obj` where a word
    of `q` occurs, trying fields in their weight order; ("", None) when none does."""
    from designdocs.models import DesignDoc

    fields = DESIGNDOC_FIELDS if isinstance(obj, DesignDoc) else TEAM_FIELDS
    terms = _terms(q)
    for name in fields:
        excerpt = highlight_excerpt(getattr(obj, name, "") or "", terms)
        if excerpt is not None:
            return name.replace("_", " "), excerpt
    return "", None
