"""The one-line reasons a `postgres`, `redis` or `browser` test skips with, when a machine
lacks the service (CI, with REGISTRY_REQUIRE_ALL=1, turns any such skip into a failure)."""

import socket

import pytest
from django.db import connection

from registry.core.testing import environment

pytestmark = pytest.mark.embedded


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_redis_reason_names_the_unset_variable(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    assert environment.missing_redis.__wrapped__() == (
        "needs Redis and a Celery worker: CELERY_BROKER_URL is not set"
    )


def test_redis_reason_names_the_unreachable_url(monkeypatch):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    reason = environment.missing_redis.__wrapped__()
    assert reason.startswith(f"needs Redis: {url} is unreachable (")


def test_redis_reason_names_another_transport(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@localhost//")
    assert "not redis://" in environment.missing_redis.__wrapped__()


def test_browser_reason_when_no_chromium_is_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(environment, "CHROMIUM_CANDIDATES", (str(tmp_path / "chromium"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert environment.chromium_path() is None
    assert environment.missing_browser().startswith("needs Chromium: ")


def test_postgres_reason_names_the_database_in_use():
    reason = environment.missing_postgres()
    if connection.vendor == "postgresql":
        assert reason is None
    else:
        assert reason.startswith(f"needs PostgreSQL: the tests run on {connection.vendor}")
        assert "DATABASE_URL" in reason
