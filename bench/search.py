"""Benchmark: the one search (GET /api/search/ and the search page) at 100,000 entries.

Builds a throwaway PostgreSQL database (dropped and created again: by default
`registry_search_bench` on the server of DATABASE_URL, or 127.0.0.1) with N design docs of
varied, realistic text (written with COPY) plus teams, fills their search vectors and the
typo table in bulk, then times through Django's test client, as a viewer who sees
everything:

- the one search for a common word, a rare word, a typo, a multi-word websearch query,
  and a prefix (a word being typed);
- the search page for the common word, and one type alone (paginated, faceted);
- the design doc list's `?q=` (`GET /api/designdocs/?q=forecast&limit=50`);
- a plain ILIKE scan of the same data (every searched field, the count and first 20),
  and the ratio of its median to the search's.

    .venv/bin/python bench/search.py                     # 100,000 docs (a few minutes)
    .venv/bin/python bench/search.py --docs 10000 --repeat 30
    .venv/bin/python bench/search.py --keep              # reuse the built database
    .venv/bin/python bench/search.py --database registry_search_bench_2   # a name of its own

Nothing is asserted: it prints.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DB = "registry_search_bench"

# -- realistic text ------------------------------------------------------------------------

DOMAINS = [
    ("demand", "forecast", "forecasting", "stores", "weekly sales", "promotions"),
    ("churn", "retention", "subscribers", "cohorts", "uplift", "campaign"),
    ("fraud", "detection", "transactions", "chargebacks", "anomaly", "rules"),
    ("recommendation", "ranking", "catalogue", "sessions", "embeddings", "click-through"),
    ("pricing", "elasticity", "markdown", "margin", "competitors", "basket"),
    ("credit", "scoring", "applicants", "default", "bureau", "affordability"),
    ("search", "relevance", "queries", "synonyms", "reranking", "latency"),
    ("logistics", "routing", "deliveries", "capacity", "warehouse", "inventory"),
    ("support", "triage", "tickets", "intent", "language model", "summaries"),
    ("energy", "load", "consumption", "weather", "grid", "peak"),
]
NOUNS = [
    "model",
    "pipeline",
    "feature",
    "store",
    "dataset",
    "training",
    "job",
    "batch",
    "scoring",
    "online",
    "serving",
    "endpoint",
    "dashboard",
    "monitoring",
    "drift",
    "alert",
    "threshold",
    "baseline",
    "experiment",
    "holdout",
    "label",
    "schema",
    "warehouse",
    "table",
    "stream",
    "event",
    "queue",
    "cache",
    "registry",
    "artefact",
    "notebook",
    "owner",
    "team",
    "budget",
    "latency",
    "throughput",
    "accuracy",
    "recall",
    "precision",
    "calibration",
    "fairness",
    "audit",
    "review",
    "risk",
    "stakeholder",
    "rollout",
    "rollback",
    "canary",
    "shadow",
    "traffic",
    "retraining",
    "schedule",
    "backfill",
]
VERBS = [
    "predicts",
    "estimates",
    "ranks",
    "scores",
    "flags",
    "detects",
    "reduces",
    "improves",
    "replaces",
    "monitors",
    "retrains",
    "serves",
    "exports",
    "joins",
    "aggregates",
    "validates",
    "explains",
    "compares",
    "publishes",
]
ADJECTIVES = [
    "daily",
    "weekly",
    "hourly",
    "regional",
    "national",
    "seasonal",
    "noisy",
    "sparse",
    "delayed",
    "critical",
    "reliable",
    "explainable",
    "gradient-boosted",
    "linear",
    "probabilistic",
    "hierarchical",
    "real-time",
    "offline",
]
#: Words that occur in very few documents (about 1 in 5,000).
RARE = ["kalman", "zeppelin", "bathymetry", "tessellation", "heliostat"]


def sentence(rng: random.Random, domain: tuple[str, ...]) -> str:
    if domain is DOMAINS[0] and rng.random() < 0.2:  # the phrase itself, now and then
        return f"The demand forecast {rng.choice(VERBS)} the {rng.choice(NOUNS)}."
    words = [
        rng.choice(ADJECTIVES),
        rng.choice(domain),
        rng.choice(NOUNS),
        rng.choice(VERBS),
        "the",
        rng.choice(NOUNS),
        "for",
        rng.choice(domain),
        rng.choice(NOUNS),
    ]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, domain, sentences: int) -> str:
    text = " ".join(sentence(rng, domain) for _ in range(sentences))
    if rng.random() < 0.0002 * 5:
        text += f" Uses a {rng.choice(RARE)} approach."
    return text


def doc_row(n: int, rng: random.Random, team_ids, owner_id, now) -> list:
    domain = DOMAINS[rng.randrange(len(DOMAINS))]
    # One doc in four mentions forecasting somewhere, whatever its domain.
    other = DOMAINS[0] if rng.random() < 0.25 else domain
    title = f"{rng.choice(ADJECTIVES).capitalize()} {domain[0]} {rng.choice(NOUNS)} {n}"
    return [
        title,
        f"doc-{n}",
        rng.choice(team_ids),
        owner_id,
        "draft",
        "unclassified",
        "unclassified",
        paragraph(rng, domain, 3),  # problem statement
        paragraph(rng, domain, 2),  # business value
        paragraph(rng, other, 4),  # architecture
        paragraph(rng, domain, 3),  # data
        paragraph(rng, domain, 1),
        paragraph(rng, other, 1),
        paragraph(rng, domain, 1),
        "",
        1,
        now,
        now,
    ]


DOC_COLUMNS = [
    "title",
    "slug",
    "owner_team_id",
    "product_owner_id",
    "status",
    "stage",
    "risk_tier",
    "problem_statement",
    "business_value",
    "architecture",
    "data",
    "deployment_constraints",
    "alternatives",
    "open_questions",
    "other_notes",
    "version",
    "created_at",
    "updated_at",
]


def prepare_database(url: str) -> str:
    """The URL of a freshly created bench database on the server of `url`."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="design docs to create")
    parser.add_argument("--teams", type=int, default=500, help="teams to create")
    parser.add_argument("--repeat", type=int, default=40, help="requests per measure")
    parser.add_argument("--keep", action="store_true", help="reuse an existing bench database")
    parser.add_argument("--database", default=None, help="the bench database's name")
    args = parser.parse_args()
    global BENCH_DB  # one name for the whole run
    BENCH_DB = args.database or BENCH_DB

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if args.keep:
        parts = urlsplit(server)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    else:
        os.environ["DATABASE_URL"] = prepare_database(server)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from designdocs.models import DesignDoc
    from designdocs.search import DESIGNDOCS
    from registry.core import search
    from teams.models import Team

    if not args.keep:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        viewer = User.objects.create_user("viewer", password="bench")
        viewer.groups.add(Group.objects.get_or_create(name="Viewers")[0])
        owner = User.objects.create_user("owner", password="bench")
        rng = random.Random(20261201)
        teams = [
            Team(
                name=f"{DOMAINS[n % len(DOMAINS)][0].capitalize()} team {n}",
                slug=f"team-{n}",
                description=paragraph(rng, DOMAINS[n % len(DOMAINS)], 2),
            )
            for n in range(args.teams)
        ]
        Team.objects.bulk_create(teams, batch_size=1000)
        team_ids = list(Team.objects.values_list("pk", flat=True))
        now = timezone.now()
        with connection.cursor() as cursor:
            sql = f"COPY designdocs_designdoc ({', '.join(DOC_COLUMNS)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for n in range(args.docs):
                    copy.write_row(doc_row(n, rng, team_ids, owner.pk, now))
        loaded = time.perf_counter() - started
        vector = search.weighted_vector(DESIGNDOCS.fields)
        DesignDoc.objects.update(search_vector=vector)
        vectors = time.perf_counter() - started - loaded
        words = search.rebuild_search_words()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"built {args.docs} docs + {args.teams} teams: COPY {loaded:.0f} s, vectors "
            f"{vectors:.0f} s, {words} typo words, total {time.perf_counter() - started:.0f} s"
        )
    viewer = User.objects.get(username="viewer")
    size = connection.cursor()
    size.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"database: {connection.vendor} {BENCH_DB} ({size.fetchone()[0]}); "
        f"entries: {DesignDoc.objects.count()} design docs + {Team.objects.count()} teams; "
        f"candidate cap {search.CANDIDATES}"
    )

    client = Client()
    client.force_login(viewer)
    summary: dict[str, float] = {}

    def measure(label: str, call, repeat: int = args.repeat) -> float:
        timings, last = [], None
        call()  # warm the caches as a steady server would be
        for _ in range(repeat):
            t0 = time.perf_counter()
            last = call()
            timings.append((time.perf_counter() - t0) * 1000)
        # Counted apart: capturing queries formats each statement, which no server does.
        with CaptureQueriesContext(connection) as captured:
            call()
        queries = len(captured.captured_queries)
        status = getattr(last, "status_code", 200)
        assert status == 200, (label, status)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        extra = ""
        if hasattr(last, "json") and label.startswith("search"):
            body = last.json()
            more = "more than " if body["total_capped"] else ""
            extra = f"  total: {more}{body['total']}"
            if body["corrected"]:
                extra += f", corrected to “{body['corrected']}”"
        print(f"{label:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries:2d} queries{extra}")
        summary[label] = p50
        return p95

    def api(q: str, **params):
        return lambda: client.get("/api/search/", {"q": q, **params})

    # Warm the database's caches for every query first, as a server in use would be.
    for q in ("forecast", "kalman", "forcast", '"demand forecast" -fraud', "forec"):
        for _ in range(3):
            api(q)()
    measure("search: common word (forecast)", api("forecast"))
    measure("search: rare word (kalman)", api("kalman"))
    measure("search: typo (forcast)", api("forcast"))
    measure('search: websearch ("demand forecast" -fraud)', api('"demand forecast" -fraud'))
    measure("search: two words (churn or retention model)", api("churn or retention model"))
    measure("search: prefix being typed (forec)", api("forec"))
    measure("search: no match (qwertyuiop)", api("qwertyuiop"))
    measure("search: one type, page 3 (forecast)", api("forecast", type="design-docs", page=3))
    measure("page: /search/?q=forecast", lambda: client.get("/search/", {"q": "forecast"}))
    measure(
        "page: /search/?q=forecast&type=design-docs",
        lambda: client.get("/search/", {"q": "forecast", "type": "design-docs"}),
    )
    measure(
        "list: /api/designdocs/?q=forecast&limit=50",
        lambda: client.get("/api/designdocs/", {"q": "forecast", "limit": 50}),
        repeat=min(args.repeat, 20),
    )

    def ilike(word: str):
        def scan():
            match = Q()
            for name in DESIGNDOCS.fields:
                match |= Q(**{f"{name}__icontains": word})
            found = DesignDoc.objects.filter(match)
            found.count()
            list(found.order_by("-updated_at", "-id")[:20])

        return scan

    measure("ILIKE scan: common word (forecast)", ilike("forecast"), repeat=5)
    measure("ILIKE scan: rare word (kalman)", ilike("kalman"), repeat=5)
    for word, label in (("forecast", "common"), ("kalman", "rare")):
        fast = summary[f"search: {label} word ({word})"]
        slow = summary[f"ILIKE scan: {label} word ({word})"]
        print(f"ratio ILIKE / search, {label} word: {slow / fast:.0f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
