"""Benchmark: design-doc API latency and query counts as the registry grows.

Creates N full design documents (through the services, so each has a revision and an audit
event) in a scratch database, then times the list, detail, update and diff endpoints
through Django's test client and prints figures. Nothing is asserted: it prints.

    .venv/bin/python bench/designdocs_api.py --docs 500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/designdocs_api.py

With SQLite it uses a throwaway file under /tmp; with DATABASE_URL it uses (and empties)
that database: point it at a scratch one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


#: PATCH of one narrative section of a full document on PostgreSQL before an update read the
#: document once under its lock and saved it once (measured with this script at that
#: commit): kept to print beside the figures of the code as it is now.
PATCH_BEFORE = {"queries": 33, "doc_reads": 4, "doc_saves": 3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="documents to create")
    parser.add_argument("--repeat", type=int, default=20, help="requests per endpoint")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from designdocs.demo import DEMAND_FORECASTING
    from designdocs.models import DesignDoc
    from designdocs.services import designdoc_create, designdoc_update
    from teams.demo import seed_people_and_teams

    call_command(
        "flush", interactive=False, verbosity=0
    ) if connection.vendor == "postgresql" else None
    call_command("migrate", verbosity=0)
    # The role groups come from a data migration, which a flush empties and migrate does
    # not run again.
    from registry.core.roles import ALL_ROLES

    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    seed_people_and_teams()
    alice = User.objects.get(username="alice")
    alice.groups.add(Group.objects.get(name="Product owners"))

    started = time.perf_counter()
    for n in range(args.docs - DesignDoc.objects.count()):
        designdoc_create(
            user=alice,
            title=f"Forecasting solution {n}",
            owner_team="supply-chain-ml",
            content=DEMAND_FORECASTING,
        )
    created = time.perf_counter() - started
    print(f"database: {connection.vendor}; documents: {DesignDoc.objects.count()}")
    print(f"create (service, full doc): {created / max(args.docs, 1) * 1000:.1f} ms per doc")

    client = Client()
    client.force_login(alice)
    doc = DesignDoc.objects.order_by("id").first()

    def measure(label: str, call) -> list[str]:
        timings, sql = [], []
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = call()
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code < 400, (label, response.status_code, response.content[:300])
            sql = [q["sql"] for q in captured.captured_queries]
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{label:<38} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
            f"{len(sql):3d} queries"
        )
        return sql

    measure("GET /api/designdocs/?limit=25", lambda: client.get("/api/designdocs/?limit=25"))
    measure("GET /api/designdocs/?limit=100", lambda: client.get("/api/designdocs/?limit=100"))
    measure("GET /api/designdocs/?q=forecast", lambda: client.get("/api/designdocs/?q=forecast"))
    measure("GET /api/designdocs/{id}/", lambda: client.get(f"/api/designdocs/{doc.pk}/"))
    measure("GET /designdocs/ (page)", lambda: client.get("/designdocs/"))
    measure("GET /designdocs/{slug}/ (page)", lambda: client.get(f"/designdocs/{doc.slug}/"))

    versions = iter(range(doc.version, doc.version + args.repeat))

    def patch():
        version = next(versions)
        return client.patch(
            f"/api/designdocs/{doc.pk}/",
            data={"business_value": f"Value v{version}", "version": version},
            content_type="application/json",
        )

    sql = measure("PATCH /api/designdocs/{id}/", patch)
    doc_reads = sum(1 for q in sql if q.startswith("SELECT") and 'FROM "designdocs_designdoc"' in q)
    # Saves of the row, not the refresh of its search vector (an UPDATE of that alone).
    doc_saves = sum(
        1
        for q in sql
        if q.startswith('UPDATE "designdocs_designdoc" SET')
        and not q.startswith('UPDATE "designdocs_designdoc" SET "search_vector"')
    )
    print(
        f"  PATCH queries: {PATCH_BEFORE['queries']} before the single read, {len(sql)} now; "
        f"document read {PATCH_BEFORE['doc_reads']} times before, {doc_reads} now "
        f"(permission check, then locked with its content); saves of the document "
        f"{PATCH_BEFORE['doc_saves']} before, {doc_saves} now"
    )
    designdoc_update(doc=DesignDoc.objects.get(pk=doc.pk), user=alice,
                     expected_version=DesignDoc.objects.get(pk=doc.pk).version,
                     changes={"problem_statement": "Rewritten"})  # fmt: skip
    measure(
        "GET .../diff/?from=1&to=2",
        lambda: client.get(f"/api/designdocs/{doc.pk}/diff/?from=1&to=2"),
    )


if __name__ == "__main__":
    main()
