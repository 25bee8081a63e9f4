"""Choices of the core models."""

from django.db import models


class TokenState(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class TokenRevocation(models.TextChoices):
    """Why a token was revoked."""

    OWNER = "owner", "Revoked by its owner"
    STAFF = "staff", "Revoked by staff"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    DEACTIVATED = "deactivated", "Account deactivated"
    REPLACED = "replaced", "Expired, then replaced by a new token of the same name"


class RaciRole(models.TextChoices):
    """Responsible, Accountable, Consulted, Informed: the letters of a RACI row."""

    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"
