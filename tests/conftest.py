"""Fixtures and environment rules shared by every test.

People: `alice` (product owner), `bob` and `carol` (architects), `dave` (viewer),
`user_without_role` (signed in, no role), `superuser`; the aliases `product_owner`,
`architect` and `viewer`; `team` (alice is a member). All passwords are `demo`.

Clients: `client` (pytest-django, for pages), `api_client` (anonymous DRF client),
`token_client(user)` (a DRF client sending that user's `Authorization: Token ...`).

Environments: tests marked `postgres`, `redis` or `browser` skip with a one-line reason when
the database is not PostgreSQL, Redis is unset/unreachable, or Chromium is missing. With
REGISTRY_REQUIRE_ALL=1 (CI) any skip fails the run. `celery_worker` is a real worker on
Redis (session-scoped); `page` is a Playwright page in the system Chromium, and `live_server`
serves the app to it.
"""

from __future__ import annotations

import os
import socket

import pytest

from registry.core import roles
from registry.core.testing import require_all
from registry.core.testing.environment import MISSING, chromium_path
from tests.factories import SuperuserFactory, TeamFactory, TeamMembershipFactory, UserFactory

# --- environment: skips and REGISTRY_REQUIRE_ALL -------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    require_all.register(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons: dict[str, str | None] = {}
    for item in items:
        if getattr(item, "operation_label", None) and not item.nodeid.endswith("]"):
            # schemathesis 4.32 on pytest 9 gives every operation's test the same node id;
            # make it name the operation, so reports and -k/--lf can tell them apart.
            item._id = item.parent.id.child(item.originalname).with_params(item.operation_label)
        for marker_name, missing in MISSING.items():
            if item.get_closest_marker(marker_name) is None:
                continue
            if marker_name not in reasons:
                reasons[marker_name] = missing()
            if reasons[marker_name]:
                item.add_marker(pytest.mark.skip(reason=reasons[marker_name]))


def _schemathesis_run():
    """The schemathesis module of this session (its counts), if it ran."""
    import sys

    module = sys.modules.get("tests.core.test_api_schemathesis")
    return module if module is not None and module.GENERATED else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and "test_api_conforms_to_its_schema[" in report.nodeid:
        _SCHEMATHESIS_CASES_RUN.add(report.nodeid)


_SCHEMATHESIS_CASES_RUN: set[str] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A session that ran every operation for every role must reach CI's floor of generated
    # requests: a smaller max_examples (or a schema that lost operations) would test less.
    module = _schemathesis_run()
    if module is None:
        return
    every_case = len(list(module.schema.get_all_operations())) * len(module.ROLES)
    if (
        len(_SCHEMATHESIS_CASES_RUN) >= every_case
        and module.GENERATED.total() < module.MIN_GENERATED
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    module = _schemathesis_run()
    if module is None:
        return
    counts = module.GENERATED
    per_role = ", ".join(f"{role} {counts[role]}" for role in module.ROLES)
    read_back = ", ".join(f"{method} {n}" for method, n in sorted(module.READ_BACK.items()))
    line = f"schemathesis: {counts.total()} generated requests ({per_role}); 2xx writes read back: {read_back or 'none'}"
    if counts.total() < module.MIN_GENERATED:
        line += f"; CI needs {module.MIN_GENERATED} over the whole run"
    terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _empty_caches():
    # The cache is per process (locmem) in tests: without this, what one test left there
    # would be seen by the next.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2 at full strength costs ~0.2 s per user; the tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- people and teams -----------------------------------------------------------------------


@pytest.fixture
def alice(db):
    """Product owner; a member of `team` once that fixture is used."""
    return UserFactory(username="alice", first_name="Alice", roles=[roles.PRODUCT_OWNERS])


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", first_name="Bob", roles=[roles.ARCHITECTS])


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", first_name="Carol", roles=[roles.ARCHITECTS])


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", first_name="Dave", roles=[roles.VIEWERS])


@pytest.fixture
def user_without_role(db):
    """Signed in, but in no role group: sees nothing of the registry."""
    return UserFactory(username="erin", first_name="Erin")


@pytest.fixture
def superuser(db):
    return SuperuserFactory(username="admin")


@pytest.fixture
def product_owner(alice):
    return alice


@pytest.fixture
def architect(bob):
    return bob


@pytest.fixture
def viewer(dave):
    return dave


@pytest.fixture
def team(alice):
    """A feature team with alice as a member."""
    team = TeamFactory(name="Fraud Detection", slug="fraud-detection")
    TeamMembershipFactory(team=team, user=alice)
    return team


# --- API clients ----------------------------------------------------------------------------


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def token_client(db):
    """`token_client(user)`: a DRF client authenticated by a new API token of the user."""
    from rest_framework.test import APIClient

    from registry.core.testing.api import api_token_key

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
        client.user = user
        return client

    return make


# --- Celery: a real worker on Redis ---------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker (solo pool, in a thread) consuming the app's queues on Redis.

    Session-scoped: celery's function-scoped worker hangs on its second start
    (celery/celery#5105). Use it from tests marked `redis` and
    `@pytest.mark.django_db(transaction=True)`, and wait for the task's committed effect
    with `registry.core.testing.celery_worker.wait_for`.
    """
    reason = MISSING["redis"]()
    if reason:
        pytest.skip(reason)
    from registry.celery import app
    from registry.core.testing.celery_worker import running_worker

    with running_worker(app, hostname=f"tests@{socket.gethostname()}") as worker:
        yield worker


# --- Browser: Playwright on the system Chromium ---------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium; Playwright must never download a browser here."""
    reason = MISSING["browser"]()
    if reason:
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            # Lets a test serve the live server under a non-local host name.
            "--host-resolver-rules=MAP registry.test 127.0.0.1",
        ],
    }


@pytest.fixture(scope="session")
def playwright(playwright):
    # The sync API keeps an event loop in the main thread from here on, and Django refuses
    # ORM calls from a thread with a running loop; the calls are synchronous all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Pages open against the live server: `page.goto("/login/")`."""
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    # The real WSGI handler closes the database connection at the end of every request
    # (CONN_MAX_AGE=0), which would end the test's transaction on PostgreSQL. Django's own
    # test client detaches the same signal handlers for the same reason.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published_rubrics(db):
    """The maturity models the data migration loads. A transactional test's flush empties
    every table, migration data included; the tests after it get the rubrics back here."""
    import importlib

    from django.apps import apps

    from maturity.models import MaturityModel

    if not MaturityModel.objects.filter(builtin=True).exists():
        importlib.import_module("maturity.migrations.0002_published_rubrics").load(apps, None)
