"""Configuration by environment: the embedded default, PostgreSQL and Redis when asked,
and a production mode that refuses to start half-configured and passes `check --deploy`."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "registry" / "settings.py"
SETTINGS_VARIABLES = (
    "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL",
    "SQLITE_PATH", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
    "DB_CONN_MAX_AGE", "SIGN_IN_FAILURE_LIMIT", "SIGN_IN_LOCKOUT_MINUTES", "NUM_PROXIES",
)  # fmt: skip
STRONG_SECRET_KEY = secrets.token_urlsafe(50)


@pytest.fixture
def load_settings(monkeypatch):
    """Evaluate registry/settings.py afresh under the given environment (nothing else set)."""

    def load(**environ: str) -> dict:
        for name in SETTINGS_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def _production_env(**overrides: str | None) -> dict[str, str]:
    # Only what a deployment would set: nothing leaks in from the test session (e.g. the
    # DJANGO_ALLOW_ASYNC_UNSAFE the browser tests need, which check --deploy rejects).
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(DJANGO_DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY, ALLOWED_HOSTS="registry.example.com")
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.embedded
def test_nothing_set_means_sqlite_and_in_process_tasks(load_settings):
    config = load_settings()
    assert config["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert config["DATABASES"]["default"]["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert config["CELERY_TASK_ALWAYS_EAGER"] is True
    assert config["CELERY_TASK_EAGER_PROPAGATES"] is True
    assert config["CELERY_BROKER_URL"] == "memory://"
    assert config["DEBUG"] is True


def test_database_url_selects_postgresql(load_settings):
    config = load_settings(DATABASE_URL="postgres://registry:s3cret@db.internal:6432/registry")
    database = config["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        6432,
        "registry",
    )
    assert (database["USER"], database["PASSWORD"]) == ("registry", "s3cret")
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_postgresql_connections_are_reused_and_checked_before_reuse(load_settings):
    database = load_settings(DATABASE_URL="postgres://registry@db.internal/registry")
    assert database["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert database["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    database = load_settings(
        DATABASE_URL="postgres://registry@db.internal/registry", DB_CONN_MAX_AGE="0"
    )
    assert database["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


@pytest.mark.embedded
def test_sqlite_opens_a_connection_per_request_unless_asked(load_settings):
    assert load_settings()["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    assert load_settings(DB_CONN_MAX_AGE="30")["DATABASES"]["default"]["CONN_MAX_AGE"] == 30


def test_sign_in_lockout_is_configured_from_the_environment(load_settings):
    defaults = load_settings()
    assert defaults["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert defaults["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert (defaults["AXES_FAILURE_LIMIT"], defaults["AXES_COOLOFF_TIME"].total_seconds()) == (
        5,
        900,
    )
    tuned = load_settings(SIGN_IN_FAILURE_LIMIT="8", SIGN_IN_LOCKOUT_MINUTES="60", NUM_PROXIES="1")
    assert (tuned["AXES_FAILURE_LIMIT"], tuned["AXES_COOLOFF_TIME"].total_seconds()) == (8, 3600)
    assert tuned["NUM_PROXIES"] == 1


def test_celery_broker_url_selects_redis_and_real_workers(load_settings):
    config = load_settings(CELERY_BROKER_URL="redis://cache.internal:6379/1")
    assert config["CELERY_BROKER_URL"] == "redis://cache.internal:6379/1"
    assert config["CELERY_TASK_ALWAYS_EAGER"] is False


def test_production_without_secret_key_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        load_settings(DJANGO_DEBUG="0", ALLOWED_HOSTS="registry.example.com")


def test_production_without_allowed_hosts_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS must be set"):
        load_settings(DJANGO_DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY)


def test_unreadable_boolean_is_refused_with_its_name(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 1/0"):
        load_settings(DJANGO_DEBUG="maybe")


def test_production_mode_turns_on_transport_security(load_settings):
    config = load_settings(
        DJANGO_DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY, ALLOWED_HOSTS="a.example.com, b.example.com"
    )
    assert config["DEBUG"] is False
    assert config["ALLOWED_HOSTS"] == ["a.example.com", "b.example.com"]
    assert config["SECURE_SSL_REDIRECT"] is True
    assert config["SESSION_COOKIE_SECURE"] and config["CSRF_COOKIE_SECURE"]
    assert config["SECURE_HSTS_SECONDS"] >= 31536000
    assert config["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_check_deploy_passes_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY must be set"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set")],
)
def test_production_mode_exits_with_a_clear_message_when_half_configured(missing, message):
    result = _manage("check", env=_production_env(**{missing: None}))
    assert result.returncode != 0
    assert message in result.stderr


def test_hsts_preload_is_an_opt_in_that_check_deploy_accepts(load_settings):
    production = {"DJANGO_DEBUG": "0", "SECRET_KEY": STRONG_SECRET_KEY, "ALLOWED_HOSTS": "a.b"}
    assert load_settings(**production)["SECURE_HSTS_PRELOAD"] is False
    opted_in = load_settings(**production, SECURE_HSTS_PRELOAD="1")
    assert opted_in["SECURE_HSTS_PRELOAD"] is True
    assert "SILENCED_SYSTEM_CHECKS" not in opted_in  # nothing left to silence
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(SECURE_HSTS_PRELOAD="1")
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.embedded
def test_default_debug_mode_refuses_to_serve_public_hosts(load_settings):
    with pytest.raises(ImproperlyConfigured, match="Set DJANGO_DEBUG=0"):
        load_settings(ALLOWED_HOSTS="registry.example.com")


def test_debug_on_public_hosts_is_allowed_when_asked_for_explicitly(load_settings):
    config = load_settings(DJANGO_DEBUG="1", ALLOWED_HOSTS="registry.example.com")
    assert config["DEBUG"] is True
    assert config["ALLOWED_HOSTS"] == ["registry.example.com"]


def test_default_debug_mode_accepts_local_hosts(load_settings):
    assert load_settings(ALLOWED_HOSTS="localhost,127.0.0.1")["DEBUG"] is True
