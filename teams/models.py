"""Teams and the people in them: the owners of design docs, components and architectures.

Invariants kept by the database where it can: unique names (whatever their case) and
slugs, a team is never its own parent, a kind and a role from their choices, one
membership per person and team. That the parent chain has no cycle is checked by the
service (teams.services) and, on PostgreSQL, by a trigger (migration 0003)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from registry.core.permissions import RestrictedQuerySet
from teams.choices import MembershipRole, TeamKind

#: Backstage's limit for an entity name: a team slug longer than this could not be exported.
SLUG_MAX_LENGTH = 63
NAME_MAX_LENGTH = 100
CHANNEL_MAX_LENGTH = 200


class Team(models.Model):
    name = models.CharField("name", max_length=NAME_MAX_LENGTH, unique=True)
    slug = models.SlugField(
        "slug",
        max_length=100,
        unique=True,
        help_text="The team's address in the registry and its Backstage name: lowercase "
        "letters, digits and hyphens.",
    )
    kind = models.CharField(
        "kind", max_length=16, choices=TeamKind.choices, default=TeamKind.FEATURE
    )
    description = models.TextField(
        "description", blank=True, help_text="What the team does and owns. Markdown."
    )
    email = models.EmailField(
        "e-mail", blank=True, help_text="The address that reaches the team (a list or alias)."
    )
    chat_channel = models.CharField(
        "chat channel",
        max_length=CHANNEL_MAX_LENGTH,
        blank=True,
        help_text="A channel name such as #ml-platform, or an https:// link to it.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="parent team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", blank=True
    )
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Lock version: every accepted change increments it; updates must state it.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="%(app_label)s_%(class)s_unique_name_any_case",
                violation_error_message="A team with this name exists already.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message="A team cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(slug=""),
                name="%(app_label)s_%(class)s_name_and_slug_given",
                violation_error_message="A team needs a name and a slug.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TeamKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Unknown kind of team.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team", kwargs={"slug": self.slug})

    @property
    def etag(self) -> str:
        """The strong ETag of this version (`If-Match` of an update)."""
        return f'"{self.pk}-{self.version}"'

    @property
    def contact(self) -> str:
        """The one way to reach the team, for short lists: its e-mail, else its channel."""
        return self.email or self.chat_channel

    @property
    def chat_channel_url(self) -> str:
        """The channel as a link, when it was given as one."""
        return self.chat_channel if self.chat_channel.startswith("https://") else ""


class TeamMembership(models.Model):
    team = models.ForeignKey(
        Team, verbose_name="team", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="person",
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(
        "role in team", max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField("member since", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["team__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="%(app_label)s_%(class)s_unique_team_user",
                violation_error_message="This person is already a member of the team.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message="Unknown role in a team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"

    def get_absolute_url(self) -> str:
        return self.team.get_absolute_url() + "#members"

    @property
    def is_lead(self) -> bool:
        return self.role == MembershipRole.LEAD
