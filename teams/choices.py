from django.db import models


class TeamKind(models.TextChoices):
    FEATURE = "feature", "Feature team"
    PLATFORM = "platform", "Platform team"


class MembershipRole(models.TextChoices):
    """A person's role in one team (Backstage has members only; leads are what a registry
    needs on top: the people who run the team's page and its memberships)."""

    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"


#: Leads first: the people to ask come first on every list of members.
ROLE_ORDER = {MembershipRole.LEAD: 0, MembershipRole.MEMBER: 1}
