"""Benchmark: the maturity portfolio and one subject's score computation with 10,000
subjects and 50,000 assessments.

Design docs and assessments are inserted in bulk (bench data, not through the services: a
service call per row would take the whole run); the measured calls are the product's own
(`maturity.selectors.portfolio`, the /maturity/ page, `maturity.services.assessment_create`,
`maturity.scoring.score` and `what_next`). Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/maturity.py

With DATABASE_URL it uses (and empties) that database: point it at a scratch one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--assessments", type=int, default=50_000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from designdocs.models import DesignDoc
    from maturity import scoring
    from maturity.models import Assessment, MaturityModel
    from maturity.selectors import portfolio, rubric_of
    from maturity.services import assessment_create
    from registry.core import roles
    from teams.models import Team, TeamMembership

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password="x")
    group, _ = Group.objects.get_or_create(name=roles.PRODUCT_OWNERS)
    user.groups.add(group)
    teams = Team.objects.bulk_create(
        Team(name=f"Team {n}", slug=f"team-{n}") for n in range(args.teams)
    )
    TeamMembership.objects.bulk_create(TeamMembership(team=t, user=user) for t in teams)
    t0 = time.perf_counter()
    docs = DesignDoc.objects.bulk_create(
        (
            DesignDoc(title=f"Doc {n}", slug=f"doc-{n}", owner_team=teams[n % args.teams],
                      product_owner=user, stage=random.choice(
                          ["problem_definition", "model_training", "deployment", "monitoring"]))
            for n in range(args.subjects)
        ),
        batch_size=2000,
    )  # fmt: skip
    model = MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        slug="ml-test-score"
    )
    ct = ContentType.objects.get_for_model(DesignDoc)
    now = timezone.now()
    rng = random.Random(7)
    Assessment.objects.bulk_create(
        (
            Assessment(
                subject_type=ct, subject_id=docs[n % args.subjects].pk,
                team_id=docs[n % args.subjects].owner_team_id, model=model, model_version=1,
                assessor=user, assessed_at=now - timedelta(days=rng.randint(0, 700)),
                score=(s := rng.choice([0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6])),
                band=str(0 if s == 0 else 1 if s <= 1 else 2 if s <= 2 else 3 if s <= 3
                         else 4 if s <= 5 else 5),
                band_label="", by_category={},
            )
            for n in range(args.assessments)
        ),
        batch_size=5000,
    )  # fmt: skip
    print(f"setup: {args.subjects} subjects, {args.assessments} assessments, {args.teams} teams "
          f"in {time.perf_counter() - t0:.1f} s ({connection.vendor})")  # fmt: skip

    def timed(fn, repeat=args.repeat):
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(captured.captured_queries)
        return statistics.median(times), max(times), queries

    median, worst, queries = timed(lambda: portfolio(user=user))
    print(f"portfolio selector: median {median:.0f} ms, max {worst:.0f} ms, {queries} queries")
    client = Client()
    client.force_login(user)
    median, worst, queries = timed(lambda: client.get("/maturity/"))
    print(f"portfolio page /maturity/: median {median:.0f} ms, max {worst:.0f} ms, "
          f"{queries} queries")  # fmt: skip
    rubric = rubric_of(model)
    answers = {i.code: rng.choice(["no", "manual", "automated"]) for i in model.items.all()}
    start = time.perf_counter()
    for _ in range(1000):
        scoring.score(rubric, answers)
    print(f"scoring.score (ML Test Score, 28 tests): {(time.perf_counter() - start):.3f} ms each")
    start = time.perf_counter()
    for _ in range(100):
        scoring.what_next(rubric, answers)
    print(f"scoring.what_next: {(time.perf_counter() - start) * 10:.2f} ms each")
    doc = docs[0]
    median, worst, queries = timed(
        lambda: assessment_create(actor=user, subject=doc, model=model, answers=answers)
    )
    print(f"assessment_create (one subject, 28 answers): median {median:.0f} ms, "
          f"{queries} queries")  # fmt: skip


if __name__ == "__main__":
    main()
