"""Database constraints every app declares the same way."""

from __future__ import annotations

from django.db import models


def choices_check(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    """`field` holds one of `choices`, in the database too (a raw write cannot store a value
    the model's choices do not know)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_valid_{field}",
        violation_error_message=f"{field} must be one of: {', '.join(choices.values)}.",
    )
