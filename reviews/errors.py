"""The review app's one error of its own: a decision on a revision that is no longer the
latest (412), saying which one is."""

from __future__ import annotations

from registry.core.errors import DomainError


class StaleRevisionError(DomainError):
    status_code = 412
    code = "stale_revision"

    def __init__(self, doc, *, stated: str) -> None:
        super().__init__(
            f"You reviewed {stated}, but “{doc.title}” is at revision {doc.revision_number} "
            "now. Nothing was recorded; read the latest revision (its changes are highlighted) "
            "and decide again.",
            field="revision",
        )
        self.extra_body = {
            "current_revision": doc.revision_number,
            "current_content_hash": doc.content_hash,
        }
