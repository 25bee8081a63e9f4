"""Benchmark: the review queue page and the decision endpoint with N documents in review.

Creates N documents (through the services: each has its revision, its submission and its
audit events) in a scratch database, submits them all (half to bob, half to every
architect, a tenth overdue), then times the queue page (waiting for me / for anyone), the
home page of an architect, and the decision endpoint (POST a comment decision), through
Django's test client, printing latency and query counts. Nothing is asserted: it prints
(the tests assert that the query counts are flat in the queue's length).

    .venv/bin/python bench/reviews.py --docs 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/reviews.py

With SQLite it uses a throwaway file under /tmp; with DATABASE_URL it uses (and empties)
that database: point it at a scratch one.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in review")
    parser.add_argument("--repeat", type=int, default=20, help="requests per endpoint")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the documents of an earlier run (PostgreSQL)"
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.pop("CELERY_BROKER_URL", None)  # e-mail tasks run in-process (console)
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from designdocs.demo import DEMAND_FORECASTING
    from designdocs.models import DesignDoc
    from designdocs.services import designdoc_create
    from registry.core.roles import ALL_ROLES
    from reviews import services
    from reviews.models import ReviewRequest
    from teams.demo import seed_people_and_teams

    if connection.vendor == "postgresql" and not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    seed_people_and_teams()
    alice, bob = User.objects.get(username="alice"), User.objects.get(username="bob")

    started = time.perf_counter()
    soon = timezone.localdate() + datetime.timedelta(days=7)
    before = DesignDoc.objects.count()
    for n in range(args.docs - before):
        doc = designdoc_create(
            user=alice,
            title=f"Forecasting solution {n}",
            owner_team="supply-chain-ml",
            content={**DEMAND_FORECASTING, "co_authors": [], "risk_tier": "high"},
        )
        services.designdoc_submit(
            doc=doc, actor=alice, reviewers=["bob"] if n % 2 else [], due_date=soon
        )
    past = timezone.localdate() - datetime.timedelta(days=2)
    overdue = list(ReviewRequest.objects.order_by("pk").values_list("pk", flat=True))[::10]
    ReviewRequest.objects.filter(pk__in=overdue).update(due_date=past)
    built = time.perf_counter() - started
    made = args.docs - before
    print(f"database: {connection.vendor}; documents in review: {ReviewRequest.objects.count()}")
    if made > 0:
        print(f"create + submit (services): {built / made * 1000:.1f} ms per doc")

    client = Client()
    client.force_login(bob)

    def measure(label: str, call) -> None:
        timings, count = [], 0
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = call()
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code < 400, (label, response.status_code, response.content[:300])
            count = len(captured)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{label:<44} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
            f"{count:3d} queries"
        )

    measure("GET /reviews/ (waiting for me)", lambda: client.get("/reviews/"))
    measure("GET /reviews/?scope=all", lambda: client.get("/reviews/?scope=all"))
    measure("GET /reviews/?scope=all&page=20", lambda: client.get("/reviews/?scope=all&page=20"))
    measure("GET / (architect's home: queue panel)", lambda: client.get("/"))
    doc = DesignDoc.objects.select_related("latest_revision").order_by("pk").first()
    measure("GET /reviews/{slug}/ (review page)", lambda: client.get(f"/reviews/{doc.slug}/"))
    body = {"decision": "comment", "body": "A remark.", "revision": doc.revision_number}
    measure(
        "POST /api/designdocs/{id}/reviews/ (comment)",
        lambda: client.post(
            f"/api/designdocs/{doc.pk}/reviews/", body, content_type="application/json"
        ),
    )


if __name__ == "__main__":
    main()
