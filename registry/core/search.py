"""The one search of the product, and the registry that apps fill.

An app declares what of it is searchable in its `search.py` (imported by its AppConfig):

    search.register(Searchable(key="design-docs", label="Design docs", model=DesignDoc,
        fields={"title": "A", "problem_statement": "B"}, queryset=visible_docs,
        result_template="designdocs/search_result.html", stored_vector="search_vector",
        facets=(Facet("team", "Team", "owner_team__slug", "owner_team__name"),)))

On PostgreSQL: full-text search (`websearch_to_tsquery`, which never fails on user syntax)
ranked by `ts_rank`, title first. On the SQLite default: every word must appear
(case-insensitive) in one of the searched fields, title matches first. Ranking therefore
differs between the two; the set of matches for plain words is the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Model, Q, QuerySet, Value, When
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from registry.core.errors import DomainError
from registry.core.text import text_problem

MAX_QUERY_LENGTH = 200
EXCERPT_CHARS = 180
MAX_TERMS = 12
SEARCH_CONFIG = "english"
RESULTS_PER_GROUP = 5  # on the all-types page; each group links to all its results
RESULTS_PER_PAGE = 20  # one type's results, paginated
FACET_VALUES_SHOWN = 20


@dataclass(frozen=True)
class Facet:
    """A field the results of one type can be narrowed by, counted per value."""

    key: str  # URL parameter
    label: str
    field: str  # lookup of the value, e.g. "owner_team__slug"
    label_field: str = ""  # lookup of the value's label; the value itself when empty


@dataclass(frozen=True)
class Searchable:
    key: str  # URL value of ?type=, e.g. "design-docs"
    label: str  # "Design docs"
    model: type[Model]
    fields: dict[str, str]  # field -> weight, A (most) to D
    queryset: Callable[[Any], QuerySet]  # (user) -> what the user may see, ready to show
    result_template: str  # renders one result: `object`, `where`, `passage`
    title_field: str = "title"
    stored_vector: str = ""  # a GIN-indexed SearchVectorField kept by the app's services
    facets: tuple[Facet, ...] = ()
    order: int = 100


_searchables: dict[str, Searchable] = {}


def register(searchable: Searchable) -> Searchable:
    _searchables[searchable.key] = searchable
    return searchable


def searchables() -> list[Searchable]:
    return sorted(_searchables.values(), key=lambda s: (s.order, s.label))


def searchable_for(model: type[Model]) -> Searchable | None:
    return next((s for s in _searchables.values() if s.model is model), None)


def clean_query(q: str) -> str:
    # PostgreSQL refuses NUL in any text parameter; it is never meaningful in a query.
    return " ".join((q or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def terms_of(q: str) -> list[str]:
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


def refresh_search_vector(obj: Model) -> None:
    """Recompute the stored tsvector of one object (PostgreSQL only; the SQLite default
    searches the columns directly). The owning app's services call it after every write."""
    searchable = searchable_for(type(obj))
    if connection.vendor != "postgresql" or searchable is None or not searchable.stored_vector:
        return
    type(obj).objects.filter(pk=obj.pk).update(
        **{searchable.stored_vector: weighted_vector(searchable.fields)}
    )


def filter_text(queryset: QuerySet, q: str, searchable: Searchable) -> QuerySet:
    """The objects of `queryset` matching the words of `q`, best first."""
    q = clean_query(q)
    terms = terms_of(q)
    if not q or not terms:
        return queryset
    title = searchable.title_field
    title_all = reduce(and_, (Q(**{f"{title}__icontains": t}) for t in terms))
    if connection.vendor == "postgresql":
        vector = (
            F(searchable.stored_vector)
            if searchable.stored_vector
            else weighted_vector(searchable.fields)
        )
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        # Match with @@, not `rank > 0`: ts_rank also scores documents that contain only
        # some of the words (or a negated one), which the query does not match. A title
        # containing the words also matches (prefixes, names that stemming misses).
        return (
            queryset.alias(matched_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(matched_vector=query) | title_all)
            .order_by("-search_rank", "-pk")
        )
    per_term = [
        reduce(or_, (Q(**{f"{name}__icontains": term}) for name in searchable.fields))
        for term in terms
    ]
    return (
        queryset.filter(reduce(and_, per_term))
        .annotate(
            search_rank=Case(
                When(title_all, then=Value(2)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("-search_rank", "-pk")
    )


def parameters(query_params) -> dict:
    """The search parameters of a request (page or API), strictly: an over-long query, an
    unknown type, page or facet is a DomainError naming the parameter, never a guess."""
    q = query_params.get("q", "")
    problem = text_problem(q)
    if problem:
        raise DomainError(f"q: {problem}", field="q")
    if len(q) > MAX_QUERY_LENGTH:
        raise DomainError(
            f"q is at most {MAX_QUERY_LENGTH} characters (it has {len(q)}).", field="q"
        )
    kind = query_params.get("type", "")
    keys = [s.key for s in searchables()]
    if kind and kind not in keys:
        raise DomainError(f"type must be one of: {', '.join(keys)} (not “{kind}”).", field="type")
    page = query_params.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < int(page) < 10_000):
        raise DomainError("page must be a whole number from 1.", field="page")
    facet_keys = {f.key for s in searchables() if s.key == kind for f in s.facets}
    facets = {}
    for name, value in query_params.items():
        if name in ("q", "type", "page"):
            continue
        if name not in facet_keys:
            known = ", ".join(sorted(facet_keys)) or "none without `type`"
            raise DomainError(f"Unknown parameter “{name}” (facets: {known}).", field=name)
        if text_problem(value) or len(value) > 200:
            raise DomainError(f"{name}: not a value of this facet.", field=name)
        facets[name] = value
    return {"q": q, "type": kind, "page": int(page), "facets": facets}


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    facet: Facet
    values: list[FacetCount]


@dataclass
class SearchGroup:
    searchable: Searchable
    count: int  # every match, not only those shown
    items: list[dict[str, Any]]  # {"object", "where", "passage"}
    page: Page | None = None  # when this type alone is shown
    facets: list[FacetGroup] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.searchable.key

    @property
    def name(self) -> str:
        return self.searchable.label


@dataclass
class SearchResults:
    query: str
    type: str = ""
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def _choice_labels(model: type[Model], lookup: str) -> dict[str, str]:
    """The display labels of a choice field (`status` -> {"draft": "Draft"}), else {}."""
    if "__" in lookup:
        return {}
    field = model._meta.get_field(lookup)
    return {str(value): str(label) for value, label in (field.choices or [])}


def _facet_counts(queryset: QuerySet, facet: Facet, selected: str) -> FacetGroup:
    label_field = facet.label_field or facet.field
    labels = {} if facet.label_field else _choice_labels(queryset.model, facet.field)
    rows = (
        queryset.order_by()
        .values(facet.field, label_field)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", label_field)[:FACET_VALUES_SHOWN]
    )
    values = [
        FacetCount(
            value=str(row[facet.field]),
            label=labels.get(str(row[label_field]), str(row[label_field])),
            count=row["n"],
            selected=str(row[facet.field]) == selected,
        )
        for row in rows
        if row[facet.field] is not None
    ]
    return FacetGroup(facet=facet, values=values)


def search(
    *, user, q: str, type: str = "", facets: dict[str, str] | None = None, page: Any = 1
) -> SearchResults:
    """One search across what `user` may see, grouped by type with true counts. With `type`
    that type's results are paginated and its facets counted (and applied from `facets`)."""
    results = SearchResults(query=clean_query(q), type=type if type in _searchables else "")
    if not results.query:
        return results
    facets = facets or {}
    for searchable in searchables():
        matches = filter_text(searchable.queryset(user), results.query, searchable)
        alone = results.type == searchable.key
        facet_groups = []
        if alone:
            for facet in searchable.facets:
                facet_groups.append(_facet_counts(matches, facet, facets.get(facet.key, "")))
            for facet in searchable.facets:
                if facets.get(facet.key):
                    matches = matches.filter(**{facet.field: facets[facet.key]})
        count = matches.count()
        if alone:
            shown = Paginator(matches, RESULTS_PER_PAGE).get_page(page)
            objects = list(shown.object_list)
        else:
            shown, objects = None, list(matches[:RESULTS_PER_GROUP]) if count else []
        items = [_result(obj, results.query, searchable) for obj in objects]
        results.groups.append(
            SearchGroup(
                searchable=searchable, count=count, items=items, page=shown, facets=facet_groups
            )
        )
    return results


def _result(obj: Model, q: str, searchable: Searchable) -> dict[str, Any]:
    where, passage = matched_passage(obj, q, searchable)
    return {"object": obj, "where": where, "passage": passage}


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


def matched_passage(obj: Model, q: str, searchable: Searchable) -> tuple[str, SafeString | None]:
    """(field label, highlighted excerpt) of the first searched field of `obj` where a word
    of `q` occurs, trying fields in their weight order; ("", None) when none does."""
    terms = terms_of(q)
    for name in sorted(searchable.fields, key=lambda n: searchable.fields[n]):
        excerpt = highlight_excerpt(getattr(obj, name, "") or "", terms)
        if excerpt is not None:
            return str(obj._meta.get_field(name).verbose_name), excerpt
    return "", None
