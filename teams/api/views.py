from registry.core.api.viewsets import RegistryReadOnlyViewSet
from teams.api.serializers import TeamSerializer
from teams.filtersets import TeamFilterSet
from teams.selectors import team_list


class TeamViewSet(RegistryReadOnlyViewSet):
    """Feature and platform teams: the owners of design docs and catalogue entries."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet

    def visible_queryset(self, user):
        return team_list(user=user)
