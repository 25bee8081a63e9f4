"""Who may do what in maturity, declared once per action (registry.core.permissions).

Maturity models: everyone signed in with a role reads them; staff define their own (admin
and API: the `add` rule is `nobody`, which administrators pass). Assessments: visible to
whoever has a role (as design docs are); written by product owners and architects of the
subject's owner team. Classifications: visible as the doc is; answered by whoever edits it
(designdocs' `classify` rule, checked by the service that writes the tier)."""

from maturity.models import Assessment, Classification, MaturityModel
from registry.core import permissions
from registry.core.permissions import FieldIn
from registry.core.roles import has_any_role, is_architect, is_product_owner, nobody
from teams.selectors import team_ids_of

in_team = FieldIn("team_id", team_ids_of)

permissions.register(MaturityModel, "view", has_any_role)
permissions.register(MaturityModel, "add", nobody)
permissions.register(MaturityModel, "change", nobody)
permissions.register(MaturityModel, "delete", nobody)
permissions.register(Assessment, "view", has_any_role)
permissions.register(Assessment, "add", (is_product_owner | is_architect) & in_team)
permissions.register(Classification, "view", has_any_role)
