"""The roles people hold, as Django groups (created by a data migration), and the
permission predicates that test them."""

from __future__ import annotations

from typing import Any

from registry.core.permissions import UserIs

PRODUCT_OWNERS = "Product owners"
ARCHITECTS = "Architects"
VIEWERS = "Viewers"

ALL_ROLES = (PRODUCT_OWNERS, ARCHITECTS, VIEWERS)


def role_names_of(user: Any) -> frozenset[str]:
    """The registry roles of `user`, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_registry_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._registry_role_names = cached
    return cached


def has_role(*names: str) -> UserIs:
    """The predicate "the user holds one of these roles" (any role when none is named)."""
    wanted = frozenset(names or ALL_ROLES)
    return UserIs(lambda user: bool(role_names_of(user) & wanted), name=f"has_role{sorted(wanted)}")


#: People with any registry role read the registry.
has_any_role = has_role()
is_product_owner = has_role(PRODUCT_OWNERS)
is_architect = has_role(ARCHITECTS)
nobody = UserIs(lambda user: False, name="nobody")
