"""The direction of dependencies is enforced: `make lint` runs import-linter over the
contracts in pyproject.toml. Each test plants one forbidden import in a copy of the code
and proves the contracts catch it; the real tree keeps every contract."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("registry", "teams", "catalogue", "designdocs", "exports", "maturity", "reviews")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.embedded


def _copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120
    )


def test_the_code_keeps_every_import_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("registry/core/probe.py", "import designdocs.models\n", "imports no domain app"),
        ("teams/probe.py", "import designdocs.models\n", "teams imports only registry.core"),
        ("designdocs/probe.py", "import registry.urls\n", "imports the project package"),
        ("teams/probe.py", "from registry import settings\n", "imports the project package"),
        ("registry/core/probe.py", "import registry.urls\n", "imports the project package"),
        ("exports/probe.py", "import catalogue.models\n", "exports builds on designdocs"),
        ("designdocs/probe.py", "import exports.models\n", "No app imports exports"),
        ("designdocs/probe.py", "import maturity.models\n", "never on the apps that build on it"),
        ("registry/core/probe.py", "import maturity.selectors\n", "imports no domain app"),
    ],
)
def test_a_forbidden_import_breaks_the_lint(tmp_path, module, line, contract):
    where = _copy_of_the_code(tmp_path)
    (where / module).write_text(line)
    result = _lint(where)
    assert result.returncode != 0, result.stdout[-2000:]
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout, result.stdout[-2000:]
