from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from registry.catalogue.filtersets import TeamFilterSet
from registry.catalogue.selectors import team_list as select_teams

#: ?sort= value -> order_by; a stale or hand-edited value falls back to the default.
TEAM_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "members": ("member_count", "name"),
    "-members": ("-member_count", "name"),
    "kind": ("kind", "name"),
}
DESIGN_DOCS_SHOWN = 50


@login_required
def team_list(request):
    filterset = TeamFilterSet(request.GET, queryset=select_teams(user=request.user))
    sort = request.GET.get("sort", "name")
    if sort not in TEAM_SORTS:
        sort = "name"
    page = Paginator(filterset.qs.order_by(*TEAM_SORTS[sort]), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/team_list.html",
        {
            "filterset": filterset,
            "page": page,
            "sort": sort,
            "filtered": any(request.GET.get(key) for key in ("q", "kind")),
        },
    )


@login_required
def team_detail(request, slug):
    team = get_object_or_404(
        select_teams(user=request.user).prefetch_related("memberships__user", "children"), slug=slug
    )
    # Leads first, then by name: the people to ask come first.
    memberships = sorted(
        team.memberships.all(), key=lambda m: (m.role != "lead", m.user.get_username().lower())
    )
    design_docs = (
        team.design_docs.visible_to(request.user)
        .select_related("product_owner")
        .order_by("-updated_at", "-id")
    )
    shown = list(design_docs[: DESIGN_DOCS_SHOWN + 1])
    return render(
        request,
        "catalogue/team_detail.html",
        {
            "team": team,
            "memberships": memberships,
            "design_docs": shown[:DESIGN_DOCS_SHOWN],
            "more_design_docs": len(shown) > DESIGN_DOCS_SHOWN,
            "can_create_design_doc": request.user.has_perm("designdocs.add_designdoc", team),
        },
    )
