"""Project-level pages that span the apps: home dashboard, search, reviews and maturity."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from registry import selectors
from registry.search import clean_query
from registry.search import search as run_search

EXCERPT_CHARS = 180
#: Fields shown as the matched passage, in the order they are tried.
DOC_PASSAGE_FIELDS = (
    "title",
    "problem_statement",
    "business_value",
    "architecture",
    "data",
    "deployment_constraints",
    "alternatives",
    "open_questions",
)
TEAM_PASSAGE_FIELDS = ("name", "description")


@login_required
def home(request):
    activity, scoped_to_teams = selectors.recent_activity(user=request.user)
    return render(
        request,
        "home.html",
        {
            "needs_action": selectors.docs_needing_action(user=request.user),
            "activity": activity,
            "activity_in_teams": scoped_to_teams,
            "portfolio": selectors.portfolio(user=request.user),
            "can_create": request.user.has_perm("designdocs.add_designdoc"),
        },
    )


def _terms(q: str) -> list[str]:
    return [t for t in (w.strip("\"'") for w in clean_query(q).split()) if t]


def highlight_excerpt(text: str, terms: list[str], width: int = EXCERPT_CHARS) -> SafeString | None:
    """A short passage of `text` around the first matching term, the term wrapped in <mark>.
    Everything else is escaped; None when no term occurs."""
    if not text or not terms:
        return None
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space != -1 else end
    passage = " ".join(text[start:end].split())
    parts: list[str] = ["…" if start > 0 else ""]
    position = 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        position = match.end()
    parts.append(escape(passage[position:]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (each part escaped above)


def _passage(obj, fields: tuple[str, ...], terms: list[str]) -> tuple[str, SafeString | None]:
    for name in fields:
        excerpt = highlight_excerpt(getattr(obj, name, "") or "", terms)
        if excerpt is not None:
            return name.replace("_", " "), excerpt
    return "", None


@dataclass
class SearchGroup:
    name: str
    key: str
    items: list
    count: int


@login_required
def search(request):
    q = clean_query(request.GET.get("q", ""))
    wanted = request.GET.get("type", "")
    results = run_search(user=request.user, q=q)
    terms = _terms(q)
    groups = []
    for name, items in results.groups.items():
        key = slugify(name)
        fields = DOC_PASSAGE_FIELDS if key == "design-docs" else TEAM_PASSAGE_FIELDS
        shown = []
        for item in items:
            where, passage = _passage(item, fields, terms)
            shown.append({"object": item, "where": where, "passage": passage})
        groups.append(SearchGroup(name=name, key=key, items=shown, count=len(items)))
    if not any(g.key == wanted for g in groups):
        wanted = ""
    visible = [g for g in groups if not wanted or g.key == wanted]
    return render(
        request,
        "search.html",
        {
            "q": q,
            "groups": groups,
            "visible_groups": visible,
            "type": wanted,
            "total": results.total,
        },
    )


@login_required
def reviews(request):
    return render(request, "reviews.html", {})


@login_required
def maturity(request):
    return render(request, "maturity.html", {})
