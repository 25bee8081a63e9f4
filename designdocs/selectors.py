"""Reads of design documents. Every selector starts from what the user may see and
prefetches what its callers show, so that lists run a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from designdocs.models import DesignDoc, LifecycleTransition, Revision
from designdocs.sections import LINK_FIELDS, METADATA_FIELDS, ROW_SECTIONS
from teams.models import Team


def with_content(queryset: QuerySet[DesignDoc]) -> QuerySet[DesignDoc]:
    """Everything `designdocs.content.content_of` reads, prefetched: the references of the
    metadata joined, then one query per many-valued field and row section (each row's
    people and teams joined), as the section registry lists them."""
    references = [f.attname for f in METADATA_FIELDS if f.is_reference and f.name != "co_authors"]
    rows = [
        Prefetch(
            section.related_name,
            queryset=section.row_model.objects.select_related(
                *(f.attname for f in section.reference_fields)
            ),
        )
        for section in ROW_SECTIONS
    ]
    links = [link.attname for link in LINK_FIELDS]
    return with_latest_revision(
        queryset.select_related(*references).prefetch_related("co_authors", *rows, *links)
    )


def with_latest_revision(queryset: QuerySet[DesignDoc]) -> QuerySet[DesignDoc]:
    """The latest and the approved revision's number and hash joined (their content left
    behind), so that `revision_number`, `content_hash` and `approved_revision_number` cost
    no query per document."""
    return queryset.select_related("latest_revision", "approved_revision").defer(
        "latest_revision__content", "approved_revision__content"
    )


def designdoc_list(*, user) -> QuerySet[DesignDoc]:
    """Documents visible to `user`, with what a list row shows (filter them with
    designdocs.filtersets.DesignDocFilterSet)."""
    return with_latest_revision(
        DesignDoc.objects.restrict(user, "view")
        .select_related("owner_team", "product_owner")
        .prefetch_related("co_authors")
    )


def designdoc_detail(*, user, queryset: QuerySet[DesignDoc] | None = None) -> QuerySet[DesignDoc]:
    """Documents visible to `user` with their whole content prefetched, for one-object views."""
    base = queryset if queryset is not None else DesignDoc.objects.all()
    return with_content(base.restrict(user, "view")).annotate(
        revision_count=Count("revisions", distinct=True)
    )


def revision_list(*, doc: DesignDoc) -> QuerySet[Revision]:
    return doc.revisions.select_related("author").defer("content").order_by("-number")


def revision_get(*, doc: DesignDoc, number: int) -> Revision:
    return doc.revisions.select_related("author").get(number=number)


def teams_user_may_create_for(*, user) -> list[Team]:
    """The teams `user` may create design docs for (designdocs.rules)."""
    return list(Team.objects.restrict(user, "designdocs.add_designdoc").order_by("name"))


def transition_list(*, doc: DesignDoc) -> QuerySet[LifecycleTransition]:
    """The document's lifecycle transitions, newest first, with who moved it."""
    return doc.lifecycle_transitions.select_related("actor").order_by("-created_at", "-id")
