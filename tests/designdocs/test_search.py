"""registry.core.search: finding design docs by the words in their title and sections, on SQLite
and on PostgreSQL, safely whatever the query, and only among what the user may see."""

from __future__ import annotations

import re

import pytest

from designdocs.models import DesignDoc
from designdocs.search import DESIGNDOCS
from registry.core import roles
from registry.core.search import MAX_QUERY_LENGTH, clean_query, filter_text, search
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory


@pytest.fixture
def search_docs(alice, team):
    """Three docs of alice's team and one of another team."""
    forecasting = DesignDocFactory(
        title="Demand planning",
        product_owner=alice,
        owner_team=team,
        content={
            "problem_statement": "Stores need daily forecasting of fresh produce demand.",
            "data": "Point-of-sale history and the promotions calendar.",
        },
    )
    elasticity = DesignDocFactory(
        title="Price elasticity",
        product_owner=alice,
        owner_team=team,
        content={"architecture": "A hierarchical Bayesian model of price response."},
    )
    churn_title = DesignDocFactory(
        title="Churn prediction",
        product_owner=alice,
        owner_team=team,
        content={"business_value": "Keep subscribers."},
    )
    other_team = TeamFactory(name="Payments", slug="payments")
    paul = UserFactory(username="paul", roles=[roles.PRODUCT_OWNERS])
    hidden = DesignDocFactory(
        title="Fraud scoring",
        product_owner=paul,
        owner_team=other_team,
        content={"data": "Card transactions; churn of merchants is out of scope."},
    )
    return {
        "forecasting": forecasting,
        "elasticity": elasticity,
        "churn": churn_title,
        "fraud": hidden,
        "other_team": other_team,
    }


def titles(queryset) -> list[str]:
    return [doc.title for doc in queryset]


def found(q: str) -> list[str]:
    return titles(filter_text(DesignDoc.objects.all(), q, DESIGNDOCS))


@pytest.mark.django_db
def test_finds_doc_by_word_in_title(search_docs):
    assert found("elasticity") == ["Price elasticity"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("promotions", ["Demand planning"]),  # data
        ("Bayesian", ["Price elasticity"]),  # architecture
        ("subscribers", ["Churn prediction"]),  # business value
        ("produce", ["Demand planning"]),  # problem statement
    ],
)
def test_finds_doc_by_word_in_a_section(search_docs, q, expected):
    assert found(q) == expected


@pytest.mark.django_db
def test_search_is_case_insensitive(search_docs):
    assert found("PROMOTIONS") == found("promotions") == ["Demand planning"]


@pytest.mark.django_db
def test_every_word_must_match(search_docs):
    assert found("promotions calendar") == ["Demand planning"]
    assert found("promotions Bayesian") == []


@pytest.mark.django_db
def test_title_match_ranks_before_section_match(search_docs):
    assert found("churn") == ["Churn prediction", "Fraud scoring"]


@pytest.mark.django_db
def test_no_match_and_blank_query(search_docs):
    assert found("blockchain") == []
    assert len(found("   ")) == 4  # a blank query filters nothing


HOSTILE = {
    "sql": '"; DROP TABLE designdocs_designdoc; --',
    "tsquery-operators": "!!&|:*",
    "tsquery-phrase": "<-> <2> !(",
    "unbalanced-double-quote": '"unbalanced',
    "unbalanced-single-quote": "it's",
    "lone-quote": "'",
    "lone-minus": "-",
    "or": "OR",
    "backslash": "\\",
    "like-wildcards": "%_%",
    "10-kb": "x" * 10 * 1024,
    "10-kb-words": "word " * 2048,
    "emoji": "🚀🔥 émoji 数据",
    "nul-byte": "a\x00b",
    "only-nul": "\x00",
    "control-chars": "\x01\x1b[31m\x7f",
}


def group(results, key: str) -> list:
    """The objects found of one type."""
    return [item["object"] for g in results.groups if g.key == key for item in g.items]


@pytest.mark.django_db
@pytest.mark.parametrize("q", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_query_never_raises(search_docs, alice, q):
    found(q)
    search(user=alice, q=q)
    assert DesignDoc.objects.count() == 4


@pytest.mark.django_db
def test_query_is_cut_to_its_maximum_length():
    assert len(clean_query("x" * 10_000)) == MAX_QUERY_LENGTH
    assert clean_query("  several   spaces\tand\nlines ") == "several spaces and lines"


@pytest.mark.django_db
def test_search_results_are_restricted_to_what_the_user_may_see(search_docs, alice):
    # A signed-in user with no role sees only the docs they may edit: those naming them.
    insider = UserFactory(username="ivan")
    fraud = DesignDoc.objects.get(title="Fraud scoring")
    fraud.co_authors.add(insider)
    member = UserFactory(username="mia")  # in the team, but no role: edits nothing
    TeamMembershipFactory(team=search_docs["other_team"], user=member)

    assert titles(group(search(user=alice, q="churn"), "design-docs")) == [
        "Churn prediction",
        "Fraud scoring",
    ]
    assert titles(group(search(user=insider, q="churn"), "design-docs")) == ["Fraud scoring"]
    assert group(search(user=member, q="churn"), "design-docs") == []
    assert search(user=member, q="churn").total == 0


@pytest.mark.django_db
def test_search_groups_docs_and_teams(search_docs, viewer):
    results = search(user=viewer, q="payments")
    assert titles(group(results, "design-docs")) == []
    assert [team.slug for team in group(results, "teams")] == ["payments"]
    assert results.total == 1


@pytest.mark.django_db
def test_blank_search_returns_no_groups(search_docs, viewer):
    results = search(user=viewer, q="  ")
    assert results.groups == []
    assert results.total == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_stemming_finds_other_forms_of_a_word(search_docs):
    # "forecasting" appears only in a section; SQLite's substring match would miss it.
    assert found("forecasts") == ["Demand planning"]
    assert found("forecasted") == ["Demand planning"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_websearch_syntax_is_honoured(search_docs):
    assert found("churn -merchants") == ["Churn prediction"]
    assert found('"promotions calendar"') == ["Demand planning"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_stored_vector_follows_every_update(search_docs, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from designdocs.services import designdoc_update

    doc = DesignDoc.objects.get(title="Price elasticity")
    assert doc.search_vector  # filled by the create service
    assert found("monsoon") == []
    designdoc_update(
        doc=doc, user=alice, expected_version=doc.version,
        changes={"data": "Rainfall during the monsoon season."},
    )  # fmt: skip
    assert found("monsoon") == ["Price elasticity"]
    # The query reads the stored, indexed column instead of recomputing every document's vector.
    with CaptureQueriesContext(connection) as captured:
        found("monsoon")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"designdocs_designdoc"."search_vector" @@' in sql
    # Only the title's vector is written out: the expression its PostgreSQL-only index holds.
    assert "to_tsvector" in sql
    assert not re.search(r'to_tsvector\([^)]*"(problem_statement|data|architecture)"', sql)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_vector_has_a_gin_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'designdocs_designdoc_search_gin'"
        )
        row = cursor.fetchone()
    assert row is not None and "USING gin (search_vector)" in row[0]
