"""Project-level pages that span the apps: home dashboard, search, reviews and maturity."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import slugify

from registry import selectors
from registry.search import clean_query, matched_passage
from registry.search import search as run_search


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
    groups = []
    for name, items in results.groups.items():
        shown = []
        for item in items:
            where, passage = matched_passage(item, q)
            shown.append({"object": item, "where": where, "passage": passage})
        groups.append(SearchGroup(name=name, key=slugify(name), items=shown, count=len(items)))
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
