"""REGISTRY_REQUIRE_ALL=1 (set by CI) turns any skipped test into a failed run, listing them.

Runs a small pytest session in a subprocess with only that plugin loaded.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SAMPLE = textwrap.dedent(
    """
    import pytest

    def test_runs():
        pass

    @pytest.mark.skip(reason="needs Redis: unreachable")
    def test_marked_skip():
        pass

    def test_skips_itself():
        pytest.skip("needs Chromium: missing")

    @pytest.mark.xfail(reason="known bug")
    def test_expected_failure():
        assert False
    """
)


def _run(tmp_path, require_all: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    env = {k: v for k, v in os.environ.items() if k != "REGISTRY_REQUIRE_ALL"}
    env["PYTHONPATH"] = str(BASE_DIR)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only this plugin; loading all costs ~6 s
    if require_all is not None:
        env["REGISTRY_REQUIRE_ALL"] = require_all
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "registry.core.testing.require_all",
            "-q",
            "test_sample.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.embedded
def test_skips_fail_the_run_and_are_listed_when_all_tests_are_required(tmp_path):
    result = _run(tmp_path, "1")
    assert result.returncode == 1, result.stdout
    assert "REGISTRY_REQUIRE_ALL=1: skipped tests fail this run" in result.stdout
    assert "SKIPPED test_sample.py::test_marked_skip: needs Redis: unreachable" in result.stdout
    assert "SKIPPED test_sample.py::test_skips_itself: needs Chromium: missing" in result.stdout
    assert "test_expected_failure" not in result.stdout.split("skipped tests fail")[1]
    assert "2 test(s) skipped" in result.stdout


@pytest.mark.parametrize("value", [None, "0", ""])
def test_skips_are_only_reported_otherwise(tmp_path, value):
    result = _run(tmp_path, value)
    assert result.returncode == 0, result.stdout
    assert "skipped tests fail this run" not in result.stdout
    assert "2 skipped" in result.stdout
