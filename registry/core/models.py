"""Shared models: the audit log, worker heartbeats, API tokens, the search words, and the
abstract RACI row the apps' RACIs build on. No domain rules live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.core.choices import RaciRole, TokenRevocation, TokenState
from registry.core.constraints import choices_check
from registry.core.permissions import RestrictedQuerySet

#: A token's name says which script holds it; its prefix tells tokens apart on a page.
TOKEN_NAME_MAX_LENGTH = 100
TOKEN_PREFIX_LENGTH = 8


class AuditEvent(models.Model):
    """One attributable change: who did what to which object, and when.

    Rows are written by services inside the transaction of the change they describe, so an
    event exists exactly when its change was committed. They are never updated; the actor's
    username is copied so that the trail survives the deletion of the user or the object.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="actor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_username = models.CharField("actor username", max_length=150, blank=True)
    action = models.CharField("action", max_length=64, db_index=True)
    object_type = models.CharField("object type", max_length=64, blank=True)
    object_id = models.CharField("object id", max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=200, blank=True)
    payload = models.JSONField("payload", default=dict, blank=True)
    request_id = models.CharField("request id", max_length=64, blank=True)
    created_at = models.DateTimeField("time", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]
        verbose_name = "audit event"

    def __str__(self) -> str:
        who = self.actor_username or "system"
        return f"{who} {self.action} {self.object_repr}".strip()


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the periodic heartbeat task; shown by /healthz."""

    hostname = models.CharField("worker hostname", max_length=200, unique=True)
    last_seen = models.DateTimeField("last seen")

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class ApiTokenQuerySet(RestrictedQuerySet):
    def active(self, *, now=None) -> ApiTokenQuerySet:
        """Tokens that authenticate now: not revoked, not expired (the user's state aside)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """One API token of one user, named after the script that uses it.

    Only the sha256 digest of the key is stored: the key itself is shown once, when the
    token is created, and cannot be recovered. `prefix` (the key's first characters) lets
    its owner tell tokens apart. A token authenticates until `expires_at`, until it is
    revoked (by its owner, staff, a password change or the user's deactivation), or while
    its user is inactive. A revoked token never comes back.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("name", max_length=TOKEN_NAME_MAX_LENGTH)
    prefix = models.CharField("key prefix", max_length=TOKEN_PREFIX_LENGTH)
    digest = models.CharField("sha256 of the key", max_length=64, unique=True)
    created_at = models.DateTimeField("created", default=timezone.now)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)
    expires_at = models.DateTimeField("expires")
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)
    revoked_reason = models.CharField(
        "why revoked", max_length=32, choices=TokenRevocation.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_unique_name_per_user_unrevoked",
                violation_error_message="You already have a token with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason=""),
                name="%(app_label)s_%(class)s_revoked_with_reason",
                violation_error_message="A revoked token says why it was revoked.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= timezone.now():
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return TokenState(self.state).label


class SearchWord(models.Model):
    """One word of the search index (a lexeme of some searched object), for typo tolerance:
    a PostgreSQL-only trigram index finds the indexed words most like a mistyped one
    (registry.core.search). Filled by `refresh_search_vector` and `rebuild_search_words`;
    empty on SQLite, which has no typo tolerance."""

    word = models.CharField("word", max_length=40, unique=True)

    class Meta:
        verbose_name = "search word"

    def __str__(self) -> str:
        return self.word


class RaciParty(models.Model):
    """One party's RACI letter for one activity: the columns and the database rules every
    RACI of the registry shares (a design doc's roles, a component's design/deploy/run).
    A concrete model adds its owner and `activity`, and its Meta's constraints take
    `RaciParty.constraints_for("<owner field>")`; the rules themselves are
    `registry.core.raci`."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name="team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField("role", max_length=1, choices=RaciRole.choices)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.activity}: {self.party_label} ({self.role})"

    @staticmethod
    def constraints_for(owner_field: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, team__isnull=True)
                    | models.Q(person__isnull=True, team__isnull=False)
                ),
                name="%(app_label)s_%(class)s_person_xor_team",
                violation_error_message="A RACI row names a person or a team, not both.",
            ),
            choices_check("role", RaciRole),
            models.UniqueConstraint(
                fields=[owner_field, "activity"],
                condition=models.Q(role=RaciRole.ACCOUNTABLE),
                name="%(app_label)s_%(class)s_unique_accountable",
                violation_error_message="An activity has exactly one Accountable.",
            ),
        ]

    @property
    def party_label(self) -> str:
        return str(self.person) if self.person_id else str(self.team)
