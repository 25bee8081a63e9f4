"""Who may do what with teams and memberships, declared once per action (see
registry.core.permissions). Superusers hold every permission (the engine's rule).

- Everyone with a registry role reads every team and its members; someone signed in
  without a role reads the teams they are in.
- Superusers create and delete teams; superusers and the team's leads edit the team and
  manage its memberships (add, change a role, remove).
- Leaving a team without a lead is for superusers only (a lead cannot demote or remove
  the last lead, themselves included): else a team could lock itself out of its page.
"""

from registry.core import permissions
from registry.core.permissions import FieldIn, ObjectIn
from registry.core.roles import has_any_role, nobody
from teams.models import Team, TeamMembership
from teams.selectors import lead_team_ids_of, team_ids_of

#: The object is a team the user belongs to / leads.
is_member = ObjectIn(team_ids_of)
is_lead = ObjectIn(lead_team_ids_of)
#: The object (a membership) is of a team the user belongs to / leads.
in_own_team = FieldIn("team_id", team_ids_of)
in_led_team = FieldIn("team_id", lead_team_ids_of)

permissions.register(Team, "view", has_any_role | is_member)
permissions.register(Team, "add", nobody)
permissions.register(Team, "change", is_lead)
permissions.register(Team, "delete", nobody)
# Asked of a team: may the user add people to it?
permissions.register(Team, "add_teammembership", is_lead, permission="teams.add_teammembership")
# Asked of a team: may the user remove or demote its last lead?
permissions.register(Team, "leave_without_lead", nobody)

permissions.register(TeamMembership, "view", has_any_role | in_own_team)
permissions.register(TeamMembership, "change", in_led_team)
permissions.register(TeamMembership, "delete", in_led_team)
