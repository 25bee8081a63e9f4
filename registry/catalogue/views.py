from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from registry.catalogue.filtersets import TeamFilterSet
from registry.catalogue.selectors import team_list as select_teams


@login_required
def team_list(request):
    filterset = TeamFilterSet(request.GET, queryset=select_teams(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "catalogue/team_list.html", {"filterset": filterset, "page": page})


@login_required
def team_detail(request, slug):
    team = get_object_or_404(
        select_teams(user=request.user).prefetch_related("memberships__user"), slug=slug
    )
    return render(request, "catalogue/team_detail.html", {"team": team})
