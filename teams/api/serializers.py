"""API representations of teams and memberships: one full form (a team's page), a brief
form (lists, nested), and the write shapes the schema documents. Writes are validated by
the services (teams.services), the same validator as the pages and the importer; the write
serializers check only each value's type first, so that nothing is coerced."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from teams.choices import MembershipRole, TeamKind
from teams.models import CHANNEL_MAX_LENGTH, NAME_MAX_LENGTH, SLUG_MAX_LENGTH, Team, TeamMembership
from teams.selectors import sorted_memberships


class StrictCharField(serializers.CharField):
    """Text only: a number, boolean, list or object is refused, never turned into text."""

    default_error_messages = {"invalid": "Must be text."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class TeamMembershipSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, help_text="Username.")
    name = serializers.SerializerMethodField(help_text="The person's full name (or username).")
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "team", "user", "name", "role", "created_at"]
        read_only_fields = fields

    def get_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.get_username()


class TeamLinkSerializer(serializers.ModelSerializer):
    """A team named inside another: its id, slug and name."""

    class Meta:
        model = Team
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class TeamBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:team-detail")
    web_url = serializers.SerializerMethodField(help_text="The team's page.")
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The parent team's slug."
    )
    member_count = serializers.IntegerField(read_only=True)
    # Not `format: email`: an empty string (no address) is a valid value.
    email = serializers.CharField(
        read_only=True, help_text="The address that reaches the team; empty if none."
    )

    class Meta:
        model = Team
        fields = ["id", "url", "web_url", "name", "slug", "kind", "description", "email",
                  "chat_channel", "parent", "member_count", "version", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields

    def get_web_url(self, team) -> str:
        request = self.context.get("request")
        path = team.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TeamSerializer(TeamBriefSerializer):
    """A team with its sub-teams and members (leads first)."""

    children = TeamLinkSerializer(many=True, read_only=True, help_text="Sub-teams.")
    memberships = serializers.SerializerMethodField(help_text="Members, leads first.")

    class Meta(TeamBriefSerializer.Meta):
        fields = [*TeamBriefSerializer.Meta.fields, "children", "memberships"]
        read_only_fields = fields

    @extend_schema_field(TeamMembershipSerializer(many=True))
    def get_memberships(self, team):
        return TeamMembershipSerializer(sorted_memberships(team), many=True).data


class TeamWriteSerializer(serializers.Serializer):
    """The body of POST /api/teams/ (and of PUT: every field but `slug`, which is fixed)."""

    name = StrictCharField(max_length=NAME_MAX_LENGTH)
    slug = StrictCharField(
        max_length=SLUG_MAX_LENGTH,
        required=False,
        help_text="Lowercase letters and digits, separated by hyphens; from the name if left out. "
        "Fixed once the team exists.",
    )
    kind = StrictChoiceField(choices=TeamKind.choices, required=False)
    description = StrictCharField(required=False, allow_blank=True, help_text="Markdown.")
    email = StrictCharField(required=False, allow_blank=True, max_length=254)
    chat_channel = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=CHANNEL_MAX_LENGTH,
        help_text="`#channel-name`, or an https:// link to the channel.",
    )
    parent = StrictCharField(
        required=False, allow_null=True, allow_blank=True, help_text="The parent team's slug."
    )


class TeamUpdateSerializer(TeamWriteSerializer):
    """The body of PUT/PATCH /api/teams/{id}/: any of the fields; `version` unless If-Match."""

    name = StrictCharField(max_length=NAME_MAX_LENGTH, required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version this update is based on (or send If-Match with the ETag).",
    )


class MembershipCreateSerializer(serializers.Serializer):
    user = StrictCharField(help_text="The username of the person to add.")
    role = StrictChoiceField(choices=MembershipRole.choices, required=False)


class MembershipUpdateSerializer(serializers.Serializer):
    role = StrictChoiceField(choices=MembershipRole.choices)
