"""What the apps contribute to printed documents (PDF exports), without `exports` importing
them: three registries, filled by each app from its own `apps.py`.

1. **Parts of a design doc revision's PDF** (an approvals appendix, a maturity summary):

       printing.register_part(PdfPart("approvals", "Approvals", render=approvals_html, order=90))

   `render(revision)` gets the `designdocs.Revision` being printed and returns HTML that is
   already safe (escaped by a template, Markdown through `registry.core.markdown`), or
   `None`/`""` to leave the part out. Parts are printed after the document's sections in
   `order` (then key), each under its `title`, which is also its entry in the table of
   contents. The HTML goes through the same safe renderer as the rest (no file, no
   network), but it must still never carry user text unescaped.

2. **The approval provider** (the review workflow): `register_approval_provider(fn)` with
   `fn(revision) -> Approval`. It answers whether the revision is its document's approved
   revision, who approved it (`Approver`s: name, username, decision, date, revision number,
   content hash) and, for a revision that is no longer the approved one, the number of the
   revision that superseded it. The PDF uses it for the approvals appendix, the "Draft -
   not approved" mark, whether to sign, and `verify`. With no provider registered nothing
   is approved (`NOT_APPROVED`): no PDF is signed. A provider built on the document's
   `approved_revision`/`latest_revision` answers approved when both are this revision, and
   `superseded_by=latest number` for an approved revision the document has moved past.
   `Approval.fingerprint()` is part of an export's cache key: a change of approvers or
   decisions prints (and signs) anew. The last registration wins (tests may
   register their own and restore the previous one with `approval_provider_override`).

3. **Other printable subjects** (an architecture example, the catalogue or a filtered part
   of it, the portfolio report):

       printing.register_subject(PrintableSubject(
           "architecture", "Architecture example",
           may_print=lambda user, key: ...,      # the permission check (a rules predicate)
           render=lambda key, options: PrintedBody(title=..., html=..., ...)))

   `key` is the subject's identifier as the URL names it (a slug, a filter query string);
   `options` a dict of already validated options (may be empty). `render` returns the
   HTML body (already safe) and the metadata of the PDF; `content_hash` must change
   whenever the printed content would, since exports are cached by it. `may_print(user,
   key)` is False for a subject the user may not see (the API answers 404 then).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

# --- 1. parts of a design doc revision's PDF -----------------------------------------------


@dataclass(frozen=True)
class PdfPart:
    key: str
    title: str
    render: Callable[[Any], str | None]  # (designdocs.Revision) -> safe HTML or None
    order: int = 100


@dataclass(frozen=True)
class RenderedPart:
    key: str
    title: str
    html: str
    order: int

    @property
    def anchor(self) -> str:
        return f"part-{self.key}"


_parts: dict[str, PdfPart] = {}


def register_part(part: PdfPart) -> PdfPart:
    _parts[part.key] = part
    return part


def unregister_part(key: str) -> None:
    _parts.pop(key, None)


def parts_for(revision) -> list[RenderedPart]:
    """The parts every registered app contributes to the PDF of `revision`, in order."""
    rendered = []
    for part in sorted(_parts.values(), key=lambda p: (p.order, p.key)):
        html = part.render(revision)
        if html:
            rendered.append(RenderedPart(part.key, part.title, str(html), part.order))
    return rendered


# --- 2. approvals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Approver:
    name: str
    username: str
    decision: str  # "approved", "approved with comment", ...
    decided_at: datetime.datetime
    revision_number: int
    content_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "username": self.username,
            "decision": self.decision,
            "decided_at": self.decided_at.isoformat(),
            "revision_number": self.revision_number,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True)
class Approval:
    """The approval state of one revision. `approved`: it is the document's approved
    revision now. `approvers`: who approved it (also for a superseded one, as history).
    `superseded_by`: the number of the revision approved or written after it, when it is
    no longer the approved one."""

    approved: bool
    approvers: tuple[Approver, ...] = field(default_factory=tuple)
    superseded_by: int | None = None

    def fingerprint(self) -> str:
        """What of the approval a printed PDF shows: part of the export cache key."""
        if not self.approved:
            return "draft"
        return "approved:" + ";".join(
            f"{a.username}|{a.decision}|{a.decided_at.isoformat()}" for a in self.approvers
        )


NOT_APPROVED = Approval(approved=False)


def _no_provider(revision) -> Approval:
    return NOT_APPROVED


_approval_provider: list[Callable[[Any], Approval]] = [_no_provider]


def register_approval_provider(provider: Callable[[Any], Approval]) -> None:
    _approval_provider[0] = provider


def approval_of(revision) -> Approval:
    """The approval state of `revision` as the registered provider says (NOT_APPROVED
    without one)."""
    return _approval_provider[0](revision)


@contextlib.contextmanager
def approval_provider_override(provider: Callable[[Any], Approval]) -> Iterator[None]:
    """Use `provider` inside the block, then the one before (for tests)."""
    previous = _approval_provider[0]
    _approval_provider[0] = provider
    try:
        yield
    finally:
        _approval_provider[0] = previous


# --- 3. other printable subjects --------------------------------------------------------------


@dataclass(frozen=True)
class PrintedBody:
    title: str
    html: str  # safe HTML: sections with <h2> titles become entries of the contents
    content_hash: str
    author: str = ""
    subject: str = ""
    #: Cover lines: (label, value) pairs shown under the title.
    facts: tuple[tuple[str, str], ...] = ()
    #: Table of contents entries: (anchor id in `html`, title).
    toc: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PrintableSubject:
    name: str  # POST /api/exports/ {"subject": name, "key": ...}; page: /exports/subjects/<name>/
    label: str
    may_print: Callable[[Any, str], bool]
    render: Callable[[str, dict[str, Any]], PrintedBody]


_subjects: dict[str, PrintableSubject] = {}


def register_subject(subject: PrintableSubject) -> PrintableSubject:
    _subjects[subject.name] = subject
    return subject


def unregister_subject(name: str) -> None:
    _subjects.pop(name, None)


def subject(name: str) -> PrintableSubject | None:
    return _subjects.get(name)


def subjects() -> list[PrintableSubject]:
    return sorted(_subjects.values(), key=lambda s: s.name)
