"""Teams and the people in them: the owners of design docs, components and architectures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from registry.core.permissions import RestrictedQuerySet
from teams.choices import MembershipRole, TeamKind


class Team(models.Model):
    name = models.CharField("name", max_length=100, unique=True)
    slug = models.SlugField("slug", max_length=100, unique=True)
    kind = models.CharField(
        "kind", max_length=16, choices=TeamKind.choices, default=TeamKind.FEATURE
    )
    description = models.TextField("description", blank=True)
    contact = models.CharField(
        "contact", max_length=200, blank=True, help_text="E-mail address or chat channel."
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
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team", kwargs={"slug": self.slug})


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        "role in team", max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        ordering = ["team__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="%(app_label)s_%(class)s_unique_team_user",
                violation_error_message="This person is already a member of the team.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
