from rest_framework import serializers

from teams.models import Team


class TeamSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:team-detail")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "url", "name", "slug", "kind", "description", "contact", "parent",
                  "member_count", "created_at"]  # fmt: skip
        read_only_fields = fields
