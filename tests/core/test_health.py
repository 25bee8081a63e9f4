"""/healthz: database, broker and version; 503 when the database is unreachable."""

import socket

import pytest
from django.conf import settings
from django.db import connections

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_healthz_reports_database_broker_and_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == settings.REGISTRY_VERSION
    assert body["checks"]["database"] == {"status": "ok", "vendor": connections["default"].vendor}
    expected_broker = "in_process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["checks"]["broker"]["status"] == expected_broker
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_needs_no_login_and_refuses_post(client):
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unreachable_settings(settings_dict: dict, tmp_path) -> dict:
    broken = {**settings_dict, "OPTIONS": dict(settings_dict.get("OPTIONS", {}))}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = str(tmp_path / "no-such-dir" / "registry.sqlite3")
    else:
        broken.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        broken["OPTIONS"]["connect_timeout"] = 2
    return broken


def test_healthz_answers_503_when_the_database_is_unreachable(client, tmp_path):
    # A real failure, not a mock: the default connection is swapped for one whose settings
    # point at a closed port (PostgreSQL) or an unopenable file (SQLite); the test
    # database's own connection stays untouched and is put back afterwards.
    original = connections["default"]
    broken = type(original)(_unreachable_settings(original.settings_dict, tmp_path), "default")
    connections["default"] = broken
    try:
        response = client.get("/healthz")
    finally:
        broken.close()
        connections["default"] = original

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["version"] == settings.REGISTRY_VERSION
    # The database answers again once it is back.
    assert client.get("/healthz").status_code == 200
