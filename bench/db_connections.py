"""Benchmark: request latency with database connections reused (DB_CONN_MAX_AGE) or not.

Starts two gunicorn servers on loopback, one sync worker each as in the image, one with
DB_CONN_MAX_AGE=0 (a new PostgreSQL connection per request) and one with the default
reuse, then sends the same authenticated API request (GET /api/teams/) to both, in
alternating rounds so that load from elsewhere on the machine falls on both alike. Prints
the median and 90th percentile of each, and how many database sessions each opened (from
pg_stat_database). Nothing is asserted: it prints.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \\
        .venv/bin/python bench/db_connections.py --requests 500

It migrates the database it is given and adds the demo people and teams to it: point it at
a scratch one. PostgreSQL only: opening a SQLite file costs next to nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PATH = "/api/teams/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(conn_max_age: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE=str(conn_max_age),
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


@contextmanager
def gunicorn(conn_max_age: int):
    """A gunicorn with one sync worker on a free loopback port; stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        # (no collected static files are needed for the API: quiet whitenoise's warning)
        [sys.executable, "-W", "ignore:No directory at:UserWarning", "-m", "gunicorn", "registry.wsgi:application", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE_DIR, env=server_env(conn_max_age),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    message = f"gunicorn (DB_CONN_MAX_AGE={conn_max_age}) did not start"
                    raise SystemExit(message) from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def timed_requests(port: int, token: str, count: int) -> list[float]:
    """`count` GETs over one keep-alive HTTP connection; milliseconds each."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Token {token}", "Connection": "keep-alive"}
    timings = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", PATH, headers=headers)
            response = connection.getresponse()
            response.read()
            timings.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise SystemExit(f"GET {PATH} answered {response.status}")
    finally:
        connection.close()
    return timings


def sessions_opened() -> int:
    """Sessions the database has had since its statistics were reset (PostgreSQL >= 14)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="timed requests per setting")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--reuse", type=int, default=60, help="DB_CONN_MAX_AGE when reusing")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database.")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from registry.catalogue.demo import seed_people_and_teams
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    seed_people_and_teams()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="dave"))
    print(f"PostgreSQL {connection.pg_version // 10000}; GET {PATH} as dave, one sync worker")

    settings = {"DB_CONN_MAX_AGE=0 (connect per request)": 0,
                f"DB_CONN_MAX_AGE={args.reuse} (reuse)": args.reuse}  # fmt: skip
    timings: dict[str, list[float]] = {label: [] for label in settings}
    sessions: dict[str, int] = dict.fromkeys(settings, 0)
    per_round = max(1, args.requests // args.rounds)
    with ExitStack() as stack:
        ports = {label: stack.enter_context(gunicorn(age)) for label, age in settings.items()}
        for port in ports.values():
            timed_requests(port, token.key, 20)  # warm up: imports, first connection
        for _ in range(args.rounds):
            for label, port in ports.items():
                before = sessions_opened()
                timings[label] += timed_requests(port, token.key, per_round)
                time.sleep(1)  # backends report their sessions to the statistics as they end
                sessions[label] += sessions_opened() - before
    for label, values in timings.items():
        values.sort()
        p90 = values[int(len(values) * 0.9) - 1]
        print(
            f"{label:38} median {statistics.median(values):6.2f} ms   p90 {p90:6.2f} ms   "
            f"database sessions opened: {sessions[label]} for {len(values)} requests"
        )
    plain, reused = (statistics.median(values) for values in timings.values())
    print(f"reuse saves {plain - reused:.2f} ms per request ({(1 - reused / plain) * 100:.0f} %)")


if __name__ == "__main__":
    main()
