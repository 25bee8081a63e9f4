"""The property every permission rule must keep: for each user and object, the queryset
side and the object side answer alike,

    (obj in Model.objects.restrict(user, action)) == user.has_perm(permission, obj)

`permission_mismatches` checks it over given users and objects, for every declared rule
(or the given ones), and lists each disagreement in words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from registry.core.permissions import Rule, all_rules, restrict_by_rule


def permission_mismatches(
    users: Iterable[Any], objects: Iterable[Model], rules: Iterable[Rule] | None = None
) -> list[str]:
    users, objects = list(users), list(objects)
    problems = []
    for rule in rules if rules is not None else all_rules():
        candidates = [obj for obj in objects if isinstance(obj, rule.model)]
        for user in users:
            # Fresh instances: no per-request caches from an earlier question.
            user = type(user).objects.get(pk=user.pk) if getattr(user, "pk", None) else user
            allowed_ids = set(
                restrict_by_rule(rule.model.objects.all(), user, rule).values_list("pk", flat=True)
            )
            for obj in candidates:
                by_queryset = obj.pk in allowed_ids
                by_object = (
                    user.has_perm(rule.permission, obj)
                    if rules is None
                    else _object_side(rule, user, obj)
                )
                if by_queryset != by_object:
                    problems.append(
                        f"{rule.permission} for {user} on {obj!r}: queryset says "
                        f"{by_queryset}, object check says {by_object}"
                    )
    return problems


def _object_side(rule: Rule, user, obj) -> bool:
    # A rule not in the registry (a test's own) answers through its predicate, as the
    # backend would for a registered one.
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or rule.predicate.holds(user, obj)
