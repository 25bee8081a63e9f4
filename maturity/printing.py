"""What maturity adds to printed PDFs (registry.core.printing), registered from
maturity/apps.py:

- the "Maturity" part of a design doc's PDF: its current maturity (model, score, band or
  level, date) with the chart of its scores per category, and its EU AI Act tier with the
  reasons the questionnaire gave; left out when there is neither;
- the "portfolio" printable subject: the portfolio report, the same figures and the same
  server-side SVG charts as the portfolio page.

The charts are maturity.charts' SVG strings (every label escaped); everything else goes
through Django's autoescaping in templates/maturity/print/.
"""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone

from designdocs.models import DesignDoc
from maturity.models import Assessment
from maturity.selectors import current_classification, portfolio_of, summary_of
from registry.core import printing, roles

PORTFOLIO_KEY = ""  # one portfolio: the report of everything the registry's roles see


def maturity_part(revision) -> str | None:
    """The maturity summary of the document `revision` belongs to, or None."""
    doc = revision.design_doc
    summary = summary_of(doc)
    classification = current_classification(doc)
    if summary is None and classification is None:
        return None
    return render_to_string(
        "maturity/print/summary.html", {"summary": summary, "classification": classification}
    )


MATURITY_PART = printing.PdfPart("maturity", "Maturity", render=maturity_part, order=50)


def may_print_portfolio(user, key: str) -> bool:
    """Whoever holds a registry role sees every assessment and design doc (maturity.rules,
    designdocs.rules): they print the portfolio. The key must be empty."""
    if key != PORTFOLIO_KEY or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or roles.has_any_role.holds(user, None))


def render_portfolio(key: str, options: dict) -> printing.PrintedBody:
    p = portfolio_of(assessments=Assessment.objects.all(), docs=DesignDoc.objects.all())
    html = render_to_string("maturity/print/portfolio.html", {"p": p})
    sections = (
        ("part-heat", "Maturity by team"),
        ("part-bands", "Distribution of bands"),
        ("part-trend", "Trend over time"),
        ("part-funnel", "Lifecycle funnel"),
        ("part-stale", "Approvals gone stale"),
    )
    return printing.PrintedBody(
        title="Maturity portfolio",
        html=html,
        content_hash=hashlib.sha256(html.encode()).hexdigest(),
        author="ML Design Registry",
        subject="Maturity portfolio report",
        facts=(
            ("Subjects assessed", str(p["subjects"])),
            ("Teams", str(len(p["heat"]))),
            ("Stale approvals", str(len(p["stale"]))),
            ("As of", timezone.localdate().isoformat()),
        ),
        toc=sections,
    )


PORTFOLIO = printing.PrintableSubject(
    "portfolio", "Portfolio report", may_print=may_print_portfolio, render=render_portfolio
)


def register() -> None:
    printing.register_part(MATURITY_PART)
    printing.register_subject(PORTFOLIO)
