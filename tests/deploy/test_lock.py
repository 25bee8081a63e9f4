"""The dependency locks: every transitive dependency pinned with hashes, in step with the
human-edited requirements*.txt, and the only thing `make`, CI and the image install.

Offline checks (no index is asked); `make lint` also re-resolves the locks (`make
lock-check`) to catch what a pin-by-pin comparison cannot."""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
INPUTS = {"requirements.lock": "requirements.txt", "requirements-dev.lock": "requirements-dev.txt"}

pytestmark = pytest.mark.embedded


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def input_pins(path: Path) -> dict[str, str]:
    """{name: version} of an input file, following its `-r` includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins |= input_pins(path.parent / line[3:].strip())
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s;]+)", line)
        assert match, f"{path.name}: {raw!r} is not pinned exactly (name==version)"
        pins[canonical(match.group(1))] = match.group(3)
    return pins


def lock_entries(path: Path) -> dict[str, dict]:
    """{name: {"version", "hashes", "direct"}}; `direct` when the lock says it comes from an
    input file (`# via -r requirements*.txt`) rather than only as a dependency."""
    entries: dict[str, dict] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := re.match(r"^([a-z0-9][a-z0-9_.-]*)==(\S+)", line):
            current = {"version": match.group(2), "hashes": [], "direct": False}
            entries[canonical(match.group(1))] = current
        elif current is not None and "--hash=sha256:" in line:
            current["hashes"].append(line.split("--hash=sha256:")[1].split()[0])
        elif current is not None and re.search(r"#\s+(via )?-r requirements", line):
            current["direct"] = True
    return entries


@pytest.mark.parametrize("lock", INPUTS)
def test_every_locked_package_is_pinned_with_hashes(lock):
    entries = lock_entries(BASE_DIR / lock)
    assert len(entries) > 40, "the lock lists the transitive dependencies, not only ours"
    for name, entry in entries.items():
        assert entry["hashes"], f"{lock}: {name} has no hash"
        assert all(len(digest) == 64 for digest in entry["hashes"]), name


@pytest.mark.parametrize(("lock", "source"), INPUTS.items())
def test_every_pin_of_the_input_is_in_the_lock_at_the_same_version(lock, source):
    pins = input_pins(BASE_DIR / source)
    entries = lock_entries(BASE_DIR / lock)
    stale = {
        name: (version, entries.get(name, {}).get("version"))
        for name, version in pins.items()
        if entries.get(name, {}).get("version") != version
    }
    assert not stale, (
        f"{lock} is out of date with {source} (pinned, locked): {stale}; run make lock"
    )


@pytest.mark.parametrize(("lock", "source"), INPUTS.items())
def test_the_lock_takes_nothing_directly_that_the_input_no_longer_asks_for(lock, source):
    direct = {name for name, entry in lock_entries(BASE_DIR / lock).items() if entry["direct"]}
    assert direct == set(input_pins(BASE_DIR / source)), "run make lock"


def test_the_dev_lock_installs_the_same_runtime_versions_as_the_runtime_lock():
    runtime = lock_entries(BASE_DIR / "requirements.lock")
    dev = lock_entries(BASE_DIR / "requirements-dev.lock")
    differing = {
        name: (entry["version"], dev.get(name, {}).get("version"))
        for name, entry in runtime.items()
        if dev.get(name, {}).get("version") != entry["version"]
    }
    assert not differing, differing


def test_make_installs_only_from_the_locks_with_hashes():
    makefile = (BASE_DIR / "Makefile").read_text()
    installs = re.findall(r"pip install [^\n]*", makefile)
    assert installs, "the Makefile installs nothing"
    for install in installs:
        assert re.fullmatch(
            r"pip install --quiet --require-hashes -r requirements(-dev)?\.lock", install
        ), install
    # The stamps depend on the locks, so that a changed lock is installed again.
    assert re.search(r"^\$\(VENV\)/\.run-installed: requirements\.lock$", makefile, re.M)
    assert re.search(r"^\$\(VENV\)/\.test-installed: .*requirements-dev\.lock$", makefile, re.M)


def test_ci_installs_and_tests_through_make():
    ci = (BASE_DIR / ".ci" / "run").read_text()
    assert "make lint" in ci and "make test" in ci
    assert "pip install" not in ci
