"""Who may do what with teams, declared once per action (see registry.core.permissions)."""

from registry.core import permissions
from registry.core.permissions import ObjectIn
from registry.core.roles import has_any_role, nobody
from teams.models import Team
from teams.selectors import team_ids_of

#: Everyone with a role sees every team; someone without one sees the teams they are in.
is_member = ObjectIn(team_ids_of)

permissions.register(Team, "view", has_any_role | is_member)
# Teams are managed by administrators (the admin) for now.
permissions.register(Team, "add", nobody)
permissions.register(Team, "change", nobody)
permissions.register(Team, "delete", nobody)
