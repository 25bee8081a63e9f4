"""Benchmark: team list, team page and team API latency and query counts as the registry
grows, and the rate of `team_upsert` (what a Backstage import of Group entities calls).

Creates N teams in a tree (each with members, a lead, and a parent every few teams) through
the services, then times the pages and endpoints through Django's test client and prints
figures. Nothing is asserted: it prints.

    .venv/bin/python bench/teams.py --teams 500 --members 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/teams.py

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300, help="teams to create")
    parser.add_argument("--members", type=int, default=20, help="members of the measured team")
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

    from registry.core.roles import ALL_ROLES
    from teams import services
    from teams.demo import seed_people_and_teams
    from teams.models import Team

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    seed_people_and_teams()
    admin = User.objects.get(username="admin")
    people = [User.objects.get_or_create(username=f"person{n}")[0] for n in range(args.members)]

    started = time.perf_counter()
    for n in range(args.teams):
        parent = f"bench-team-{n - n % 10}" if n % 10 else None
        result = services.team_upsert(
            actor=admin,
            slug=f"bench-team-{n}",
            name=f"Bench team {n}",
            description=f"Team {n} builds **models** for area {n % 7}.",
            email=f"team{n}@example.com",
            parent=parent,
            members=[p.username for p in people[: 1 + n % 5]],
        )
        assert result.created
    elapsed = time.perf_counter() - started
    print(f"database: {connection.vendor}; teams: {Team.objects.count()}")
    print(
        f"team_upsert (new team, parent, 1-5 members): {elapsed / args.teams * 1000:.1f} ms "
        f"per team, {args.teams / elapsed:.0f} teams/s"
    )
    started = time.perf_counter()
    for n in range(args.teams):
        services.team_upsert(actor=admin, slug=f"bench-team-{n}", name=f"Bench team {n}")
    elapsed = time.perf_counter() - started
    print(f"team_upsert (unchanged, re-import): {elapsed / args.teams * 1000:.1f} ms per team")

    target = Team.objects.get(slug="bench-team-0")
    lead = people[0]
    services.membership_change(
        actor=admin, membership=target.memberships.get(user=lead), role="lead"
    )
    for person in people[1:]:
        services.membership_add(actor=admin, team=target, user=person)
    client = Client()
    client.force_login(User.objects.get(username="dave"))

    def measure(label: str, call) -> None:
        timings, count = [], 0
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = call()
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code < 400, (label, response.status_code)
            count = len(captured)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{label:<44} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
            f"{count:3d} queries"
        )

    measure("GET /teams/ (page, 50 rows)", lambda: client.get("/teams/"))
    measure("GET /teams/?sort=-members", lambda: client.get("/teams/?sort=-members"))
    measure(
        f"GET /teams/{{slug}}/ ({args.members} members, 9 sub-teams)",
        lambda: client.get(target.get_absolute_url()),
    )
    measure("GET /api/teams/?limit=100", lambda: client.get("/api/teams/?limit=100"))
    measure("GET /api/teams/{id}/", lambda: client.get(f"/api/teams/{target.pk}/"))
    measure(
        "GET /api/teams/{id}/memberships/",
        lambda: client.get(f"/api/teams/{target.pk}/memberships/"),
    )
    lead_client = Client()
    lead_client.force_login(lead)
    versions = iter(range(target.version, target.version + args.repeat))

    def patch():
        version = next(versions)
        return lead_client.patch(
            f"/api/teams/{target.pk}/",
            data={"description": f"Version {version}", "version": version},
            content_type="application/json",
        )

    measure("PATCH /api/teams/{id}/ (a lead)", patch)


if __name__ == "__main__":
    main()
