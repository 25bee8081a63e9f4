"""Benchmark: how long each refusal of the hostile-input table takes, in debug and
production mode (DEBUG on and off), through Django's test client. Prints the slowest cases
of each mode and the total; nothing is asserted (tests/designdocs/test_hostile_input.py
asserts the refusals).

    .venv/bin/python bench/hostile_input.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench .venv/bin/python bench/hostile_input.py

With SQLite it uses a throwaway file under /tmp; with DATABASE_URL it uses (and empties)
that database: point it at a scratch one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=8, help="slowest cases to print per mode")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from registry.catalogue.demo import seed_people_and_teams
    from registry.catalogue.models import Team
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from designdocs.demo import DEMAND_FORECASTING
    from designdocs.services import designdoc_create
    from tests.designdocs.test_hostile_input import PARAMS

    setup_test_environment()  # the test client's host, template context capture
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    seed_people_and_teams()
    alice = User.objects.get(username="alice")
    alice.groups.add(Group.objects.get(name="Product owners"))
    team = Team.objects.get(slug="supply-chain-ml")
    doc = designdoc_create(user=alice, title="Target", owner_team=team, content=DEMAND_FORECASTING)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=alice)[0].key}")
    context = SimpleNamespace(client=client, api=api, team=team, doc=doc)

    print(f"database: {connection.vendor}; cases: {len(PARAMS)} per mode")
    for debug in (True, False):
        settings.DEBUG = debug
        timings = []
        for param in PARAMS:
            endpoint, case = param.values
            started = time.perf_counter()
            response = endpoint.send(context, case.changes)
            timings.append((time.perf_counter() - started, param.id, response.status_code))
        timings.sort(reverse=True)
        mode = "debug" if debug else "production"
        total = sum(t for t, _, _ in timings)
        statuses = sorted({s for _, _, s in timings})
        print(f"\n{mode}: total {total:.1f} s, statuses {statuses}; slowest:")
        for seconds, name, status in timings[: args.show]:
            print(f"  {seconds * 1000:8.1f} ms  {status}  {name}")


if __name__ == "__main__":
    main()
