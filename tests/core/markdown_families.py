"""Markdown that made the old parser quadratic, and realistic prose, at any size.

Shared by the linear-time test (tests/core/test_markdown_linear.py) and the benchmark
(bench/markdown_render.py), so both measure the same inputs. Each family builds a text of
about `size` bytes (UTF-8; every family is ASCII) from a repeated unit.
"""

from __future__ import annotations

from collections.abc import Callable


def _repeat(unit: str, *, suffix: str = "") -> Callable[[int], str]:
    return lambda size: unit * max(1, (size - len(suffix)) // len(unit)) + suffix


def _balanced(opening: str, closing: str) -> Callable[[int], str]:
    return lambda size: opening * (size // 2) + closing * (size // 2)


PROSE = """\
## Context

The forecasting service replaces the spreadsheet used by the category managers today. It
runs nightly on the ML platform and writes [forecasts](https://wiki.example/forecasts) for
the next **14 days** per store and product; see *ADR 12* and `forecast_job.py`.

| Component | Owner | Tier |
|:--|:-:|--:|
| Feature store | ML Platform | 1 |
| Training pipeline | ML Platform | 2 |
| Forecast job | Supply chain ML | 2 |

- Waste on fresh products costs about EUR 6 M a year.
  - Bakery and dairy account for half of it.
- Out-of-stock on the top 500 products costs 1.2 % of sales.

1. Train weekly on two years of history.
2. Compare the candidate with the champion on the last 8 weeks.

> Decision: batch scoring first; an online endpoint only if the backtest says so.

```python
forecast = model.predict(features)  # a[i] stays literal
```

"""

#: The constructs the issue names (each quadratic under the old parser), by the name the
#: test ids and the benchmark print.
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "[a]( repeated": _repeat("[a]("),
    "[ then ] runs": _balanced("[", "]"),
    "# h headings": _repeat("# h\n"),
    "![a]( repeated": _repeat("![a]("),
    "[a](b repeated": _repeat("[a](b"),
    "*a emphasis": _repeat("*a"),
    "` backticks": _repeat("`"),
    "> deep quotes": _repeat("> ", suffix="x"),
    "- deep lists": _repeat("- ", suffix="x"),
    "[a]: b definitions": _repeat("[a]: b\n"),
}

#: Everything the benchmark prints: the adversarial families and a design document's prose.
ALL: dict[str, Callable[[int], str]] = {**ADVERSARIAL, "real prose": _repeat(PROSE)}
