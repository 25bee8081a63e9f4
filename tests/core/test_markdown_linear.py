"""The Markdown pipeline's work is linear in the text, and a text is parsed once: every
later read of the same text is served from the cache by content hash."""

from __future__ import annotations

import gc
import subprocess
import sys
import time

import pytest

from registry.core import markdown as pipeline
from registry.core.markdown import render_markdown, validate_markdown
from tests.core.markdown_families import ADVERSARIAL

BASE_BYTES = 8 * 1024
#: 8x the size takes 8x the time when linear, 64x when quadratic (as the old parser was).
MAX_RATIO_AT_8X = 32  # half of quadratic; linear measures 7-12x here


def cpu_seconds(text: str, runs: int = 3) -> float:
    """Best of `runs` renders, in this process's CPU time: other processes on the machine
    slow the wall clock, not this."""
    best = float("inf")
    gc.disable()  # a collection landing in one short run would skew the ratio
    try:
        for _ in range(runs):
            started = time.process_time()
            pipeline.render_markdown_uncached(text)
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("build", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_render_time_of_adversarial_markdown_grows_linearly_with_its_size(build):
    small, large = build(BASE_BYTES), build(8 * BASE_BYTES)
    assert len(large) > 7.9 * len(small)
    ratio = cpu_seconds(large, runs=2) / max(cpu_seconds(small, runs=5), 1e-4)
    assert ratio < MAX_RATIO_AT_8X, f"8x the text took {ratio:.1f}x the time"


class CountingConverter:
    """The real converter, counting how often the parser is asked."""

    def __init__(self) -> None:
        self.real = pipeline._Converter()
        self.calls = 0

    def convert(self, text: str) -> str:
        self.calls += 1
        return self.real.convert(text)


@pytest.fixture
def converter(monkeypatch) -> CountingConverter:
    counting = CountingConverter()
    monkeypatch.setattr(pipeline, "_markdown_converter", lambda: counting)
    return counting


@pytest.mark.embedded
def test_second_read_of_the_same_text_does_not_call_the_parser(converter):
    text = "# Title\n\n| a |\n|--:|\n| **1** |"
    first = render_markdown(text)
    second = render_markdown(text)
    assert converter.calls == 1
    assert second == first and '<td align="right"><strong>1</strong></td>' in second


@pytest.mark.embedded
def test_validating_a_section_renders_it_once_for_its_first_read(converter):
    text = "Saved *once*, read often."
    validate_markdown(text, field="data")
    assert str(render_markdown(text)) == "<p>Saved <em>once</em>, read often.</p>"
    assert converter.calls == 1


@pytest.mark.embedded
def test_another_text_or_pipeline_version_renders_afresh(converter, monkeypatch):
    render_markdown("one")
    render_markdown("two")
    assert converter.calls == 2
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-next")
    render_markdown("one")
    assert converter.calls == 3


@pytest.mark.embedded
def test_a_cache_outage_still_renders_the_text(monkeypatch):
    class Unreachable:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(pipeline, "_cache", Unreachable)
    assert str(render_markdown("**still**")) == "<p><strong>still</strong></p>"


@pytest.mark.embedded
def test_a_render_is_read_by_another_process_without_parsing_again():
    # Another web process or worker: a separate interpreter finds this process's render in
    # the shared "markdown" cache (files here; Redis with CACHE_URL).
    text = f"shared *text* {time.time_ns()}"
    render_markdown(text)
    probe = (
        "import django; django.setup();"
        "from registry.core import markdown as m;"
        f"print(m._cache().get(m._cache_key({text!r})) is not None)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert found.stdout.strip() == "True", found.stderr[-2000:]
