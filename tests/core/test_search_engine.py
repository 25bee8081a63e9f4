"""The one search's engine: ranking, prefixes, typos, honest (capped) counts, facets that
narrow, pagination, flat query counts, permissions, and any query at all answering 200."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from registry.core import search
from registry.core.testing.strategies import form_safe, hostile_text
from tests.designdocs.factories import DesignDocFactory
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db]
postgresql_only = pytest.mark.postgres
API = "/api/search/"


def docs_of(results) -> list[str]:
    group = next(g for g in results.groups if g.key == "design-docs")
    return [item["object"].title for item in group.items]


def doc(alice, team, title, **content):
    return DesignDocFactory(title=title, product_owner=alice, owner_team=team, content=content)


@pytest.mark.embedded
def test_a_title_match_outranks_matches_in_the_body(alice, team, viewer):
    doc(alice, team, "Churn", problem_statement="Weekly demand forecast " * 20)
    doc(alice, team, "Store forecast", problem_statement="Stores.")
    doc(alice, team, "Prices", open_questions="Is the forecast good enough?")
    found = docs_of(search.search(user=viewer, q="forecast"))
    assert found[0] == "Store forecast"
    assert set(found) == {"Store forecast", "Churn", "Prices"}


@postgresql_only
def test_a_summary_match_outranks_a_body_match_on_postgresql(alice, team, viewer):
    doc(alice, team, "One", open_questions="Which retailer?")
    doc(alice, team, "Two", problem_statement="A retailer wants it.")
    assert docs_of(search.search(user=viewer, q="retailer")) == ["Two", "One"]


@postgresql_only
def test_the_last_word_is_also_a_prefix(alice, team, viewer):
    doc(alice, team, "Demand forecasting", problem_statement="Weekly sales.")
    doc(alice, team, "Fraud", problem_statement="Card payments.")
    assert docs_of(search.search(user=viewer, q="forec")) == ["Demand forecasting"]
    assert docs_of(search.search(user=viewer, q="weekly forec")) == ["Demand forecasting"]
    # Only the last word is a prefix: a cut word before it is found as a typo, and said so.
    cut = search.search(user=viewer, q="forec weekly")
    assert docs_of(cut) == ["Demand forecasting"] and cut.corrected == "forecast weekly"
    assert docs_of(search.search(user=viewer, q="fo")) == []  # too short for a prefix


@postgresql_only
def test_a_typo_finds_the_word_it_misspells_and_says_so(alice, team, viewer):
    doc(alice, team, "Batch forecasting", problem_statement="Weekly demand.")
    doc(alice, team, "Fraud", problem_statement="Card payments.")
    results = search.search(user=viewer, q="forcast")
    assert docs_of(results) == ["Batch forecasting"]
    assert results.corrected == "forecast"
    # A word the index knows is searched as it is, never "corrected".
    assert search.search(user=viewer, q="fraud").corrected == ""


@postgresql_only
def test_websearch_syntax_phrases_or_and_exclusion(alice, team, viewer):
    doc(alice, team, "A", problem_statement="Demand forecast for stores.")
    doc(alice, team, "B", problem_statement="Forecast the demand of stores.")
    doc(alice, team, "C", problem_statement="Churn of subscribers.")
    assert docs_of(search.search(user=viewer, q='"demand forecast"')) == ["A"]
    assert set(docs_of(search.search(user=viewer, q="demand -churn"))) == {"A", "B"}
    assert set(docs_of(search.search(user=viewer, q="churn or stores"))) == {"A", "B", "C"}


@postgresql_only
def test_the_passage_marks_the_match_and_escapes_the_rest(alice, team, viewer):
    doc(alice, team, "Payload", problem_statement="Less <than> & greater, tokens <b>here</b>.")
    group = next(g for g in search.search(user=viewer, q="tokens").groups if g.count)
    item = group.items[0]
    assert item["where"] == "problem statement"
    assert "<mark>tokens</mark>" in item["passage"]
    assert "<b>" not in item["passage"] and "<than>" not in item["passage"]


@pytest.mark.embedded
def test_a_count_over_the_cap_is_flagged_and_its_pages_still_work(
    alice, team, viewer, client, monkeypatch, token_client
):
    for n in range(9):
        doc(alice, team, f"Forecast {n}")
    monkeypatch.setattr(search, "CANDIDATES", 6)
    monkeypatch.setattr(search, "RESULTS_PER_PAGE", 4)
    monkeypatch.setattr(search, "RANKED", 3)
    results = search.search(user=viewer, q="forecast", type="design-docs")
    group = next(g for g in results.groups if g.key == "design-docs")
    if connection.vendor == "postgresql":
        assert (group.count, group.count_capped, results.total_capped) == (6, True, True)
        assert all(f.capped for f in group.facets)
        second = search.search(user=viewer, q="forecast", type="design-docs", page=2)
        more = next(g for g in second.groups if g.key == "design-docs")
        seen = {i["object"].pk for i in group.items} | {i["object"].pk for i in more.items}
        assert len(seen) == 6 and group.page.paginator.num_pages == 2
        body = token_client(viewer).get(API, {"q": "forecast"}).json()
        docs = next(g for g in body["groups"] if g["type"] == "design-docs")
        assert (body["total_capped"], docs["count_capped"], docs["count"]) == (True, True, 6)
        client.force_login(viewer)
        page = client.get(reverse("search"), {"q": "forecast"}).content.decode()
        assert "More than 6 results" in page
    else:  # SQLite counts exactly
        assert (group.count, group.count_capped) == (9, False)


@pytest.mark.embedded
def test_facets_count_truly_and_narrow_across_types(alice, team, viewer):
    other = TeamFactory(name="Pricing ML", slug="pricing-ml")
    for n in range(3):
        doc(alice, team, f"Forecast {n}")
    DesignDocFactory(title="Forecast priced", product_owner=alice, owner_team=other)
    results = search.search(user=viewer, q="forecast")  # all types: shared facets
    teams = next(f for f in results.facets if f.key == "team")
    assert {v.label: v.count for v in teams.values} == {team.name: 3, "Pricing ML": 1}
    narrowed = search.search(user=viewer, q="forecast", facets={"team": "pricing-ml"})
    assert docs_of(narrowed) == ["Forecast priced"] and narrowed.total == 1
    # Teams have no "team" facet: a search narrowed by one finds no team.
    assert next(g for g in narrowed.groups if g.key == "teams").count == 0


@pytest.mark.embedded
def test_the_api_accepts_a_shared_facet_without_a_type(token_client, alice, team, viewer):
    doc(alice, team, "Forecast")
    body = token_client(viewer).get(API, {"q": "forecast", "team": team.slug}).json()
    assert body["total"] == 1
    # The design docs' facets, with the one maturity adds to them (search.register_facet).
    assert {f["key"] for f in body["facets"]} == {"team", "status", "stage", "maturity"}


@pytest.mark.embedded
def test_queries_stay_flat_as_matches_grow(alice, team, viewer, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    doc(alice, team, "Forecast 0")
    for kind in ("", "design-docs"):
        with CaptureQueriesContext(connection) as few:
            search.search(user=viewer, q="forecast", type=kind)
        for n in range(1, 25):
            doc(alice, team, f"Forecast {n}", problem_statement="forecast")
        with django_assert_max_num_queries(len(few)):
            search.search(user=viewer, q="forecast", type=kind)


@pytest.mark.embedded
def test_results_are_only_what_the_user_may_see(alice, team, user_without_role, viewer):
    doc(alice, team, "Forecast hidden")
    assert search.search(user=user_without_role, q="forecast").total == 0
    assert search.search(user=viewer, q="forecast").total == 1
    # Facet counts too: nothing of what the user cannot see is counted.
    facets = search.search(user=user_without_role, q="forecast").facets
    assert all(not f.values for f in facets)


@postgresql_only
def test_the_candidates_statement_is_compiled_once_and_never_crosses_users(
    alice, team, user_without_role, viewer, monkeypatch
):
    doc(alice, team, "Forecast hidden")
    compiled = []
    build = search._found_queryset
    monkeypatch.setattr(
        search, "_found_queryset", lambda *a: compiled.append(a[1].key) or build(*a)
    )
    search._found_statements.clear()
    assert search.search(user=viewer, q="forecast").total == 1
    first = len(compiled)
    assert first == len(search.searchables())  # a viewer sees every type whole
    assert search.search(user=viewer, q="kalman filter").total == 0
    assert search.search(user=viewer, q="forecast").total == 1
    assert len(compiled) == first  # reused, the words sent as a parameter
    # Who sees part of a type gets a statement of their own, never the viewer's.
    assert search.search(user=user_without_role, q="forecast").total == 0
    assert search.search(user=alice, q="forecast").total == 1
    # A selected facet is part of the statement: compiled for it.
    assert search.search(user=viewer, q="forecast", facets={"team": "nope"}).total == 0


def test_an_annotation_without_an_identity_is_compiled_per_search(viewer):
    from django.db.models import OuterRef, Subquery

    from designdocs.models import DesignDoc

    docs = search.searchables()[0]
    subquery = Subquery(DesignDoc.objects.filter(pk=OuterRef("pk")).values("title")[:1])
    assert search._statement_key(docs, docs.queryset(viewer), {"x": subquery}, {}) is None


@pytest.mark.embedded
def test_alice_sees_her_own_docs_counted(alice, team):
    doc(alice, team, "Forecast mine")
    assert search.search(user=alice, q="forecast").total == 1


HOSTILE_QUERIES = [
    "x" * 5000,
    "a\x00b",
    "\x00",
    "a\ud800b",
    "\udfff",
    "!!! ??? ...",
    "-",
    '"',
    '""',
    "or",
    "or or or",
    "-forecast",
    '"unclosed phrase',
    "a & b | !c <-> d:*",
    "forecast:* & !",
    "'single' quotes''",
    "\\",
    "需求预测 模型",
    "توقع الطلب",
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "e\u0301\U0001f600",
    "<script>alert(1)</script>",
    "%00 %ff",
    "( ) ( (",
    " ".join(["word"] * 500),
]


@pytest.mark.embedded
@pytest.mark.parametrize("q", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_any_query_is_searched_without_error(alice, team, viewer, client, token_client, q):
    doc(alice, team, "Forecast")
    search.search(user=viewer, q=q)  # the engine itself, given the raw text
    search.search(user=viewer, q=q, type="design-docs")
    sent = form_safe(q)  # what a URL can carry
    assert token_client(viewer).get(API, {"q": sent}).status_code == 200
    client.force_login(viewer)
    response = client.get(reverse("search"), {"q": sent})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.embedded
def test_a_long_query_is_cut_and_says_so(client, token_client, viewer):
    body = token_client(viewer).get(API, {"q": "forecast " * 100}).json()
    assert body["truncated"] is True and len(body["query"]) <= search.MAX_QUERY_LENGTH
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "forecast " * 100}).content.decode()
    assert "its first 200 were searched" in page


@pytest.mark.embedded
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=hostile_text())
def test_generated_hostile_queries_answer_200(token_client, viewer, q):
    search.search(user=viewer, q=q)
    response = token_client(viewer).get(API, {"q": form_safe(q)})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["truncated"] == search.is_truncated(form_safe(q))


@pytest.mark.embedded
def test_the_empty_state_teaches_the_syntax(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("search"), {"q": "zeppelin"}).content.decode()
    assert "No results" in page and "check the spelling" in page
    assert "<code>-word</code>" in page


@pytest.mark.embedded
def test_a_many_to_many_facet_counts_each_object_once_per_value(monkeypatch, viewer, alice, bob):
    from teams.models import Team, TeamMembership
    from teams.search import TEAMS

    members = search.Facet("member", "Member", "members__username")
    monkeypatch.setitem(
        search._searchables,
        TEAMS.key,
        search.Searchable(**{**vars(TEAMS), "facets": (*TEAMS.facets, members)}),
    )
    first = TeamFactory(name="Forecast one", slug="f1", description="Forecasting.")
    second = TeamFactory(name="Forecast two", slug="f2", description="Forecasting.")
    for team, users in ((first, [alice, bob]), (second, [alice])):
        for user in users:
            TeamMembership.objects.create(team=team, user=user)
    results = search.search(user=viewer, q="forecast", type="teams")
    counted = next(f for f in results.facets if f.key == "member")
    assert {v.value: v.count for v in counted.values} == {"alice": 2, "bob": 1}
    kinds = next(f for f in results.facets if f.key == "kind")
    assert sum(v.count for v in kinds.values) == Team.objects.count() == 2
    narrowed = search.search(user=viewer, q="forecast", type="teams", facets={"member": "bob"})
    assert [i["object"].name for i in narrowed.groups[-1].items] == ["Forecast one"]


@postgresql_only
@pytest.mark.django_db
def test_the_design_doc_search_vector_is_kept_in_the_row():
    """Matching reads the vector of row after row: in TOAST, each read cost several more
    buffer reads (designdocs migration 0010)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'designdocs_designdoc'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
