"""Benchmark: Markdown render time against section size, for adversarial input and prose.

For each family of tests/core/markdown_families.py, renders sections of 1x, 2x, 4x and 8x
the base size through the product's one pipeline (registry.core.markdown) with the cache
bypassed, and prints the best of --repeat runs in CPU seconds of this process (other
processes on a shared machine slow the wall clock, not this) and the 8x/1x ratio (8 is
linear, 64 quadratic). Then, at the largest size, a read view's cost: the first render (cold) and the
second read (served from the cache by content hash). Nothing is asserted: it prints.

    .venv/bin/python bench/markdown_render.py                 # 25 KB .. 200 KB
    .venv/bin/python bench/markdown_render.py --base-kb 2     # 2 KB .. 16 KB
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-kb", type=float, default=25, help="1x size (8x is the largest)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (best is shown)")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds: skip larger sizes past this"
    )
    parser.add_argument("--only", default="", help="families whose name contains this")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.core.cache import cache

    from registry.core import markdown as pipeline
    from tests.core.markdown_families import ALL

    # The parser and sanitiser without the cache (older pipelines have no such function).
    uncached = getattr(pipeline, "render_markdown_uncached", pipeline.render_markdown)
    sizes = [int(args.base_kb * 1024 * factor) for factor in (1, 2, 4, 8)]

    def best_of(text: str) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.process_time()
            uncached(text)
            best = min(best, time.process_time() - started)
            if best > args.budget:
                break
        return best

    header = "".join(f"{size / 1024:>9.0f}K" for size in sizes)
    print(f"render CPU seconds (best of {args.repeat}), cache bypassed")
    print(f"{'family':<20}{header}  8x/1x   {'cold read':>9}  {'cached':>8}  output")
    for name, build in ALL.items():
        if args.only not in name:
            continue
        cells, timings = [], []
        for size in sizes:
            if timings and timings[-1] > args.budget:
                cells.append(f"{'skipped':>10}")
                continue
            timings.append(best_of(build(size)))
            cells.append(f"{timings[-1]:>10.3f}")
        ratio = (
            f"{timings[-1] / timings[0]:>6.1f}" if len(timings) == 4 and timings[0] else "     -"
        )
        read = ""
        if len(timings) == 4:
            text = build(sizes[-1])
            cache.clear()
            started = time.process_time()
            html = str(pipeline.render_markdown(text))
            cold = time.process_time() - started
            started = time.process_time()
            pipeline.render_markdown(text)
            cached = time.process_time() - started
            shown = "plain-text fallback" if "markdown-fallback" in html[:100] else "rendered"
            read = f"  {cold:>9.3f}  {cached:>8.4f}  {shown}"
        print(f"{name:<20}{''.join(cells)}  {ratio}{read}", flush=True)


if __name__ == "__main__":
    main()
