"""Who may do what with design documents, declared once per action.

Each rule gives both the queryset (`DesignDoc.objects.restrict(user, "change")`) and the
answer for one document (`user.has_perm("designdocs.change_designdoc", doc)`); see
registry.core.permissions. Roles: product owners write, architects review, viewers only
read. Members of the owner team who are product owners or architects edit its documents;
anyone named on a document as product owner or co-author edits it (a viewer edits only a
document that names them co-author, which its product owner chose). A signed-in user with
no role sees exactly the documents they may edit.
"""

from designdocs.models import DesignDoc
from registry.core import permissions
from registry.core.permissions import FieldIn, FieldIsUser, ManyIncludesUser, ObjectIn
from registry.core.roles import has_any_role, is_architect, is_product_owner, nobody
from teams.models import Team
from teams.selectors import team_ids_of

in_owner_team = FieldIn("owner_team_id", team_ids_of)
is_doc_product_owner = FieldIsUser("product_owner")
is_co_author = ManyIncludesUser("co_authors")

#: "Mine", everywhere (list filter, dashboard): docs I own, co-author, or my team owns.
mine = is_doc_product_owner | is_co_author | in_owner_team

may_change = (
    ((is_product_owner | is_architect) & in_owner_team) | is_doc_product_owner | is_co_author
)

permissions.register(DesignDoc, "view", has_any_role | may_change)
permissions.register(DesignDoc, "change", may_change)
permissions.register(DesignDoc, "delete", is_doc_product_owner)
# Move the solution through the ML lifecycle; answer its EU AI Act questionnaire (which
# writes the tier): whoever edits the document.
permissions.register(DesignDoc, "transition", may_change)
permissions.register(DesignDoc, "classify", may_change)
# Hand the document to another product owner, or move it to another team.
permissions.register(DesignDoc, "transfer", is_doc_product_owner)
permissions.register(DesignDoc, "move", is_doc_product_owner)
# Whether the user writes design documents at all (the "New design doc" button; which
# teams they may create for is the next rule).
permissions.register(DesignDoc, "create", is_product_owner)
# Asked of a team: may the user create design documents owned by it?
permissions.register(
    Team,
    "add_designdoc",
    is_product_owner & ObjectIn(team_ids_of),
    permission="designdocs.add_designdoc",
)
# Create a document for someone else as product owner: administrators only.
permissions.register(
    Team, "assign_product_owner", nobody, permission="designdocs.assign_product_owner"
)
