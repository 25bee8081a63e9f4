"""Pages of PDF exports: the "Export PDF" button (a panel in the design doc and revision
pages' action slots), the export page with its progress bar (htmx polling), download,
retry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from designdocs.models import DesignDoc
from exports import services
from exports.choices import ExportStatus
from exports.selectors import export_list
from registry.core import panels, printing
from registry.core.errors import DomainError
from registry.core.text import parse_count

#: As the API's SubjectExportRequestSerializer (and PdfExport.subject_key) allow.
MAX_SUBJECT_KEY = 500
DESIGNDOC_ACTIONS = "designdoc-actions"
REVISION_ACTIONS = "revision-actions"


def _button(request, doc: DesignDoc, number: int) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {
        "action": reverse("exports:designdoc_export", kwargs={"slug": doc.slug}),
        "revision": number,
        "target": f"export-status-{doc.pk}-{number}",
    }


def _doc_button(request, doc) -> dict | None:
    return _button(request, doc, doc.revision_number)


def _revision_button(request, revision) -> dict | None:
    return _button(request, revision.design_doc, revision.number)


ARCHITECTURE_ACTIONS = "architecture-actions"
CATALOGUE_ACTIONS = "catalogue-actions"
PORTFOLIO_ACTIONS = "portfolio-actions"
#: Query parameters of a list page that are not part of what it shows.
NOT_FILTERS = ("page",)


def _subject_button(request, name: str, key: str, *, target: str, label: str) -> dict | None:
    """The "Export PDF" button of a registered printable subject, for a user who may print
    it (None otherwise, and when no app registered the subject)."""
    subject = printing.subject(name)
    if not request.user.is_authenticated or subject is None:
        return None
    if not subject.may_print(request.user, key):
        return None
    return {
        "action": reverse("exports:subject_export", kwargs={"name": name}),
        "key": key,
        "target": target,
        "label": label,
    }


def _architecture_button(request, architecture) -> dict | None:
    return _subject_button(
        request, "architecture", architecture.slug,
        target=f"export-status-architecture-{architecture.pk}", label="Export PDF",
    )  # fmt: skip


def current_filter(request) -> str:
    """The page's filter as a query string (without its page number)."""
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    return query.urlencode()


def _catalogue_button(request) -> dict | None:
    key = current_filter(request)
    label = "Export filtered PDF" if key else "Export catalogue PDF"
    return _subject_button(request, "catalogue", key, target="export-status-catalogue",
                           label=label)  # fmt: skip


def _portfolio_button(request) -> dict | None:
    return _subject_button(request, "portfolio", "", target="export-status-portfolio",
                           label="Export PDF report")  # fmt: skip


def export_button_panels() -> list[panels.Panel]:
    template = "exports/panels/export_button.html"
    subject_template = "exports/panels/subject_button.html"
    return [
        panels.Panel("exports-pdf", template, context=_doc_button, slot=DESIGNDOC_ACTIONS),
        panels.Panel("exports-pdf", template, context=_revision_button, slot=REVISION_ACTIONS),
        panels.Panel("exports-pdf", subject_template, context=_architecture_button,
                     slot=ARCHITECTURE_ACTIONS),
        panels.Panel("exports-pdf", subject_template, context=_catalogue_button,
                     slot=CATALOGUE_ACTIONS),
        panels.Panel("exports-pdf", subject_template, context=_portfolio_button,
                     slot=PORTFOLIO_ACTIONS),
    ]  # fmt: skip


def _visible_export(request, pk: int):
    return get_object_or_404(export_list(user=request.user), pk=pk)


def _status(request, export, *, status=200) -> HttpResponse:
    return render(request, "exports/partials/status.html", {"export": export}, status=status)


def _refused(request, exc: DomainError, *, back: str) -> HttpResponse:
    """A refusal in words: in place for htmx (200: htmx swaps only 2xx answers), else a
    page with the reason and the way back (4xx)."""
    context = {"message": exc.message, "errors": exc.errors or {"__all__": [exc.message]}}
    if request.htmx:
        return render(request, "exports/partials/error.html", context)
    context["back"] = back
    status = exc.status_code if 400 <= exc.status_code < 600 else 400
    return render(request, "exports/export_refused.html", context, status=status)


@login_required
@require_POST
def designdoc_export(request: HttpRequest, slug: str) -> HttpResponse:
    doc = get_object_or_404(DesignDoc.objects.restrict(request.user, "view"), slug=slug)
    raw = request.POST.get("revision", "")
    number = parse_count(raw) if raw else None
    try:
        if raw and number is None:
            raise DomainError("The revision to export must be a whole number.", field="revision")
        export, _ = services.export_designdoc_request(
            user=request.user, doc=doc, revision_number=number
        )
    except DomainError as exc:
        return _refused(request, exc, back=doc.get_absolute_url())
    export.refresh_from_db()
    if request.htmx:
        return _status(request, export)
    return redirect(export.get_absolute_url())


def _referer(request) -> str:
    """The page the button was on, when it is one of ours; else home."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


@login_required
@require_POST
def subject_export(request: HttpRequest, name: str) -> HttpResponse:
    """Export a registered printable subject (an architecture example, the catalogue or a
    filtered part of it, the portfolio report): `key` names which, as its page does."""
    key = request.POST.get("key", "")
    try:
        if len(key) > MAX_SUBJECT_KEY:
            raise DomainError(
                f"The subject key is longer than {MAX_SUBJECT_KEY} characters.", field="key"
            )
        export, _ = services.export_subject_request(user=request.user, name=name, key=key)
    except services.SubjectNotFoundError as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _refused(request, exc, back=_referer(request))
    export.refresh_from_db()
    if request.htmx:
        return _status(request, export)
    return redirect(export.get_absolute_url())


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _visible_export(request, pk)
    return render(request, "exports/export_detail.html", {"export": export})


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _status(request, _visible_export(request, pk))


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _visible_export(request, pk)
    if export.status != ExportStatus.DONE:
        raise Http404("This export has no file yet.")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/pdf",
    )


@login_required
@require_POST
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    export = _visible_export(request, pk)
    try:
        export = services.export_retry(user=request.user, export=export)
    except DomainError as exc:
        return _refused(request, exc, back=export.get_absolute_url())
    export.refresh_from_db()
    if request.htmx:
        return _status(request, export)
    return redirect(export.get_absolute_url())
