"""The one permission engine: rules declared once per model and action, NetBox style.

Each app's `rules.py` declares, per model and action, one rule built from predicates. A
predicate knows two things about the same condition: the queryset filter that selects the
objects it holds for (`as_q`) and the answer for one object in memory (`holds`). So one
declaration gives both

    DesignDoc.objects.restrict(user, "change")      # every doc the user may change
    user.has_perm("designdocs.change_designdoc", doc)  # this doc (through `RuleBackend`)

and a property test (`registry.core.testing.permissions`) keeps the two sides equal for
every rule, fixture user and fixture object.

Active superusers hold every permission (Django's `User.has_perm` answers True for them
before asking any backend); `restrict` gives them every object, so both sides agree.
Inactive and anonymous users hold none.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import backends as auth_backends
from django.db import models
from django.db.models import Q

from registry.core.errors import PermissionDeniedError

#: `as_q` answers ALL (every object), NONE (no object) or a Q for the objects it holds for.
ALL = True
NONE = False
Filter = bool | Q


def _or(a: Filter, b: Filter) -> Filter:
    if a is ALL or b is ALL:
        return ALL
    if a is NONE:
        return b
    if b is NONE:
        return a
    return a | b


def _and(a: Filter, b: Filter) -> Filter:
    if a is NONE or b is NONE:
        return NONE
    if a is ALL:
        return b
    if b is ALL:
        return a
    return a & b


class Predicate(ABC):
    """A condition on (user, object) with its two faces; combine with `|` and `&`. A
    predicate missing either face cannot be made: the two must always be declared together."""

    @abstractmethod
    def as_q(self, user, model) -> Filter:
        """ALL, NONE, or a Q selecting the objects of `model` the condition holds for."""

    @abstractmethod
    def holds(self, user, obj) -> bool:
        """Whether the condition holds for this one object, read from memory."""

    def __or__(self, other: Predicate) -> Predicate:
        return AnyOf(self, other)

    def __and__(self, other: Predicate) -> Predicate:
        return AllOf(self, other)


class AnyOf(Predicate):
    def __init__(self, *parts: Predicate) -> None:
        self.parts = parts

    def as_q(self, user, model) -> Filter:
        result: Filter = NONE
        for part in self.parts:
            result = _or(result, part.as_q(user, model))
            if result is ALL:  # decided: the other parts (their queries) are not built
                return ALL
        return result

    def holds(self, user, obj) -> bool:
        return any(part.holds(user, obj) for part in self.parts)


class AllOf(Predicate):
    def __init__(self, *parts: Predicate) -> None:
        self.parts = parts

    def as_q(self, user, model) -> Filter:
        result: Filter = ALL
        for part in self.parts:
            result = _and(result, part.as_q(user, model))
            if result is NONE:  # decided, as AnyOf's ALL
                return NONE
        return result

    def holds(self, user, obj) -> bool:
        return all(part.holds(user, obj) for part in self.parts)


class UserIs(Predicate):
    """A condition on the user alone (a role): every object or none."""

    def __init__(self, test: Callable[[Any], bool], name: str = "") -> None:
        self.test = test
        self.name = name or getattr(test, "__name__", "user condition")

    def as_q(self, user, model) -> Filter:
        return ALL if self.test(user) else NONE

    def holds(self, user, obj) -> bool:
        return bool(self.test(user))


class FieldIsUser(Predicate):
    """The object's foreign key `field` (e.g. `product_owner`) is the user."""

    def __init__(self, field: str) -> None:
        self.field = field

    def as_q(self, user, model) -> Filter:
        return Q(**{f"{self.field}_id": user.pk})

    def holds(self, user, obj) -> bool:
        return getattr(obj, f"{self.field}_id") == user.pk


class FieldIn(Predicate):
    """The object's `field` (a column, e.g. `owner_team_id`) is one of `values(user)`."""

    def __init__(self, field: str, values: Callable[[Any], Iterable[Any]]) -> None:
        self.field = field
        self.values = values

    def as_q(self, user, model) -> Filter:
        values = frozenset(self.values(user))
        return Q(**{f"{self.field}__in": values}) if values else NONE

    def holds(self, user, obj) -> bool:
        return getattr(obj, self.field) in frozenset(self.values(user))


class ObjectIn(Predicate):
    """The object itself (its pk) is one of `values(user)` (e.g. the teams the user is in)."""

    def __init__(self, values: Callable[[Any], Iterable[Any]]) -> None:
        self.values = values

    def as_q(self, user, model) -> Filter:
        values = frozenset(self.values(user))
        return Q(pk__in=values) if values else NONE

    def holds(self, user, obj) -> bool:
        return obj.pk in frozenset(self.values(user))


class ManyIncludesUser(Predicate):
    """The object's many-to-many `field` (e.g. `co_authors`) includes the user. The object
    side reads `field.all()`, so prefetch it where many objects are checked."""

    def __init__(self, field: str) -> None:
        self.field = field

    def as_q(self, user, model) -> Filter:
        # A subquery, not a join: a join would repeat a row per matching member.
        return Q(pk__in=model.objects.filter(**{self.field: user.pk}).values("pk"))

    def holds(self, user, obj) -> bool:
        return any(member.pk == user.pk for member in getattr(obj, self.field).all())


# --- the rule registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    permission: str  # "designdocs.change_designdoc"
    model: type[models.Model]  # the model whose objects the rule is about
    predicate: Predicate


_rules: dict[str, Rule] = {}


def permission_name(model: type[models.Model], action: str) -> str:
    """`designdocs.change_designdoc` for (DesignDoc, "change"); a dotted action is taken as
    a whole permission name."""
    if "." in action:
        return action
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def register(
    model: type[models.Model], action: str, predicate: Predicate, *, permission: str = ""
) -> Rule:
    """Declare who may do `action` on objects of `model`. `permission` overrides the name
    (`designdocs.add_designdoc` checked against a Team: may the user add a doc there?)."""
    name = permission or permission_name(model, action)
    if name in _rules and _rules[name].model is not model:
        raise ValueError(f"Permission {name} is already declared for another model.")
    rule = Rule(permission=name, model=model, predicate=predicate)
    _rules[name] = rule
    return rule


def rule_for(permission: str) -> Rule | None:
    return _rules.get(permission)


def all_rules() -> list[Rule]:
    return list(_rules.values())


def _is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def restrict_queryset(queryset: models.QuerySet, user, action: str) -> models.QuerySet:
    """`queryset` narrowed to the objects `user` may `action` (nothing if no rule says so)."""
    return restrict_by_rule(queryset, user, _rule_named(permission_name(queryset.model, action)))


def _rule_named(name: str) -> Rule:
    rule = _rules.get(name)
    if rule is None:
        raise LookupError(f"No permission rule declares {name}.")
    return rule


def restrict_by_rule(queryset: models.QuerySet, user, rule: Rule) -> models.QuerySet:
    name = rule.permission
    if not issubclass(queryset.model, rule.model):
        raise LookupError(f"{name} is declared for {rule.model.__name__}, not this queryset.")
    if _is_active_user(user) and user.is_superuser:
        return queryset
    return matching(queryset, user, rule.predicate)


def matching(queryset: models.QuerySet, user, predicate: Predicate) -> models.QuerySet:
    """`queryset` narrowed to the objects for which `predicate` holds (a named condition
    such as "mine" that is not a permission; superusers get no special treatment)."""
    if not _is_active_user(user):
        return queryset.none()
    condition = predicate.as_q(user, queryset.model)
    if condition is ALL:
        return queryset
    if condition is NONE:
        return queryset.none()
    return queryset.filter(condition)


def allows(user, permission: str, obj: Any = None) -> bool:
    """The single-object answer of the rule (`obj`), or with no object whether the rule
    holds for every object (a global permission, e.g. "may read every doc")."""
    rule = _rules.get(permission)
    if rule is None or not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    if obj is None:
        return rule.predicate.as_q(user, rule.model) is ALL
    if not isinstance(obj, rule.model):
        return False
    return rule.predicate.holds(user, obj)


def require(user, permission: str, obj: Any = None) -> None:
    """Raise the domain's 403 unless `user` holds `permission` (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDeniedError(
            "You do not have permission to do this.", code="permission_denied"
        )


class RuleBackend:
    """The authentication backend that answers `user.has_perm` from the declared rules.
    It authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm: str, obj: Any = None) -> bool:
        return allows(user, perm, obj)

    def has_module_perms(self, user, app_label: str) -> bool:
        return False


class ModelBackend(auth_backends.ModelBackend):
    """Django's password backend, minus its answers for the permissions the rules declare:
    a permission granted by hand in the admin must not contradict a rule."""

    def has_perm(self, user_obj, perm: str, obj: Any = None) -> bool:
        if perm in _rules:
            return False
        return super().has_perm(user_obj, perm, obj)


class RestrictedQuerySet(models.QuerySet):
    """The base of every domain queryset: `restrict(user, action)` from the declared rules."""

    def restrict(self, user, action: str = "view"):
        return restrict_queryset(self, user, action)
