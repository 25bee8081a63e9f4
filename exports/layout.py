"""The print layout: the HTML and CSS handed to the renderer, from an immutable revision or
a registered printable subject (registry.core.printing).

Everything a user wrote reaches the HTML only through the designdocs partials (Django's
autoescaping) and the product's one Markdown pipeline (`registry.core.markdown`, through
the `markdown` template filter), exactly as on the pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from designdocs.models import Revision
from designdocs.presenters import document_view
from registry.core import printing

#: Part of every export's cache key: bump it whenever the same revision would print
#: differently (templates/pdf/*, this module).
LAYOUT_VERSION = "1"
DRAFT_LABEL = "Draft - not approved"
DEV_KEY_NOTE = "Signed with a development key: not a production signature."


@dataclass(frozen=True)
class PrintJob:
    """What to render: HTML, CSS and what the PDF says about itself."""

    html: str
    css: str
    title: str
    cache_key: str
    approved: bool


def cache_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((LAYOUT_VERSION, *parts)).encode()).hexdigest()


def _css(*, draft: bool) -> str:
    return render_to_string("pdf/print.css", {"draft": draft, "draft_label": DRAFT_LABEL})


def _status_of(revision: Revision, approval: printing.Approval) -> tuple[str, str]:
    """(status shown on the cover, why it is a draft)."""
    if approval.approved:
        return "Approved", ""
    if approval.superseded_by:
        return (
            f"Superseded by revision {approval.superseded_by}",
            f"Revision {approval.superseded_by} superseded this revision.",
        )
    doc = revision.design_doc
    if revision.number == doc.revision_number:
        # The approval provider is the authority on approval: a document marked approved
        # that it does not vouch for prints as not approved.
        label = "Not approved" if doc.status == "approved" else doc.get_status_display()
        return label, "No architect has approved this revision."
    return (
        f"Earlier revision (latest: {doc.revision_number})",
        "This is not the document's latest revision, and it was never approved.",
    )


def designdoc_print_job(revision: Revision, *, signing_note: str = "") -> PrintJob:
    """The print job of one revision of a design doc. `signing_note`: what the cover says
    of the signature the PDF will get (only for an approved revision)."""
    approval = printing.approval_of(revision)
    parts = printing.parts_for(revision)
    view = document_view(revision.content)
    status, draft_reason = _status_of(revision, approval)
    draft = not approval.approved
    facts = [
        ("Team", view.team.name),
        ("Product owner", view.product_owner.label if view.product_owner else "None"),
        ("Status", status),
        ("Revision", str(revision.number)),
        ("Content hash", f"sha256:{revision.content_hash}"),
        ("Date", timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M UTC")),
        ("ML lifecycle stage", view.stage_label),
        ("Risk tier", view.risk_tier_label),
    ]
    if approval.approvers:
        facts.append(("Approved by", ", ".join(a.name for a in approval.approvers)))
    toc = [(s.anchor, s.title) for s in view.sections]
    toc.append(("part-approvals", "Approvals"))
    toc += [(p.anchor, p.title) for p in parts]
    body = render_to_string(
        "pdf/designdoc_body.html",
        {"view": view, "approval": approval, "parts": parts, "revision": revision},
    )
    title = view.title or revision.design_doc.title
    html = render_to_string(
        "pdf/base.html",
        {
            "title": title,
            "author": view.product_owner.name if view.product_owner else "",
            "subject": f"Design document, revision {revision.number} ({status})",
            "keywords": f"design doc, revision {revision.number}, sha256:{revision.content_hash}",
            "kind_label": "Design document",
            "facts": facts,
            "toc": toc,
            "draft": draft,
            "draft_label": DRAFT_LABEL,
            "draft_reason": draft_reason,
            "signature_note": signing_note if approval.approved else "",
            "running_revision": f"Revision {revision.number} · {status}",
            "running_hash": f"sha256:{revision.content_hash}",
            "generated_at": revision.created_at,
            "registry_version": settings.REGISTRY_VERSION,
            "body": mark_safe(body),  # noqa: S308  (rendered by our template above)
        },
    )
    key = cache_key(
        "designdoc", str(revision.pk), revision.content_hash, status, approval.fingerprint(),
        signing_note, *(f"{p.key}:{hashlib.sha256(p.html.encode()).hexdigest()}" for p in parts),
    )  # fmt: skip
    return PrintJob(
        html=html, css=_css(draft=draft), title=title, cache_key=key, approved=approval.approved
    )


def subject_print_job(
    subject: printing.PrintableSubject, key: str, options: dict | None = None
) -> PrintJob:
    """The print job of a registered subject (never signed, never a draft mark)."""
    printed = subject.render(key, options or {})
    html = render_to_string(
        "pdf/base.html",
        {
            "title": printed.title,
            "author": printed.author,
            "subject": printed.subject or subject.label,
            "keywords": subject.label,
            "kind_label": subject.label,
            "facts": list(printed.facts),
            "toc": list(printed.toc),
            "draft": False,
            "running_revision": subject.label,
            "running_hash": f"sha256:{printed.content_hash}",
            "generated_at": timezone.now(),
            "registry_version": settings.REGISTRY_VERSION,
            "body": mark_safe(printed.html),  # noqa: S308  (safe by the registry's contract)
        },
    )
    return PrintJob(
        html=html,
        css=_css(draft=False),
        title=printed.title,
        cache_key=cache_key("subject", subject.name, key, printed.content_hash),
        approved=False,
    )
