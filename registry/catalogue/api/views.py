from registry.catalogue.api.serializers import TeamSerializer
from registry.catalogue.filtersets import TeamFilterSet
from registry.catalogue.selectors import team_list
from registry.core.api.viewsets import RegistryReadOnlyViewSet


class TeamViewSet(RegistryReadOnlyViewSet):
    """Feature and platform teams: the owners of design docs and catalogue entries."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet

    def visible_queryset(self, user):
        return team_list(user=user)
