"""GET /api/search/?q=: the one search (registry.core.search) for scripts, with the same
groups, honest counts (exact, or "more than N" with `count_capped`), per-type pages and
facets as the search page. Any query is searched (a longer one by its first 200
characters, said by `truncated`); an unknown type, facet or page is a 400 naming it."""

from __future__ import annotations

import html
import re

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
    passage_html = serializers.CharField(
        help_text="The same passage as HTML: escaped, the matched words in <mark>."
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The query parameter that selects a value.")
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)
    capped = serializers.BooleanField(
        help_text="Counted among the first `cap` matches of the type only (it has more)."
    )


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(
        help_text="Every match of this type, not only those listed; with `count_capped`, "
        "a lower bound: there are more than `count`."
    )
    count_capped = serializers.BooleanField(
        help_text="True when the type has more matches than the search counts (`cap`): "
        "only the first `cap` found are listed and paginated, title matches and the "
        "best-ranked first."
    )
    results = SearchResultSerializer(many=True)
    page = serializers.IntegerField(allow_null=True, help_text="With `type`: the page shown.")
    pages = serializers.IntegerField(allow_null=True, help_text="With `type`: pages in all.")
    facets = FacetSerializer(many=True, help_text="With `type`: its facets, counted.")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    type = serializers.CharField()
    total = serializers.IntegerField(help_text="Sum of the counts; see `total_capped`.")
    total_capped = serializers.BooleanField(help_text="Some count is capped: more than `total`.")
    cap = serializers.IntegerField(help_text="Matches counted and ranked per type, at most.")
    truncated = serializers.BooleanField(
        help_text="The query was longer than 200 characters: its first 200 were searched."
    )
    corrected = serializers.CharField(
        help_text="When the words found (almost) nothing and similar words were searched "
        "too (typo tolerance): those words; else empty."
    )
    facets = FacetSerializer(
        many=True, help_text="Facets of `type`, or without it those the types share, counted."
    )
    groups = SearchGroupSerializer(many=True)


class SearchView(APIView):
    """One search across what you may see: design docs, teams and every type an app
    registers. Without `type`, each group lists its first results with its count; with
    `type`, that type's results are paginated (`page`). Facets are counted and applied
    (each facet's key is a query parameter: `team`, `status`, ...). On PostgreSQL the words
    are matched with websearch syntax (`"a phrase"`, `or`, `-word`), the last one also as
    a prefix, and a mistyped word finds the words like it when nothing else matches."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words to find (the first 200 characters)."
            ),
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
                    "count_capped": group.count_capped,
                    "results": [
                        {
                            "id": item["object"].pk,
                            "title": getattr(item["object"], field),
                            "url": request.build_absolute_uri(item["object"].get_absolute_url()),
                            "where": item["where"],
                            "passage": _plain(item["passage"]),
                            "passage_html": str(item["passage"] or ""),
                        }
                        for item in group.items
                    ],
                    "page": group.page.number if group.page else None,
                    "pages": group.page.paginator.num_pages if group.page else None,
                    "facets": [_facet(f) for f in group.facets] if results.type else [],
                }
            )
        body = {
            "query": results.query,
            "type": results.type,
            "total": results.total,
            "total_capped": results.total_capped,
            "cap": results.cap,
            "truncated": results.truncated,
            "corrected": results.corrected,
            "facets": [_facet(f) for f in results.facets],
        }
        # Built as the schema's plain values already: the serializer describes it (OpenAPI)
        # without walking every result again.
        return Response({**body, "groups": groups})


_MARK_TAG = re.compile(r"</?mark>")


def _plain(passage) -> str:
    """A passage as plain text: the search writes it escaped with only <mark> tags."""
    return html.unescape(_MARK_TAG.sub("", str(passage or "")))


def _facet(group) -> dict:
    return {
        "key": group.facet.key,
        "label": group.facet.label,
        "values": [vars(v) for v in group.values],
        "capped": group.capped,
    }
