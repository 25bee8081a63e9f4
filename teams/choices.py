from django.db import models


class TeamKind(models.TextChoices):
    FEATURE = "feature", "Feature team"
    PLATFORM = "platform", "Platform team"


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    LEAD = "lead", "Lead"
