"""GET /api/search/?q=: the one search (registry.core.search) for scripts, with the same
groups, true counts, per-type pages and facets as the search page. Input is strict: an
unknown type, facet or page, or an over-long query, is a 400 naming the parameter."""

from __future__ import annotations

from django.utils.html import strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.core import search


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The object's page.")
    where = serializers.CharField(help_text="The field the passage comes from; empty if none.")
    passage = serializers.CharField(help_text="The matched passage, plain text; empty if none.")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The query parameter that selects a value.")
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Every match of this type, not only those listed.")
    results = SearchResultSerializer(many=True)
    page = serializers.IntegerField(allow_null=True, help_text="With `type`: the page shown.")
    pages = serializers.IntegerField(allow_null=True, help_text="With `type`: pages in all.")
    facets = FacetSerializer(many=True, help_text="With `type`: its facets, counted.")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    type = serializers.CharField()
    total = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)


class SearchView(APIView):
    """One search across what you may see: design docs, teams and every type an app
    registers. Without `type`, each group lists its first results with its true count;
    with `type`, that type's results are paginated (`page`) and its facets counted and
    applied (each facet's key is a query parameter)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to find (at most 200)."),
            OpenApiParameter("type", OpenApiTypes.STR, description="One type of result."),
            OpenApiParameter("page", OpenApiTypes.INT, description="With `type`: the page."),
        ],
        responses=SearchResponseSerializer,
    )
    def get(self, request):
        params = search.parameters(request.query_params)
        results = search.search(
            user=request.user,
            q=params["q"],
            type=params["type"],
            facets=params["facets"],
            page=params["page"],
        )
        groups = []
        for group in results.groups:
            field = group.searchable.title_field
            groups.append(
                {
                    "type": group.key,
                    "label": group.name,
                    "count": group.count,
                    "results": [
                        {
                            "id": item["object"].pk,
                            "title": getattr(item["object"], field),
                            "url": request.build_absolute_uri(item["object"].get_absolute_url()),
                            "where": item["where"],
                            "passage": strip_tags(item["passage"] or ""),
                        }
                        for item in group.items
                    ],
                    "page": group.page.number if group.page else None,
                    "pages": group.page.paginator.num_pages if group.page else None,
                    "facets": [
                        {
                            "key": f.facet.key,
                            "label": f.facet.label,
                            "values": [vars(v) for v in f.values],
                        }
                        for f in group.facets
                    ],
                }
            )
        body = {"query": results.query, "type": results.type, "total": results.total}
        return Response(SearchResponseSerializer({**body, "groups": groups}).data)
