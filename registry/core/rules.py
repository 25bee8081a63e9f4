"""Who may do what with the core's own objects (API tokens), declared once per action."""

from registry.core import permissions
from registry.core.models import ApiToken
from registry.core.permissions import FieldIsUser, UserIs

is_token_owner = FieldIsUser("user")
is_staff = UserIs(lambda user: user.is_staff, name="is_staff")

# Owners see and revoke their tokens; staff revoke anyone's (the admin, a leaver's scripts).
permissions.register(ApiToken, "view", is_token_owner | is_staff)
permissions.register(ApiToken, "delete", is_token_owner | is_staff)
