"""Who may do what in the catalogue, declared once per action (registry.core.permissions).

Everyone signed in with a registry role reads the catalogue. Architects curate the
architecture examples; the members of a component's owner team edit its components (and
create components for their team). Importing a Backstage catalog creates teams and people,
so it is for administrators (superusers hold every permission).
"""

from catalogue.models import ArchitectureExample, Component, System
from registry.core import permissions
from registry.core.permissions import FieldIn, ObjectIn, UserIs
from registry.core.roles import has_any_role, is_architect, nobody
from teams.models import Team
from teams.selectors import team_ids_of

in_owner_team = FieldIn("owner_team_id", team_ids_of)
is_in_a_team = UserIs(lambda user: bool(team_ids_of(user)), name="is_in_a_team")

permissions.register(Component, "view", has_any_role | in_owner_team)
permissions.register(Component, "change", in_owner_team)
permissions.register(Component, "delete", in_owner_team)
permissions.register(Component, "transition", in_owner_team)
# Whether the user creates components at all (the "New component" button)...
permissions.register(Component, "add", is_in_a_team)
# ...and, asked of a team, for which teams.
permissions.register(
    Team, "add_component", ObjectIn(team_ids_of), permission="catalogue.add_component_for"
)

permissions.register(ArchitectureExample, "view", has_any_role | in_owner_team)
permissions.register(ArchitectureExample, "add", is_architect)
permissions.register(ArchitectureExample, "change", is_architect)
permissions.register(ArchitectureExample, "delete", is_architect)
permissions.register(ArchitectureExample, "transition", is_architect)

permissions.register(System, "view", has_any_role)
# Import creates teams and accounts: administrators only.
permissions.register(System, "import", nobody, permission="catalogue.import_catalog")
permissions.register(System, "export", has_any_role, permission="catalogue.export_catalog")
