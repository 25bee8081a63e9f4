"""Benchmark: PDF export of a ~30-page design doc.

Prints the time of a full export (the service and task in-process: HTML, the watched
render child, storage), of WeasyPrint alone on the same HTML and CSS (in this process, no
child), of Chromium's `--headless --print-to-pdf` of the same HTML (what a user would do
instead: print the page), of a cached re-export (no render), and the peak memory (RSS) of
the render child and of this process. Nothing is asserted: it prints.

    .venv/bin/python bench/pdf_export.py [--pages-target 30] [--repeat 3]

Uses a throwaway SQLite database and media directory under /tmp, tasks in-process.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def big_content(base: dict, scale: int) -> dict:
    """The demo's demand-forecasting doc, each narrative section `scale` times longer and
    the row sections filled, enough for about 30 pages at scale 7."""
    content = {k: v for k, v in base.items() if k not in ("title", "owner_team")}
    prose = (
        "The forecast feeds the nightly ordering run; every store receives a quantity per "
        "article and day, with a prediction interval. Données: ventes, promotions, météo. "
        "Прогноз спроса; πρόβλεψη ζήτησης; 需求预测. See https://example.org/a/very/long/"
        "path/that/must/wrap/inside/the/page/width/without/overflowing/anything/at/all.\n\n"
    )
    for key in ("problem_statement", "business_value", "architecture", "data",
                "deployment_constraints", "alternatives", "open_questions"):  # fmt: skip
        content[key] = (
            (content.get(key) or "")
            + "\n\n"
            + "\n\n".join(f"## Part {i}\n\n" + prose * 3 for i in range(scale))
        )
    content["success_criteria"] = [
        {"metric": f"Metric {i}", "baseline": f"{20 + i}%", "target": f"{10 + i}%",
         "measurement": "Weekly backtest on the last 8 weeks"}
        for i in range(12 * scale)
    ]  # fmt: skip
    content["risks"] = [
        {"title": f"Risk {i}", "category": "data", "likelihood": 1 + i % 5,
         "impact": 1 + (i // 5) % 5, "mitigation": "Fallback to last week's forecast.",
         "owner": "alice", "status": "open"}
        for i in range(8 * scale)
    ]  # fmt: skip
    content["monitoring"] = [
        {"metric": f"Bias {i}", "threshold": "> 5%", "cadence": "daily",
         "alert_owner": "#oncall", "fallback": "Last week's forecast", "stakeholders": "Finance"}
        for i in range(6 * scale)
    ]  # fmt: skip
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=int, default=7, help="content multiplier (about 4 pages each)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["SQLITE_PATH"] = str(scratch / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["PDF_SIGNING_DIR"] = str(scratch / "signing")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from designdocs.demo import DEMAND_FORECASTING
    from designdocs.services import designdoc_create
    from exports import services
    from exports.fetcher import SafeFetcher
    from exports.models import PdfExport
    from registry.core.roles import ALL_ROLES
    from teams.demo import seed_people_and_teams

    call_command("migrate", verbosity=0)
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    seed_people_and_teams()
    alice = User.objects.get(username="alice")
    alice.groups.add(Group.objects.get(name="Product owners"))
    doc = designdoc_create(
        user=alice, title="Demand forecasting (bench)", owner_team="supply-chain-ml",
        content=big_content(DEMAND_FORECASTING, args.scale),
    )  # fmt: skip
    revision = doc.revisions.get()
    job = services.designdoc_job(revision)

    full, weasy, chrome = [], [], []
    pages = 0
    # Interleaved, so that a machine getting busier or quieter weighs on both alike.
    for _ in range(args.repeat):
        started = time.perf_counter()
        fetcher = SafeFetcher()
        HTML(string=job.html, base_url=None, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=job.css, url_fetcher=fetcher)]
        )
        weasy.append(time.perf_counter() - started)
        PdfExport.objects.all().delete()
        started = time.perf_counter()
        export, _ = services.export_designdoc_request(user=alice, doc=doc)
        full.append(time.perf_counter() - started)
        export.refresh_from_db()
        assert export.status == "done", export.error
        pages = export.pages
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cached = []
    for _ in range(args.repeat * 5):
        started = time.perf_counter()
        again, queued = services.export_designdoc_request(user=alice, doc=doc)
        cached.append(time.perf_counter() - started)
        assert not queued and again.pk == export.pk
    chrome_pages = None
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        page = scratch / "doc.html"
        page.write_text(job.html.replace("</head>", f"<style>{job.css}</style></head>"))
        for _ in range(args.repeat):
            out = scratch / "chromium.pdf"
            started = time.perf_counter()
            subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", f"--print-to-pdf={out}",
                 "--no-pdf-header-footer", page.as_uri()],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            chrome.append(time.perf_counter() - started)
        chrome_reader = PdfReader(io.BytesIO(out.read_bytes()))
        chrome_pages = len(chrome_reader.pages)
        chrome_text = "\n".join(p.extract_text() or "" for p in chrome_reader.pages)
        chrome_has = {
            "page X of Y": f"Page 2 of {chrome_pages}" in chrome_text,
            "draft mark on every page": all(
                "Draft - not approved" in (p.extract_text() or "") for p in chrome_reader.pages
            ),
            "contents page numbers": "......" in chrome_text,
        }

    def median(values):
        return statistics.median(values) if values else float("nan")

    print(f"document: {pages} pages (WeasyPrint), HTML {len(job.html) // 1024} KiB")
    print(f"full export (service + watched render child + storage): {median(full):.2f} s")
    print(f"WeasyPrint alone, same HTML and CSS, in process: {median(weasy):.2f} s")
    print(f"ratio full / WeasyPrint alone: {median(full) / median(weasy):.2f}")
    if chrome:
        kept = ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in chrome_has.items())
        print(
            f"Chromium --headless --print-to-pdf, same HTML: {median(chrome):.2f} s "
            f"({chrome_pages} pages; {kept})"
        )
    else:
        print(f"Chromium: not found at {CHROMIUM}")
    print(f"cached re-export (no render): {median(cached) * 1000:.1f} ms")
    print(f"peak RSS: render child {child_rss:.0f} MiB, this process {self_rss:.0f} MiB")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
