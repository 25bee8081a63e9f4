import django_filters

from registry.catalogue.choices import TeamKind
from registry.catalogue.models import Team


class TeamFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices)
    q = django_filters.CharFilter(method="filter_text", label="Text")

    class Meta:
        model = Team
        fields = ["kind"]

    def filter_text(self, queryset, name, value):
        from registry.search import filter_teams

        return filter_teams(queryset, value)
