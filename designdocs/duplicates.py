"""A second design doc with the title of an existing one is made only on purpose.

Creating or importing a doc whose title another visible doc already has is refused with
409 and a link to that doc, unless the caller says it wants another one (the page's
"create another anyway", the API's `allow_duplicate_title: true`). Only docs the user may
see count: a refusal must not reveal a doc the user cannot read. This is a warning, not an
invariant: two people creating the same title at the same moment both succeed, with
different slugs."""

from __future__ import annotations

from django.db.models.functions import Lower

from designdocs.models import DesignDoc
from registry.core.errors import ConflictError

#: How many of the existing docs a refusal names.
SHOWN = 5


class DuplicateTitleError(ConflictError):
    code = "duplicate_title"

    def __init__(self, message: str, *, existing: list[DesignDoc], urls: list[str]) -> None:
        super().__init__(message, field="title")
        self.existing = existing
        # The API's error body names the existing docs beside the message.
        self.extra_body = {
            "existing": [{"title": d.title, "url": u} for d, u in zip(existing, urls, strict=True)]
        }


def _comparable(title: str) -> str:
    return " ".join(str(title).split()).lower()


def docs_with_title(*, user, title: str) -> list[DesignDoc]:
    """The docs visible to `user` whose title is `title`, ignoring case and spacing."""
    wanted = _comparable(title)
    if not wanted:
        return []
    return list(
        DesignDoc.objects.restrict(user, "view")
        .annotate(lower_title=Lower("title"))
        .filter(lower_title=wanted)
        .only("pk", "slug", "title")
        .order_by("-updated_at", "-id")[:SHOWN]
    )


def refuse_duplicate_title(*, user, title, allowed: bool, absolute=None) -> None:
    """Raise DuplicateTitleError when a visible doc has this title and the caller did not
    allow a duplicate. `absolute(path)` makes the doc's address absolute (the API's).
    Not asked for someone who may not create documents at all: a 409 would invite them to
    confirm a creation they cannot make; the service's refusal answers them instead."""
    if allowed or not isinstance(title, str) or not user.has_perm("designdocs.create_designdoc"):
        return  # not text: the service refuses it, naming the field
    existing = docs_with_title(user=user, title=title)
    if not existing:
        return
    urls = [doc.get_absolute_url() for doc in existing]
    if absolute is not None:
        urls = [absolute(url) for url in urls]
    raise DuplicateTitleError(
        f"A design doc with this title exists: “{existing[0].title}” ({urls[0]}). Creating "
        "another would make two docs nobody can tell apart; to create it anyway, confirm it "
        "(allow_duplicate_title: true).",
        existing=existing,
        urls=urls,
    )
