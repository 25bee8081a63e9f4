"""What the optional test environments need, and a one-line reason when it is missing.

Tests marked `postgres`, `redis` or `browser` skip with these reasons on a machine that
lacks the service; CI sets REGISTRY_REQUIRE_ALL=1 so that any skip fails the run there.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)


def missing_postgres() -> str | None:
    from django.db import connection

    if connection.vendor == "postgresql":
        return None
    return (
        f"needs PostgreSQL: the tests run on {connection.vendor} "
        "(set DATABASE_URL=postgres://... to run them)"
    )


@functools.cache
def missing_redis() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        return "needs Redis and a Celery worker: CELERY_BROKER_URL is not set"
    if not url.startswith(("redis://", "rediss://")):
        return f"needs Redis: CELERY_BROKER_URL is {url.split('://', 1)[0]}://, not redis://"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        return f"needs Redis: {url} is unreachable ({type(exc).__name__})"
    return None


def chromium_path() -> str | None:
    """The system Chromium. Playwright never downloads a browser for these tests."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def missing_browser() -> str | None:
    if chromium_path() is None:
        return "needs Chromium: neither /usr/bin/chromium nor `chromium` on PATH exists"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs Playwright: the playwright package is not installed"
    return None


MISSING = {"postgres": missing_postgres, "redis": missing_redis, "browser": missing_browser}
