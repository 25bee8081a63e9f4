"""A pytest plugin behind REGISTRY_REQUIRE_ALL=1: a run in which any test skipped fails.

CI sets the variable: there PostgreSQL, Redis and Chromium are all present, so a skip
means a test silently stopped proving anything. Without the variable skips are reported as
usual and the run passes. tests/conftest.py registers it with `register(config)`; it needs
no Django, so `pytest -p registry.core.testing.require_all` works on its own too.
"""

from __future__ import annotations

import os

import pytest

ENV_VAR = "REGISTRY_REQUIRE_ALL"
PLUGIN_NAME = "registry-require-all"


def require_all() -> bool:
    return os.environ.get(ENV_VAR, "") not in ("", "0")


class SkipLedger:
    """Collects every skip (at collection or in setup/call) and fails the session on them."""

    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []

    def _record(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2]).removeprefix("Skipped: ")
        else:
            reason = str(longrepr)
        self.skipped.append((report.nodeid, reason))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if require_all() and self.skipped and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not require_all() or not self.skipped:
            return
        terminalreporter.section(f"{ENV_VAR}=1: skipped tests fail this run", red=True, bold=True)
        for nodeid, reason in self.skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(
            f"{len(self.skipped)} test(s) skipped; with {ENV_VAR}=1 every test must run.",
            red=True,
        )


def register(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(SkipLedger(), PLUGIN_NAME)


pytest_configure = register
