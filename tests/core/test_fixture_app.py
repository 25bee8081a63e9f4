"""Issue 6's acceptance: a new app that registers a searchable model, an audit action, a
dashboard panel and a menu entry shows up in search, the audit admin, the home page and the
menu without editing any other app.

The app (tests/fixture_app) is installed the way a real one is, in settings, but only in a
separate pytest process (`--ds tests.fixture_app.settings`): installing it in this process
would need `apps` reloading and tables made outside migrations, and would change what every
other test sees. That process migrates its own test database (the app's migration included)
and runs tests/fixture_app/check_fixture_app.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

pytestmark = pytest.mark.embedded
ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ("registry", "teams", "designdocs", "catalogue", "templates")


def test_fixture_app_shows_in_search_audit_admin_home_and_menu_when_installed():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/fixture_app/check_fixture_app.py",
            "--ds=tests.fixture_app.settings",
            "-o",
            "python_files=check_*.py",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout, result.stdout[-1000:]


def test_fixture_app_is_absent_from_the_suites_own_process():
    # What makes the check above mean something: the app is not installed here.
    assert not apps.is_installed("tests.fixture_app")


def test_no_other_app_knows_the_fixture_app():
    mentions = [
        str(path.relative_to(ROOT))
        for folder in APP_DIRS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and "fixture_app" in path.read_text("utf-8")
    ]
    assert mentions == []
