"""The one search of the product, and the registry that apps fill.

An app declares what of it is searchable in its `search.py` (imported by its AppConfig):

    search.register(Searchable(key="design-docs", label="Design docs", model=DesignDoc,
        fields={"title": "A", "problem_statement": "B"}, queryset=visible_docs,
        result_template="designdocs/search_result.html", stored_vector="search_vector",
        facets=(Facet("team", "Owner team", "owner_team__slug", "owner_team__name"),)))

`fields` maps each searched field to its weight (A title, B summary, C/D body);
`stored_vector` names a GIN-indexed `SearchVectorField` the app's services keep with
`refresh_search_vector(obj)`; `vector_column` instead names a tsvector column PostgreSQL
generates (`migration_operations.GeneratedSearchVector`, no model field: kept on every
write, whoever writes); without either the vector is computed per query (fine for a few
thousand rows). Facets are declared per registration; a facet key several types share
("team", "lifecycle", "tag", "maturity") is counted across them on the all-types search.

PostgreSQL: `websearch_to_tsquery` (bare operators dropped first: they can overflow it)
OR, when the last word is not a whole indexed word, the same words with the last one a
prefix, parsed once per search in one statement (`ts_query`) and sent to the others as a
tsquery (`ParsedQuery`); typo tolerance through a trigram-indexed table of the indexed words
(`SearchWord`, pg_trgm) when the words find (almost) nothing. Scale: one statement reads,
for every type (UNION ALL), its first `CANDIDATES` + 1 matches through the GIN index, each
with its single-valued facet values, whether it matches in the title and its `ts_rank`: the
count stops there (a larger one is reported as "more than 500", `count_capped`, never as an
exact number; facet counts over a capped set say so). When a type has more, its title
matches among the rest (through a title index, up to `RANKED`) are read too. Title matches
come first, then by rank. Passages come from `ts_headline`, one per shown result, escaped
here.

Compiled once: for a user who sees a type whole (their `queryset(user)` is the whole
table: they may see every object), that type's candidates statement does not depend on
who they are; it is compiled once per process under a key of the facets selected, the
facet annotations' expressions and the caps (`_statement_key`) and reused with the words
as a parameter. A narrower queryset is compiled per search.

Registration API (unchanged in shape; what changed): `Facet` may cross a many-to-many
(tags), `queryset(user)` should be lean (it is filtered several times), and a type without a
stored vector gets its PostgreSQL indexes from `migration_operations.SearchIndexes`.

Facets from another app: `search.register_facet("design-docs", Facet(...))` adds a facet to
a type another app registers (before or after it registers), from the adding app's
`apps.py`, editing neither the type nor its app. Its value is any ORM lookup or, through
`Facet(..., annotations=lambda user: {"name": expression})`, an annotation of the type's
queryset (a `Subquery` of the other app's table, for the searching user: it reads only what
they may see) that `field` names. Maturity adds "maturity" (the band of each subject's
latest ML Test Score assessment) to design docs, components and architecture examples:

    search.register_facet("components", Facet("maturity", "ML Test Score band",
        "maturity_band", annotations=lambda user: {"maturity_band": Subquery(...)}))

An annotated facet is single-valued (one value or None per object); its value is counted in
the candidates query and selecting it filters the annotation, on PostgreSQL and SQLite.

Per request on PostgreSQL: one statement parsing the words, one for every type's
candidates, and per type with matches: one for its title matches past the candidates (when
capped), one for a many-to-many facet's values, one loading the shown objects and one for
their passages (`ts_headline` over at most HEADLINE_CHARS of the one field each is
headlined from). The list pages' `?q=` (`filter_text`) ranks in one query (UNION ALL of the
title matches and the first found, both ranked); their API pagination (`capped_matches`)
lists the first CANDIDATES found, the ranked first, with `count_capped` when there are
more: a page of a list of 30,000 matches reads 501 ids and its own rows, never every match.

SQLite (the embedded default): every word must appear (case-insensitive) in one of the
searched fields, title matches first; counts are exact; passages are found in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchQueryCombinable,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.sql import Query as SqlQuery
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from registry.core.errors import DomainError
from registry.core.text import text_problem

MAX_QUERY_LENGTH = 200  # a longer query is searched by its first 200 characters, and says so
EXCERPT_CHARS = 180
MAX_TERMS = 12
SEARCH_CONFIG = "english"
RESULTS_PER_GROUP = 5  # on the all-types page; each group links to all its results
RESULTS_PER_PAGE = 20  # one type's results, paginated
FACET_VALUES_SHOWN = 20
#: PostgreSQL: how many matches are ranked (per tier) and counted exactly, per type.
CANDIDATES = 500
#: Of them, how many found anywhere are ranked (with every title match up to as many).
RANKED = 100
#: Fewer matches than this in all types and the typo correction is tried.
FEW_MATCHES = 3
MIN_PREFIX = 3  # a last word shorter than this is not also matched as a prefix
MIN_TYPO_WORD = 4  # shorter words are not corrected
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private-use markers for ts_headline
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Facet:
    """A field the results of one type can be narrowed by, counted per value.

    `field` is a lookup `values()` can group on (a column, a foreign key's column, a
    many-to-many's column: "owner_team__slug", "lifecycle", "tags__slug"); `label_field`
    the lookup of the value's label (the choice label or the value itself when empty).
    Types that declare the same `key` share the facet on the all-types search."""

    key: str  # URL parameter
    label: str
    field: str
    label_field: str = ""
    #: (user) -> {name: expression}: annotations that `field` (and `label_field`) name,
    #: for a value another app computes per object (maturity's band of the subject's
    #: latest assessment, a Subquery). The user is the searcher's: an annotation reads
    #: only what they may see. A value is single (one per object) and may be None.
    annotations: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Searchable:
    key: str  # URL value of ?type=, e.g. "design-docs"
    label: str  # "Design docs"
    model: type[Model]
    fields: dict[str, str]  # field -> weight, A (most) to D
    queryset: Callable[[Any], QuerySet]  # (user) -> what the user may see, ready to show
    result_template: str  # renders one result: `result.object`, `.where`, `.passage`
    title_field: str = "title"
    stored_vector: str = ""  # a GIN-indexed SearchVectorField kept by the app's services
    #: Or: a GIN-indexed tsvector column the database generates (PostgreSQL only, made by
    #: the app's migration with `migration_operations.GeneratedSearchVector`; no field).
    vector_column: str = ""
    facets: tuple[Facet, ...] = ()
    order: int = 100


_searchables: dict[str, Searchable] = {}
_added_facets: dict[str, dict[str, Facet]] = {}  # searchable key -> facet key -> facet


def register(searchable: Searchable) -> Searchable:
    """Register a type (its facets with those other apps added to it, see register_facet)."""
    declared = {f.key for f in searchable.facets}
    added = [f for k, f in _added_facets.get(searchable.key, {}).items() if k not in declared]
    if added:
        searchable = replace(searchable, facets=(*searchable.facets, *added))
    _searchables[searchable.key] = searchable
    _found_statements.clear()  # compiled for the registrations as they were
    return searchable


def register_facet(key: str, facet: Facet) -> None:
    """Add `facet` to the type registered (now or later) as `key`: how an app adds a facet
    to another app's type without editing it (maturity's band on design docs, components
    and architecture examples). A facet key the type declares itself wins."""
    _added_facets.setdefault(key, {})[facet.key] = facet
    if key in _searchables:
        register(_searchables[key])


def searchables() -> list[Searchable]:
    return sorted(_searchables.values(), key=lambda s: (s.order, s.label))


def searchable_for(model: type[Model]) -> Searchable | None:
    return next((s for s in _searchables.values() if s.model is model), None)


# -- the query ------------------------------------------------------------------------------

_UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ue000\ue001]")


def clean_query(q: str) -> str:
    """The query as searched: controls (NUL included: PostgreSQL refuses it), lone surrogates
    and the passage markers become spaces, runs of space one, at most MAX_QUERY_LENGTH."""
    return " ".join(_UNSEARCHABLE.sub(" ", q or "").split())[:MAX_QUERY_LENGTH].strip()


def is_truncated(q: str) -> bool:
    return len(" ".join(_UNSEARCHABLE.sub(" ", q or "").split())) > MAX_QUERY_LENGTH


def terms_of(q: str) -> list[str]:
    """The words of `q` (letters and digits), without websearch's `or` and `-words`."""
    words = []
    for token in clean_query(q).split():
        if token.lower() == "or" or token.startswith("-"):
            continue
        words.extend(_WORD.findall(token))
    return words[:MAX_TERMS]


def _prefix_word(q: str) -> str:
    """The last word of `q` when it may be a word being typed: plain (not negated, not in
    an open quote), at least MIN_PREFIX characters; else ""."""
    if q.count('"') % 2 or not q or not _WORD.fullmatch(q.split()[-1]):
        return ""
    last = q.split()[-1]
    return last if len(last) >= MIN_PREFIX and last.lower() != "or" else ""


def _combine(left, connector: str, right) -> CombinedSearchQuery:
    # With its output field: Django cannot infer it where a combination is an argument.
    return CombinedSearchQuery(left, connector, right, None, output_field=SearchQueryField())


def _or(left, right) -> CombinedSearchQuery:
    return _combine(left, SearchQueryCombinable.BITOR, right)


def _and(left, right) -> CombinedSearchQuery:
    return _combine(left, SearchQueryCombinable.BITAND, right)


def _websearch_text(q: str) -> str:
    """`q` without the tokens that hold no letter or digit (a quote alone stays): many
    bare operators ("- - - ...") overflow websearch_to_tsquery's stack."""
    return " ".join(t for t in q.split() if t == '"' or _WORD.search(t))


class ParsedQuery(SearchQuery):
    """A tsquery parsed once per search (`ts_query`) and sent as its text, `%s::tsquery`:
    every statement of the search reuses it instead of parsing the words again (and
    building it costs no more than a value)."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")
        self.text = text

    def as_sql(self, compiler, connection, function=None, template=None):
        return "%s::tsquery", [self.text]

    @property
    def is_empty(self) -> bool:
        """No word to match (stop words, or nothing searchable): nothing matches."""
        return not self.text


def ts_query(q: str) -> ParsedQuery:
    """websearch_to_tsquery(q), OR (when the last word is not a whole indexed word: a word
    being typed) the same words with the last one a prefix; parsed, and the last word
    looked up in the index, in one statement (PostgreSQL)."""
    from registry.core.models import SearchWord

    q = _websearch_text(clean_query(q))
    last = _prefix_word(q)
    head = q[: q.rfind(last)].strip() if last else ""
    # Unstemmed ("simple"): "forec" finds the lexeme "forecast"; a whole word (or its stem,
    # in the index) is not a prefix: its stem already finds its forms, a prefix only costs.
    words = connection.ops.quote_name(SearchWord._meta.db_table)
    config = f"'{SEARCH_CONFIG}'::regconfig"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (CASE WHEN %s = '' OR EXISTS (SELECT 1 FROM {words} WHERE word = lower(%s) "  # noqa: S608 (names)
            f"OR word = ANY(tsvector_to_array(to_tsvector({config}, %s)))) "
            f"THEN websearch_to_tsquery({config}, %s) "
            f"ELSE websearch_to_tsquery({config}, %s) || (websearch_to_tsquery({config}, %s) "
            "&& to_tsquery('simple', %s)) END)::text",
            [last, last, last, q, q, head, f"{last.lower()}:*"],
        )
        return ParsedQuery(cursor.fetchone()[0])


def _parsed(expression) -> ParsedQuery:
    """A tsquery expression (a combination of queries) evaluated once into a ParsedQuery."""
    from registry.core.models import SearchWord

    statement = SqlQuery(SearchWord)
    sql, params = statement.get_compiler(connection=connection).compile(
        expression.resolve_expression(statement)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)
        return ParsedQuery(cursor.fetchone()[0])


def weighted_vector(weights: dict[str, str]):
    """The tsvector of the searched fields, weighted (A title ... D least)."""
    return reduce(
        lambda a, b: a + b,
        (
            SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            for name, weight in weights.items()
        ),
    )


def _vector(searchable: Searchable):
    if searchable.stored_vector:
        return F(searchable.stored_vector)
    if searchable.vector_column:
        return _TableColumn(searchable.vector_column)
    return weighted_vector(searchable.fields)


class _TableColumn(Expression):
    """A column of the query's own table that the model does not declare (a generated
    search vector), qualified by whatever alias the table has in the statement."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _title_vector(searchable: Searchable):
    # Exactly the expression of the PostgreSQL-only title index (designdocs `*_title_search_index`).
    return SearchVector(searchable.title_field, config=SEARCH_CONFIG)


def _matches(expression, query) -> ExpressionWrapper:
    return ExpressionWrapper(SearchVectorExact(expression, query), output_field=BooleanField())


def refresh_search_vector(obj: Model) -> None:
    """Recompute the stored tsvector of one object and add its words to the typo table, in
    one statement (PostgreSQL only; the SQLite default searches the columns directly). The
    owning app's services call it after every write."""
    searchable = searchable_for(type(obj))
    if connection.vendor != "postgresql" or searchable is None:
        return
    if not searchable.stored_vector:
        add_search_words(type(obj).objects.filter(pk=obj.pk), searchable)
        return
    from registry.core.models import SearchWord

    model = type(obj)
    vector = (
        model._default_manager.filter(pk=obj.pk)
        .order_by()
        .annotate(_v=weighted_vector(searchable.fields))
        .values("_v")
    )
    sql, params = vector.query.sql_with_params()
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(searchable.stored_vector)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH changed AS (UPDATE {table} SET {column} = ({sql}) "  # noqa: S608 (names)
            f"WHERE {pk} = %s RETURNING {column} AS v) "
            f"INSERT INTO {quote(SearchWord._meta.db_table)} (word) SELECT DISTINCT w FROM ("
            "SELECT unnest(tsvector_to_array(v)) AS w FROM changed) words "
            f"WHERE {_WORD_FILTER} ON CONFLICT (word) DO NOTHING",
            [*params, obj.pk, MIN_TYPO_WORD],
        )


_WORD_FILTER = "length(w) BETWEEN %s AND 40 AND w ~ '^[[:alpha:]]+$'"


def add_search_words(queryset: QuerySet, searchable: Searchable) -> None:
    """Add the indexed words of `queryset`'s objects to `SearchWord` (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    from registry.core.models import SearchWord

    vectors = queryset.order_by().annotate(_v=_vector(searchable)).values("_v")
    sql, params = vectors.query.sql_with_params()
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (word) SELECT DISTINCT w FROM ("  # noqa: S608 (names only)
            f"SELECT unnest(tsvector_to_array(s._v)) AS w FROM ({sql}) s) words "
            f"WHERE {_WORD_FILTER} ON CONFLICT (word) DO NOTHING",
            [*params, MIN_TYPO_WORD],
        )


def rebuild_search_words() -> int:
    """Refill the typo table from every registered type (after bulk loads; `seed_demo` and
    `manage.py rebuild_search_words` call it). Returns the number of words."""
    if connection.vendor != "postgresql":
        return 0
    from django.db import transaction

    from registry.core.models import SearchWord

    with transaction.atomic():  # searches meanwhile see the old table, then the new one
        SearchWord.objects.all().delete()
        for searchable in searchables():
            add_search_words(searchable.model._default_manager.all(), searchable)
    return SearchWord.objects.count()


def corrections(terms: list[str]) -> dict[str, list[str]]:
    """term -> the indexed words most like it (pg_trgm similarity), best first; only for
    terms that are not indexed words themselves."""
    from registry.core.models import SearchWord

    wanted = sorted({t.lower() for t in terms if len(t) >= MIN_TYPO_WORD and t.isalpha()})
    if connection.vendor != "postgresql" or not wanted:
        return {}
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t, s.word FROM unnest(%s::text[]) t, LATERAL ("  # noqa: S608
            f"SELECT word FROM {table} WHERE word %% t AND word <> t "
            "ORDER BY similarity(word, t) DESC, word LIMIT 3) s "
            # A word the index knows (as it is, or as its stem) is not a typo.
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} k WHERE k.word = t OR k.word = ANY("
            f"tsvector_to_array(to_tsvector('{SEARCH_CONFIG}'::regconfig, t))))",
            [wanted],
        )
        found: dict[str, list[str]] = {}
        for term, word in cursor.fetchall():
            found.setdefault(term, []).append(word)
    return found


def _corrected_query(terms: list[str], found: dict[str, list[str]]):
    """Every word, or (for a word with corrections) one of its corrections."""
    parts = []
    for term in terms:
        query = SearchQuery(term, search_type="plain", config=SEARCH_CONFIG)
        similar = found.get(term.lower())
        if similar:
            # Indexed lexemes, letters only: safe as raw tsquery text, matched unstemmed.
            raw = " | ".join(f"'{word}'" for word in similar)
            query = _or(query, SearchQuery(raw, search_type="raw", config="simple"))
        parts.append(query)
    return reduce(_and, parts)


# -- what the list pages share -------------------------------------------------------------


def filter_text(queryset: QuerySet, q: str, searchable: Searchable) -> QuerySet:
    """The objects of `queryset` matching the words of `q`, best first (the list pages'
    `?q=`). Every match is in the queryset (its count is exact). On PostgreSQL only the
    title matches and the first matches found, RANKED of each, are ranked (title match
    first, then ts_rank; read here, in two queries) and come first; the other matches
    follow, newest first: the cost does not grow with the number of matches."""
    q = clean_query(q)
    if not q:
        return queryset
    if connection.vendor != "postgresql":
        return _sqlite_filter(queryset, terms_of(q), searchable).alias(**{_SEARCHED: Value(True)})
    query = ts_query(q)
    matches = queryset.alias(_v=_vector(searchable)).filter(_v=query)
    best = _ranked(searchable, matches, query, first=matches)
    position = Func(
        Value(best, output_field=ArrayField(IntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )
    matches = matches.alias(**{_SEARCHED: Value(True)})
    return matches.annotate(**{_POSITION: position}).order_by(*_RANKED_ORDER)


_POSITION = "search_position"  # the annotation filter_text ranks by (PostgreSQL)
_SEARCHED = "search_matched"  # the alias that marks filter_text's results
_RANKED_ORDER = (F(_POSITION).asc(nulls_last=True), "-pk")


def is_text_search(queryset) -> bool:
    """Whether `queryset` is (filtered further from) the result of `filter_text`."""
    return isinstance(queryset, QuerySet) and _SEARCHED in queryset.query.annotations


def capped_matches(queryset: QuerySet) -> tuple[Any, int | None, bool]:
    """A list's `?q=` matches (`filter_text`, then any other filter) as paginated:
    (what to slice a page from, its count or None when the caller counts, capped).

    On PostgreSQL: the first CANDIDATES found through the GIN index, the ranked ones among
    them first, and whether there were more (then the count is a lower bound, "more than",
    as the one search's is: counting or ordering each of 30,000 matches takes a second).
    Their order is known here (ranked, then newest first) unless another sort was asked
    for: a page then reads only its own rows. Reads at most 2 x (CANDIDATES + 1) ids,
    whatever the number of matches. SQLite: every match, counted by the caller."""
    if connection.vendor != "postgresql" or _POSITION not in queryset.query.annotations:
        return queryset, None, False
    found = list(queryset.order_by().values_list("pk", flat=True)[: CANDIDATES + 1])
    best = queryset.query.annotations[_POSITION].source_expressions[0].value
    capped = len(found) > CANDIDATES
    if capped:
        kept = set(queryset.filter(pk__in=best).order_by().values_list("pk", flat=True))
        found = list(dict.fromkeys([*(pk for pk in best if pk in kept), *found]))
    found = found[:CANDIDATES]
    if tuple(queryset.query.order_by) != _RANKED_ORDER:  # another sort: the database's
        return queryset.filter(pk__in=found), len(found), capped
    rank = {pk: at for at, pk in enumerate(best)}
    ordered = sorted(found, key=lambda pk: (rank.get(pk, len(rank)), -pk))
    return _Ordered(ordered, queryset), len(ordered), capped


class _Ordered:
    """Objects of `queryset` in the order of `ids`, a page read by slicing (one query)."""

    def __init__(self, ids: list, queryset: QuerySet):
        self.ids, self.queryset = ids, queryset

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=ids)} if ids else {}
        return [objects[pk] for pk in ids if pk in objects]


def _ranked(searchable: Searchable, matches: QuerySet, query, *, first) -> list:
    """The pks worth ranking, best first (title match, then ts_rank), in one query: the
    title matches among `matches` (through the title index, at most RANKED) and `first`
    (a queryset of matches, its first RANKED ranked, or a list of pks)."""
    vector, title = _vector(searchable), _title_vector(searchable)
    scores = {"_title": _matches(title, query), "_rank": SearchRank(vector, query)}
    if isinstance(first, QuerySet):
        first = first.order_by()[:RANKED]
    else:
        first = searchable.model._default_manager.filter(pk__in=first).order_by()
    first = first.annotate(**scores).values_list("pk", "_title", "_rank")
    in_title = (
        matches.alias(_t=title)
        .filter(_t=query)
        .order_by()
        .annotate(**scores)
        .values_list("pk", "_title", "_rank")[:RANKED]
    )
    ranks = {pk: (in_t, rank) for pk, in_t, rank in first.union(in_title, all=True)}
    return sorted(ranks, key=lambda pk: (not ranks[pk][0], -ranks[pk][1], -pk))


def _sqlite_filter(queryset: QuerySet, terms: list[str], searchable: Searchable) -> QuerySet:
    if not terms:
        return queryset.none()
    title = searchable.title_field
    title_all = reduce(and_, (Q(**{f"{title}__icontains": t}) for t in terms))
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


# -- parameters -----------------------------------------------------------------------------


def facet_keys(kind: str = "") -> dict[str, Facet]:
    """The facets that narrow a search of `kind` (every type's facets without one)."""
    keys: dict[str, Facet] = {}
    for searchable in searchables():
        if not kind or searchable.key == kind:
            for facet in searchable.facets:
                keys.setdefault(facet.key, facet)
    return keys


def parameters(query_params) -> dict:
    """The search parameters of a request (page or API). Any `q` is searched (cleaned and
    cut, see `clean_query`); an unknown type, page or facet is a DomainError naming the
    parameter, never a guess."""
    q = query_params.get("q", "")
    kind = query_params.get("type", "")
    keys = [s.key for s in searchables()]
    if kind and kind not in keys:
        shown = kind[:40] if not text_problem(kind) else "?"
        raise DomainError(f"type must be one of: {', '.join(keys)} (not “{shown}”).", field="type")
    page = query_params.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < int(page) < 10_000):
        raise DomainError("page must be a whole number from 1.", field="page")
    known = facet_keys(kind)
    facets = {}
    for name, value in query_params.items():
        if name in ("q", "type", "page"):
            continue
        if name not in known:
            names = ", ".join(sorted(known)) or "none"
            raise DomainError(f"Unknown parameter “{name[:40]}” (facets: {names}).", field=name)
        if text_problem(value) or len(value) > 200:
            raise DomainError(f"{name}: not a value of this facet.", field=name)
        facets[name] = value
    return {"q": q, "type": kind, "page": int(page), "facets": facets}


# -- results --------------------------------------------------------------------------------


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
    capped: bool = False  # counted among the first CANDIDATES matches found only

    @property
    def key(self) -> str:
        return self.facet.key


@dataclass
class SearchGroup:
    searchable: Searchable
    count: int  # every match (at most CANDIDATES + 1 on PostgreSQL: see count_capped)
    items: list[dict[str, Any]]  # {"object", "where", "passage"}
    page: Page | None = None  # when this type alone is shown
    facets: list[FacetGroup] = field(default_factory=list)
    count_capped: bool = False  # more than CANDIDATES matches: `count` is a lower bound

    @property
    def key(self) -> str:
        return self.searchable.key

    @property
    def name(self) -> str:
        return self.searchable.label

    @property
    def shown_count(self) -> int:
        """What the count is, as a number: CANDIDATES when it is "more than" that."""
        return CANDIDATES if self.count_capped else self.count


@dataclass
class SearchResults:
    query: str
    type: str = ""
    groups: list[SearchGroup] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)  # of the type, or shared
    truncated: bool = False  # the query was longer than MAX_QUERY_LENGTH
    corrected: str = ""  # the words searched instead (typo tolerance), when they were
    selected_facets: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(g.shown_count for g in self.groups)

    @property
    def total_capped(self) -> bool:
        return any(g.count_capped for g in self.groups)

    @property
    def cap(self) -> int:
        return CANDIDATES


class _Counted:
    """A queryset with a count known beforehand, for the Paginator."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


@lru_cache(maxsize=256)
def _choice_labels(model: type[Model], lookup: str) -> dict[str, str]:
    """The display labels of a choice field (`status` -> {"draft": "Draft"}), else {}."""
    if "__" in lookup:
        return {}
    try:
        field = model._meta.get_field(lookup)
    except FieldDoesNotExist:  # an annotation (Facet.annotations)
        return {}
    return {str(value): str(label) for value, label in (field.choices or [])}


def _facet_groups(
    queryset: QuerySet | Callable[[], QuerySet],
    searchable: Searchable,
    selected: dict[str, str],
    capped: bool,
    rows: list | None = None,
) -> list[FacetGroup]:
    """Every facet of `searchable` counted over `queryset`, distinct per object (a
    many-to-many facet such as tags counts each object once per tag). `rows`, when given,
    are (pk, single-valued facet values...) already read: only many-valued facets are
    then read, in one more query."""
    if not searchable.facets:
        return []
    seen: dict[str, dict[str, int]] = {f.key: {} for f in searchable.facets}
    labels: dict[str, dict[str, str]] = {f.key: {} for f in searchable.facets}

    def tally(lookups: list[str], facets: list[Facet], found, multi: bool) -> None:
        for facet in facets:
            at = 1 + lookups.index(facet.field)
            label_at = 1 + lookups.index(facet.label_field or facet.field)
            counted, named = seen[facet.key], labels[facet.key]
            done: set | None = set() if multi else None  # many-valued: (pk, value) once
            for row in found:
                value = row[at]
                if value is None:
                    continue
                if done is not None:
                    if (row[0], value) in done:
                        continue
                    done.add((row[0], value))
                key = value if value.__class__ is str else str(value)
                count = counted.get(key)
                if count is None:
                    counted[key], named[key] = 1, str(row[label_at])
                else:
                    counted[key] = count + 1

    limit = 20 * CANDIDATES  # rows (objects x many-to-many values); past it: capped
    for multi in (False, True):
        facets = [f for f in searchable.facets if _is_multi(searchable.model, f.field) is multi]
        if not facets:
            continue
        lookups = _facet_lookups(searchable, multi=multi)
        if rows is not None and not multi:
            found = rows
        else:
            if callable(queryset):
                queryset = queryset()
            queryset = _selectable(queryset, lookups)
            found = list(queryset.order_by().values_list("pk", *lookups)[: limit + 1])
            if len(found) > limit:
                found, capped = found[:limit], True
        tally(lookups, facets, found, multi)
    groups = []
    for facet in searchable.facets:
        choices = {} if facet.label_field else _choice_labels(searchable.model, facet.field)
        named = labels[facet.key]
        counts = [(count, value) for value, count in seen[facet.key].items()]
        counts.sort(key=lambda c: (-c[0], choices.get(named[c[1]], named[c[1]])))
        values = [
            FacetCount(
                value=value,
                label=choices.get(named[value], named[value]),
                count=count,
                selected=value == selected.get(facet.key, ""),
            )
            for count, value in counts[:FACET_VALUES_SHOWN]
        ]
        groups.append(FacetGroup(facet=facet, values=values[:FACET_VALUES_SHOWN], capped=capped))
    return groups


def _merge_facets(groups: list[SearchGroup]) -> list[FacetGroup]:
    """The facets of several types, counts added up per key and value."""
    merged: dict[str, FacetGroup] = {}
    for group in groups:
        for facet_group in group.facets:
            into = merged.setdefault(
                facet_group.key, FacetGroup(facet=facet_group.facet, values=[])
            )
            into.capped = into.capped or facet_group.capped
            by_value = {v.value: v for v in into.values}
            for value in facet_group.values:
                if value.value in by_value:
                    by_value[value.value].count += value.count
                else:
                    into.values.append(FacetCount(**vars(value)))
                    by_value[value.value] = into.values[-1]
    for facet_group in merged.values():
        facet_group.values.sort(key=lambda v: (-v.count, v.label))
        del facet_group.values[FACET_VALUES_SHOWN:]
    return list(merged.values())


def search(
    *, user, q: str, type: str = "", facets: dict[str, str] | None = None, page: Any = 1
) -> SearchResults:
    """One search across what `user` may see, grouped by type, counts true or flagged
    capped. With `type` that type's results are paginated; facets (of that type, or
    shared ones without it) are counted and applied from `facets`."""
    facets = {k: v for k, v in (facets or {}).items() if v}
    results = SearchResults(
        query=clean_query(q),
        type=type if type in _searchables else "",
        truncated=is_truncated(q),
        selected_facets=facets,
    )
    if not results.query:
        return results
    postgres = connection.vendor == "postgresql"
    terms = terms_of(results.query)
    if not postgres and not terms:
        return results
    plans, statements = [], []
    for searchable in searchables():
        declared = {f.key: f for f in searchable.facets}
        if any(key not in declared for key in facets):
            continue  # a facet this type does not have: none of it matches
        visible = searchable.queryset(user)
        annotations = _facet_annotations(searchable, user)
        statement = _statement_key(searchable, visible, annotations, facets) if postgres else None
        if annotations:  # selected where they are counted (_selectable), else unread
            visible = visible.alias(**annotations)
        for key, value in facets.items():
            visible = visible.filter(**{declared[key].field: value})
        plans.append((searchable, visible))
        statements.append(statement)

    query = ts_query(results.query) if postgres else None
    similar: dict[str, list[str]] = {}
    found = _found_all(plans, query, terms, statements)
    if postgres and sum(len(rows) for rows in found) < FEW_MATCHES and terms:
        similar = corrections(terms)
        if similar:
            query = _parsed(_or(query, _corrected_query(terms, similar)))
            found = _found_all(plans, query, terms, statements)
            if any(found):
                results.corrected = " ".join(similar.get(t.lower(), [t])[0] for t in terms)
    probes = _probes(terms, similar)
    for (searchable, visible), ids, statement in zip(plans, found, statements, strict=True):
        alone = results.type == searchable.key
        if not ids and not alone:
            results.groups.append(SearchGroup(searchable=searchable, count=0, items=[]))
            continue
        group = (
            _group_postgresql(
                searchable, visible, query, ids, facets, alone, page, probes, statement
            )
            if postgres
            else _group_sqlite(searchable, visible, terms, facets, alone, page, results.query)
        )
        results.groups.append(group)
    planned = {s.key for s, _ in plans}
    for searchable in searchables():  # types ruled out by a facet: shown, counted 0
        if searchable.key not in planned:
            results.groups.append(SearchGroup(searchable=searchable, count=0, items=[]))
    results.groups.sort(key=lambda g: (g.searchable.order, g.searchable.label))
    if results.type:
        results.facets = next((g.facets for g in results.groups if g.key == results.type), [])
    else:
        results.facets = _merge_facets(results.groups)
    return results


def _found_all(plans: list, query, terms: list[str], statements: list) -> list[list]:
    """Per planned (searchable, visible) type, what `_found` finds; on PostgreSQL every
    type's in one statement (UNION ALL), its facet values as text. A type whose
    statement has a key (`_statement_key`) is compiled once per process and key."""
    if query is None:
        return [_found(visible, searchable, query, terms) for searchable, visible in plans]
    if query.is_empty or not plans:
        return [[] for _ in plans]
    quote = connection.ops.quote_name
    widths = [len(_facet_lookups(searchable, multi=False)) for searchable, _ in plans]
    parts, params = [], []
    for index, (searchable, visible) in enumerate(plans):
        try:
            sql, part_params = _found_statement(searchable, visible, query, statements[index])
        except EmptyResultSet:  # the user may see none of this type
            continue
        lookups = _facet_lookups(searchable, multi=False)
        columns = [
            f"{index}",
            f"s.{quote('pk')}",
            *(f"s.{quote(name)}::text" for name in lookups),
            *["NULL::text"] * (max(widths) - len(lookups)),
            f"s.{quote('_in_title')}",
            f"s.{quote('_rank')}",
        ]
        parts.append(f"(SELECT {', '.join(columns)} FROM ({sql}) s)")  # noqa: S608 (compiled)
        params.extend(part_params)
    found: list[list] = [[] for _ in plans]
    if not parts:
        return found
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for row in cursor.fetchall():
            index = row[0]
            width = widths[index]
            found[index].append((row[1], *row[2 : 2 + width], row[-2], row[-1]))
    return found


def _found(visible: QuerySet, searchable: Searchable, query, terms: list[str]) -> list:
    """PostgreSQL: the first CANDIDATES + 1 matches found through the GIN index (more
    than CANDIDATES: the count is capped), each row (pk, its single-valued facet values,
    whether it matches in the title, its ts_rank): ranked and faceted without another
    query (ranking in the scan that reads the vectors anyway costs little; reading them
    again by id costs a query as long). SQLite: [True] * count."""
    if query is None:
        return [True] * _sqlite_filter(visible, terms, searchable).count()
    if query.is_empty:
        return []
    return list(_found_queryset(visible, searchable, query))


#: Compiled candidate statements: key -> (sql, params with _QUERY_SLOT for the tsquery).
_found_statements: dict[Any, tuple[str, list]] = {}
_STATEMENTS_KEPT = 256
_QUERY_SLOT = "\x00tsquery\x00"  # never a searched text: clean_query removes controls


def _statement_key(
    searchable: Searchable, visible: QuerySet, annotations: dict, facets: dict
) -> Any:
    """A key under which the candidates statement of `searchable` may be compiled once
    and reused, or None. Only when `visible` (the user's queryset) is the whole table: the
    user may see every object (their permission holds for all), so the statement does
    not depend on who they are, only on the facets selected, the facet annotations
    (compared by their expressions' identity) and the candidate cap. Any narrower
    queryset is compiled per search."""
    query = visible.query
    if (
        query.where
        or query.annotations
        or query.extra
        or query.distinct
        or query.combinator
        or query.low_mark
        or query.high_mark is not None
    ):
        return None
    key = (
        searchable.key,
        CANDIDATES,
        RANKED,
        tuple(sorted(facets.items())),
        tuple(
            (name, getattr(expression, "identity", None))
            for name, expression in sorted(annotations.items())
        ),
    )
    if any(identity is None for _, identity in key[-1]):
        return None  # an expression without an identity (a Subquery): compiled per search
    try:
        hash(key)
    except TypeError:  # an annotation that cannot be compared: compiled per search
        return None
    return key


def _found_statement(
    searchable: Searchable, visible: QuerySet, query, key, build=None
) -> tuple[str, list]:
    """(sql, params) of the candidates of `searchable` for `query` (or of another
    statement `build(visible, searchable, query)` makes), compiled or reused."""
    build = build or _found_queryset
    if key is None:
        return build(visible, searchable, query).query.sql_with_params()
    key = (key, build.__name__)
    compiled = _found_statements.get(key)
    if compiled is None:
        slot = ParsedQuery(_QUERY_SLOT)
        compiled = build(visible, searchable, slot).query.sql_with_params()
        if len(_found_statements) >= _STATEMENTS_KEPT:
            _found_statements.clear()
        _found_statements[key] = compiled
    sql, params = compiled
    return sql, [query.text if p == _QUERY_SLOT else p for p in params]


def _title_queryset(visible: QuerySet, searchable: Searchable, query) -> QuerySet:
    """(pk, rank) of the first RANKED title matches, through the title index."""
    vector = _vector(searchable)
    return (
        visible.alias(_v=vector, _t=_title_vector(searchable))
        .filter(_v=query, _t=query)
        .order_by()
        .annotate(_rank=SearchRank(vector, query))
        .values_list("pk", "_rank")[:RANKED]
    )


def _found_queryset(visible: QuerySet, searchable: Searchable, query) -> QuerySet:
    vector = _vector(searchable)
    matches = visible.alias(_v=vector).filter(_v=query)
    lookups = _facet_lookups(searchable, multi=False)
    matches = _selectable(matches, lookups).annotate(
        _in_title=_title_match(searchable, vector, query),
        _rank=SearchRank(vector, query),
    )
    return matches.order_by().values_list("pk", *lookups, "_in_title", "_rank")[: CANDIDATES + 1]


def _title_match(searchable: Searchable, vector, query):
    """Whether the title matches `query`: with a stored vector, the vector's part of the
    title's weight (read, not computed); without one, the title's own short vector (not
    the whole vector computed a third time)."""
    weight = searchable.fields[searchable.title_field].lower()
    shared = any(
        w.lower() == weight for n, w in searchable.fields.items() if n != searchable.title_field
    )
    if shared or not (searchable.stored_vector or searchable.vector_column):
        # The title's weight is its own only when no other field has it.
        return _matches(_title_vector(searchable), query)
    title_part = Func(
        vector,
        function="ts_filter",
        template=f"%(function)s(%(expressions)s, '{{{weight}}}')",
        output_field=SearchVectorField(),
    )
    return _matches(title_part, query)


def _selectable(queryset: QuerySet, names: list[str]) -> QuerySet:
    """`queryset` with the aliases among `names` (Facet.annotations) promoted to
    annotations, so that values_list() may read them."""
    query = queryset.query
    promote = {
        n: F(n) for n in names if n in query.annotations and n not in query.annotation_select
    }
    return queryset.annotate(**promote) if promote else queryset


def _facet_annotations(searchable: Searchable, user) -> dict[str, Any]:
    """The annotations the facets of `searchable` name (Facet.annotations), for `user`."""
    annotations: dict[str, Any] = {}
    for facet in searchable.facets:
        if facet.annotations is not None:
            annotations.update(facet.annotations(user))
    return annotations


def _is_multi(model: type[Model], lookup: str) -> bool:
    """Whether `lookup` crosses a many-valued relation (a row per value)."""
    for name in lookup.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a transform such as __year: single-valued
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _facet_lookups(searchable: Searchable, *, multi: bool) -> list[str]:
    facets = [f for f in searchable.facets if _is_multi(searchable.model, f.field) is multi]
    return list(dict.fromkeys(name for f in facets for name in (f.field, f.label_field or f.field)))


def _page_of(ordered: list, count: int, alone: bool, page: Any) -> tuple[Page | None, list]:
    if alone:
        shown = Paginator(_Counted(ordered, count), RESULTS_PER_PAGE).get_page(page)
        return shown, list(shown.object_list)
    return None, list(ordered[:RESULTS_PER_GROUP])


def _group_postgresql(
    searchable, visible, query, rows, facets, alone, page, probes, statement=None
) -> SearchGroup:
    """One type's results: the first CANDIDATES matches found (`rows`, each with its title
    match and rank) and, when there are more, the title matches among the rest (through
    the title index, up to RANKED), title matches first, then by ts_rank, then newest.
    At most CANDIDATES are counted, faceted and paginated."""
    capped = len(rows) > CANDIDATES
    rows = rows[:CANDIDATES]
    scores = {row[0]: (row[-2], row[-1]) for row in rows}
    if capped:  # the title matches may lie beyond the first found: looked for too
        sql, params = _found_statement(searchable, visible, query, statement, _title_queryset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, rank in cursor.fetchall():
                scores.setdefault(pk, (True, rank))
    ordered = sorted(scores, key=lambda pk: (not scores[pk][0], -scores[pk][1], -pk))
    ordered = ordered[:CANDIDATES]
    count = len(ordered)
    group = SearchGroup(searchable=searchable, count=count, items=[], count_capped=capped)
    ids = [row[0] for row in rows]
    group.facets = _facet_groups(
        lambda: searchable.model._default_manager.filter(pk__in=ids),
        searchable,
        facets,
        capped,
        rows,
    )
    group.page, page_ids = _page_of(ordered, count, alone, page)
    shown, passages = _shown_with_passages(searchable, visible, page_ids, query, probes)
    group.items = [
        {"object": obj, "where": passages.get(obj.pk, ("", None))[0],
         "passage": passages.get(obj.pk, ("", None))[1]}
        for obj in shown
    ]  # fmt: skip
    if group.page is not None:
        group.page.object_list = shown
    return group


def _group_sqlite(searchable, visible, terms, facets, alone, page, q) -> SearchGroup:
    ranked = _sqlite_filter(visible, terms, searchable)
    count = ranked.count()
    group = SearchGroup(searchable=searchable, count=count, items=[])
    group.facets = _facet_groups(ranked, searchable, facets, False)
    group.page, objects = _page_of(ranked, count, alone, page)
    for obj in objects:
        where, passage = matched_passage(obj, q, searchable)
        group.items.append({"object": obj, "where": where, "passage": passage})
    return group


#: ts_headline reads at most this much of a field (its cost grows with the text).
HEADLINE_CHARS = 20_000


def _shown_with_passages(searchable, visible, ids: list, query, probes: list[str]):
    """(the objects of `ids` in order, pk -> (field label, highlighted passage)). The
    field is the first searched one (by weight) holding a probe (the start of a word
    searched, or a correction); its passage is PostgreSQL's ts_headline over its first
    HEADLINE_CHARS, escaped here. Two statements: the objects (as the result shows them),
    and the passages, written once per type and number of probes (cheaper to send than
    the same SQL built as ORM annotations on every search)."""
    if not ids:
        return [], {}
    objects = visible.filter(pk__in=ids).order_by().in_bulk()
    shown = [objects[pk] for pk in ids if pk in objects]
    if not probes or not shown:
        return shown, {}
    names = tuple(sorted(searchable.fields, key=lambda n: searchable.fields[n]))
    sql = _passage_sql(searchable.model, names, len(probes))
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEADLINE_CHARS, query.text, _HEADLINE, *probes * len(names), ids])
        rows = cursor.fetchall()
    passages = {}
    for pk, name, headline in rows:
        if _MARK_OPEN in (headline or ""):
            label = str(searchable.model._meta.get_field(name).verbose_name)
            passages[pk] = (label, marked_passage(headline))
    return shown, passages


#: ts_headline's options: the private-use markers around matches, one short fragment.
_HEADLINE = (
    f"StartSel='{_MARK_OPEN}', StopSel='{_MARK_CLOSE}', MaxWords=30, MinWords=12, MaxFragments=1"
)


_FIELD = '"search matched field"'  # a name no model column has


@lru_cache(maxsize=64)
def _passage_sql(model: type[Model], names: tuple[str, ...], probes: int) -> str:
    """The passages statement of `model`: per pk in a %s array, (pk, the first of `names`
    whose text holds one of `probes` %s parameters, case-insensitively, or ''; the
    ts_headline of that text, cut at a %s length, for a %s tsquery with %s options)."""
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    columns = {name: quote(model._meta.get_field(name).column) for name in names}
    chosen = " ".join(
        f"WHEN {' OR '.join([f'strpos(lower({column}), lower(%s)) > 0'] * probes)} THEN '{name}'"
        for name, column in columns.items()
    )
    text = " ".join(f"WHEN '{name}' THEN {column}" for name, column in columns.items())
    return (
        f"SELECT {pk}, {_FIELD}, CASE WHEN {_FIELD} = '' THEN '' ELSE ts_headline("  # noqa: S608 (names)
        f"'{SEARCH_CONFIG}'::regconfig, LEFT(CASE {_FIELD} {text} END, %s), %s::tsquery, %s) END "
        f"FROM (SELECT {pk}, {', '.join(columns.values())}, CASE {chosen} ELSE '' END AS {_FIELD} "
        f"FROM {quote(model._meta.db_table)} WHERE {pk} = ANY(%s)) s"
    )


def _probes(terms: list[str], similar: dict[str, list[str]]) -> list[str]:
    """What to look for in a text to find the field a search matched in."""
    probes = {t.lower()[:5] for t in terms}
    probes.update(word[:5] for words in similar.values() for word in words)
    return sorted(p for p in probes if p)


_MARKED = re.compile(f"{_MARK_OPEN}([^{_MARK_OPEN}{_MARK_CLOSE}]*){_MARK_CLOSE}")


def marked_passage(text: str) -> SafeString:
    """`text` with the headline markers as <mark> and everything else escaped."""
    parts, position = [], 0
    text = " ".join(text.split())
    for match in _MARKED.finditer(text):
        parts.append(escape(_strip_marks(text[position : match.start()])))
        parts.append(format_html("<mark>{}</mark>", match.group(1)))
        position = match.end()
    parts.append(escape(_strip_marks(text[position:])))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (each part escaped above)


def _strip_marks(text: str) -> str:
    return text.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")


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
