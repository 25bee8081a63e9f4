"""Pages of teams: the list (through the one FilterSet) and a team's page, where other
apps show what the team owns (registry.core.panels, slot "team")."""

from __future__ import annotations

from registry.core import panels
from registry.core.generic_views import ObjectDetailView, ObjectListView
from teams.filtersets import TeamFilterSet
from teams.models import Team
from teams.selectors import team_list


class TeamListView(ObjectListView):
    model = Team
    filterset_class = TeamFilterSet
    paginate_by = 50
    template_name = "teams/team_list.html"

    def visible_queryset(self):
        return team_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sort=self.filterset.current_sort,
            filtered=self.filterset.active,
            can_add=self.request.user.has_perm("teams.add_team"),
            **kwargs,
        )


class TeamDetailView(ObjectDetailView):
    model = Team
    template_name = "teams/team_detail.html"
    context_object_name = "team"

    def get_queryset(self):
        return team_list(user=self.request.user).prefetch_related("memberships__user", "children")

    def get_context_data(self, **kwargs):
        team = self.object
        # Leads first, then by name: the people to ask come first.
        memberships = sorted(
            team.memberships.all(), key=lambda m: (m.role != "lead", m.user.get_username().lower())
        )
        return super().get_context_data(
            memberships=memberships,
            panels=panels.panels_for(self.request, panels.TEAM, team),
            can_change=self.request.user.has_perm("teams.change_team", team),
            **kwargs,
        )
