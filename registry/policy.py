"""The one permission policy of the product, written with `rules` predicates.

Every "may user U do A (on object O)?" question is answered here: views, the API,
selectors and services all ask `user.has_perm("<app>.<action>_<model>", obj)`, or
`require_permission(...)`, which raises the domain's 403. Later features add their
permissions to this module.

Roles are Django groups (registry.core.roles). Visibility: people with a role (or a
superuser) read the registry; a signed-in user with no role sees nothing of it.
"""

from __future__ import annotations

from typing import Any

import rules

from registry.core import roles
from registry.core.errors import PermissionDeniedError


def team_ids_of(user: Any) -> frozenset[int]:
    """The ids of the teams the user belongs to, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_registry_team_ids", None)
    if cached is None:
        from registry.catalogue.models import TeamMembership

        cached = frozenset(
            TeamMembership.objects.filter(user=user).values_list("team_id", flat=True)
        )
        user._registry_team_ids = cached
    return cached


def role_names_of(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_registry_role_names", None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True)
        )
        user._registry_role_names = cached
    return cached


# --- predicates -------------------------------------------------------------------------

is_superuser = rules.is_superuser


@rules.predicate
def is_product_owner(user) -> bool:
    return roles.PRODUCT_OWNERS in role_names_of(user)


@rules.predicate
def has_registry_role(user) -> bool:
    return bool(role_names_of(user))


@rules.predicate
def is_member_of_owner_team(user, obj) -> bool:
    return obj is not None and obj.owner_team_id in team_ids_of(user)


@rules.predicate
def is_designdoc_author(user, doc) -> bool:
    """The product owner or a listed co-author of the document."""
    if doc is None or not getattr(user, "is_authenticated", False):
        return False
    if doc.product_owner_id == user.pk:
        return True
    return any(co_author.pk == user.pk for co_author in doc.co_authors.all())


@rules.predicate
def is_designdoc_product_owner(user, doc) -> bool:
    return doc is not None and doc.product_owner_id == getattr(user, "pk", None)


can_read_registry = is_superuser | has_registry_role

# --- permissions --------------------------------------------------------------------------

# Teams: everyone with a role reads; only superusers change them (through the admin for now).
rules.add_perm("catalogue.view_team", can_read_registry)
rules.add_perm("catalogue.add_team", is_superuser)
rules.add_perm("catalogue.change_team", is_superuser)
rules.add_perm("catalogue.delete_team", is_superuser)


# Design documents. Product owners create docs for their own teams; asked without a team,
# `add_designdoc` answers whether the user may create docs at all (to show the button).
@rules.predicate
def is_member_of_team_if_given(user, team) -> bool:
    return team is None or team.pk in team_ids_of(user)


rules.add_perm(
    "designdocs.add_designdoc", is_superuser | (is_product_owner & is_member_of_team_if_given)
)
rules.add_perm(
    "designdocs.view_designdoc", can_read_registry | is_member_of_owner_team | is_designdoc_author
)
rules.add_perm(
    "designdocs.change_designdoc",
    is_superuser | is_member_of_owner_team | is_designdoc_author,
)
rules.add_perm("designdocs.delete_designdoc", is_superuser | is_designdoc_product_owner)


def require_permission(user: Any, permission: str, obj: Any = None) -> None:
    """Raise the domain's 403 unless `user` holds `permission` (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDeniedError(
            "You do not have permission to do this.", code="permission_denied"
        )
