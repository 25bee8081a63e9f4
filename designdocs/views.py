"""Pages of design documents. Thin: parse the request, call a selector or a service,
render. Domain errors become form errors next to the field or row at fault, a 403/404
page, or the conflict view (a stale version keeps the user's input beside the stored
content)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from designdocs import services
from designdocs.content import content_of
from designdocs.diff import diff_contents
from designdocs.filtersets import DesignDocFilterForm
from designdocs.forms import (
    DeleteForm,
    DesignDocCreateForm,
    DetailsForm,
    MarkdownImportForm,
    SectionEditor,
)
from designdocs.markdown_io import export_markdown
from designdocs.models import DesignDoc, Revision
from designdocs.presenters import diff_view, document_view
from designdocs.sections import SECTIONS, SECTIONS_BY_KEY
from designdocs.selectors import designdoc_detail, revision_get, teams_user_may_create_for
from designdocs.selectors import designdoc_list as select_designdocs
from designdocs.selectors import revision_list as select_revisions
from registry.catalogue.selectors import teams_to_filter_by
from registry.core.errors import DomainError, StaleVersionError
from registry.core.markdown import validate_markdown
from registry.core.text import parse_count
from registry.policy import require_permission

LIST_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50
DATALIST_LIMIT = 500
_LINE = re.compile(r"^Line (\d+):")


# --- helpers ----------------------------------------------------------------------------


def _visible_doc(request: HttpRequest, slug: str, *, with_content: bool = True) -> DesignDoc:
    """The document if the user may see it, else 404 (an invisible doc does not exist)."""
    if with_content:
        queryset = designdoc_detail(user=request.user)
    else:
        queryset = DesignDoc.objects.visible_to(request.user).select_related("owner_team")
    return get_object_or_404(queryset, slug=slug)


def _require(user, permission: str, obj: Any = None) -> None:
    """The policy's refusal as the 403 page."""
    try:
        require_permission(user, permission, obj)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


def _raise_for_status(exc: DomainError) -> None:
    """A refusal that is not about the input: the 403 or 404 page."""
    if exc.status_code == 403:
        raise PermissionDenied(exc.message)
    if exc.status_code == 404:
        raise Http404(exc.message)


def _report_save(request: HttpRequest, result: services.UpdateResult) -> None:
    if result.changed:
        messages.success(request, f"Saved as revision {result.revision.number}.")
    else:
        messages.info(request, "No changes to save: the document already says this.")


def _conflict(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The stored document now, for the side-by-side view after a stale save."""
    fresh = _visible_doc(request, slug)
    latest = select_revisions(doc=fresh).first()
    return {"doc": fresh, "view": document_view(content_of(fresh)), "revision": latest}


def _team_choices(user, doc: DesignDoc) -> list[tuple[str, str]]:
    """Teams the doc may move to: those the user may create docs for, plus its own."""
    teams = {t.slug: t.name for t in teams_user_may_create_for(user=user)}
    teams.setdefault(doc.owner_team.slug, doc.owner_team.name)
    return sorted(teams.items(), key=lambda item: item[1].lower())


def _datalists(section, user) -> dict[str, list[str]]:
    """Suggestions for username and team inputs, for people who may read the registry (a
    co-author without a role is not shown everyone's name)."""
    kinds = {spec.kind for spec in section.row_fields}
    lists: dict[str, list[str]] = {}
    if not user.has_perm("designdocs.view_designdoc"):
        return lists
    if "user" in kinds:
        user_model = get_user_model()
        lists["usernames"] = list(
            user_model.objects.filter(is_active=True)
            .order_by(user_model.USERNAME_FIELD)
            .values_list(user_model.USERNAME_FIELD, flat=True)[:DATALIST_LIMIT]
        )
    if "team" in kinds:
        lists["team_slugs"] = list(
            teams_to_filter_by(user=user)
            .order_by("slug")
            .values_list("slug", flat=True)[:DATALIST_LIMIT]
        )
    return lists


# --- list, create, import ------------------------------------------------------------------


@login_required
@require_GET
def designdoc_list(request: HttpRequest) -> HttpResponse:
    form = DesignDocFilterForm(request.GET, teams=teams_to_filter_by(user=request.user))
    queryset = form.order(select_designdocs(user=request.user, filters=form.filters))
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "designdocs/designdoc_list.html",
        {
            "form": form,
            "page": page,
            "sort_links": form.sort_links(),
            "can_create": request.user.has_perm("designdocs.add_designdoc"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_add(request: HttpRequest) -> HttpResponse:
    _require(request.user, "designdocs.add_designdoc")
    teams = teams_user_may_create_for(user=request.user)
    form = DesignDocCreateForm(request.POST if request.method == "POST" else None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.designdoc_create(
                user=request.user,
                title=form.cleaned_data["title"],
                owner_team=form.cleaned_data["owner_team"],
            )
        except DomainError as exc:
            _raise_for_status(exc)
            for key, errors in (exc.errors or {None: [exc.message]}).items():
                for error in errors:
                    form.add_error(key if key in form.fields else None, error)
        else:
            messages.success(
                request, f"Created “{doc.title}” (revision 1). Fill in its sections, one at a time."
            )
            return redirect("designdocs:designdoc_edit", slug=doc.slug)
    return render(request, "designdocs/designdoc_add.html", {"form": form, "teams": teams})


def _import_errors(exc: DomainError) -> list[str]:
    lines = [message for messages_ in exc.errors.values() for message in messages_] or [exc.message]

    def line_of(message: str) -> int:
        match = _LINE.match(message)
        return int(match.group(1)) if match else 0

    return sorted(dict.fromkeys(lines), key=line_of)


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_import(request: HttpRequest) -> HttpResponse:
    _require(request.user, "designdocs.add_designdoc")
    form = (
        MarkdownImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else MarkdownImportForm()
    )
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.designdoc_import_markdown(
                user=request.user, data=form.cleaned_data["file"]
            )
        except DomainError as exc:
            if exc.status_code == 403:
                status = 403
                errors = [
                    "You may not create design docs for the owner team this file names. Product "
                    "owners create docs for their own teams: change owner_team in the front matter."
                ]
            else:
                _raise_for_status(exc)
                errors = _import_errors(exc)
        else:
            messages.success(request, f"Imported “{doc.title}” as revision 1.")
            return redirect(doc)
    if request.method == "POST" and status == 200:
        status = 400  # refused: the form comes back with the errors
    return render(
        request,
        "designdocs/designdoc_import.html",
        {"form": form, "errors": errors, "teams": teams_user_may_create_for(user=request.user)},
        status=status,
    )


# --- read, export, delete ------------------------------------------------------------------


@login_required
@require_GET
def designdoc_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug)
    return render(
        request,
        "designdocs/designdoc_detail.html",
        {
            "doc": doc,
            "view": document_view(content_of(doc)),
            "can_edit": request.user.has_perm("designdocs.change_designdoc", doc),
            "can_delete": request.user.has_perm("designdocs.delete_designdoc", doc),
        },
    )


@login_required
@require_GET
def designdoc_export_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug)
    response = HttpResponse(
        export_markdown(content_of(doc)), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{doc.slug}.md"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_delete(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug, with_content=False)
    _require(request.user, "designdocs.delete_designdoc", doc)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designdoc_delete(doc=doc, user=request.user)
        except DomainError as exc:
            _raise_for_status(exc)
            raise
        messages.success(request, f"Deleted “{doc.title}”. The audit log keeps a record of it.")
        return redirect("designdocs:designdoc_list")
    revision_count = doc.revisions.count()
    return render(
        request,
        "designdocs/designdoc_delete.html",
        {"doc": doc, "form": form, "revision_count": revision_count},
    )


# --- edit -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor: details form, completeness meter, and every section with its edit link."""
    doc = _visible_doc(request, slug)
    _require(request.user, "designdocs.change_designdoc", doc)
    content = content_of(doc)
    teams = _team_choices(request.user, doc)
    conflict = None
    status = 200
    if request.method == "POST":
        form = DetailsForm(request.POST, teams=teams)
        if form.is_valid():
            try:
                result = services.designdoc_update(
                    doc=doc,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                    message=form.cleaned_data["message"],
                )
            except StaleVersionError:
                conflict = _conflict(request, slug)
                data = form.data.copy()
                data["version"] = str(conflict["doc"].version)
                form.data = data
                status = 412
            except DomainError as exc:
                _raise_for_status(exc)
                form.add_domain_errors(exc.errors or {"__all__": [exc.message]})
            else:
                _report_save(request, result)
                return redirect("designdocs:designdoc_edit", slug=result.design_doc.slug)
    else:
        form = DetailsForm(initial=DetailsForm.initial_from(content, doc.version), teams=teams)
    if request.method == "POST" and status == 200:
        status = 400  # refused: the form comes back with the errors
    return render(
        request,
        "designdocs/designdoc_edit.html",
        {
            "doc": doc,
            "view": document_view(content),
            "form": form,
            "conflict": conflict,
            "can_delete": request.user.has_perm("designdocs.delete_designdoc", doc),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, section_key: str) -> HttpResponse:
    """One section: Markdown with live preview, or an editable table of rows."""
    section = SECTIONS_BY_KEY.get(section_key)
    if section is None:
        raise Http404("This document has no such section.")
    doc = _visible_doc(request, slug)
    _require(request.user, "designdocs.change_designdoc", doc)
    conflict = None
    status = 200
    if request.method == "POST" and "add_row" in request.POST and section.is_rows:
        # Without JavaScript, "Add" submits: show the same rows plus a blank one, save nothing.
        editor = SectionEditor(section, data=_with_extra_row(request.POST, section.key))
    elif request.method == "POST":
        editor = SectionEditor(section, data=request.POST)
        if editor.is_valid():
            try:
                result = services.designdoc_update(
                    doc=doc,
                    user=request.user,
                    expected_version=editor.version,
                    changes=editor.changes(),
                    message=editor.message,
                )
            except StaleVersionError:
                conflict = _conflict(request, slug)
                editor.set_version(conflict["doc"].version)
                status = 412
            except DomainError as exc:
                _raise_for_status(exc)
                editor.add_domain_errors(exc.errors, exc.message)
            else:
                _report_save(request, result)
                target = _next_section(section.key) if "save_next" in request.POST else None
                return redirect(
                    "designdocs:section_edit",
                    slug=result.design_doc.slug,
                    section_key=target.key if target else section.key,
                )
    else:
        editor = SectionEditor(section, value=content_of(doc)[section.key], version=doc.version)
    if request.method == "POST" and status == 200 and editor.has_errors:
        status = 400  # refused: the form comes back with the errors
    index = [s.key for s in SECTIONS].index(section.key)
    return render(
        request,
        "designdocs/section_edit.html",
        {
            "doc": doc,
            "section": section,
            "editor": editor,
            "conflict": conflict,
            "conflict_section": conflict["view"].section(section.key) if conflict else None,
            "previous_section": SECTIONS[index - 1] if index > 0 else None,
            "next_section": _next_section(section.key),
            "position": index + 1,
            "section_count": len(SECTIONS),
            **_datalists(section, request.user),
        },
        status=status,
    )


def _with_extra_row(data, prefix: str):
    data = data.copy()
    total = data.get(f"{prefix}-TOTAL_FORMS", "0")
    data[f"{prefix}-TOTAL_FORMS"] = str((parse_count(total) or 0) + 1)
    return data


def _next_section(key: str):
    keys = [s.key for s in SECTIONS]
    index = keys.index(key)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the posted Markdown (`text`) through the product's one sanitiser."""
    text = request.POST.get("text", "")
    error = ""
    try:
        validate_markdown(text, field="This section")
    except DomainError as exc:
        error, text = exc.message, ""
    return render(
        request, "designdocs/partials/markdown_preview.html", {"text": text, "error": error}
    )


# --- revisions ------------------------------------------------------------------------------


@login_required
@require_GET
def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug, with_content=False)
    page = Paginator(select_revisions(doc=doc), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "designdocs/revision_list.html", {"doc": doc, "page": page})


def _revision_or_404(doc: DesignDoc, number: int) -> Revision:
    try:
        return revision_get(doc=doc, number=number)
    except Revision.DoesNotExist:
        raise Http404(f"“{doc.title}” has no revision {number}.") from None


@login_required
@require_GET
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    doc = _visible_doc(request, slug, with_content=False)
    revision = _revision_or_404(doc, number)
    return render(
        request,
        "designdocs/revision_detail.html",
        {
            "doc": doc,
            "revision": revision,
            "view": document_view(revision.content),
            "is_latest": revision.number == doc.revision_number,
        },
    )


@login_required
@require_GET
def revision_diff(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug, with_content=False)
    history = reverse("designdocs:revision_list", kwargs={"slug": doc.slug})
    picked = request.GET.getlist("rev")
    if picked:
        # The history page's checkboxes: exactly two, then the canonical ?from=&to= URL.
        numbers = sorted({n for n in map(parse_count, picked) if n is not None})
        if len(numbers) != 2:
            messages.error(request, "Pick exactly two revisions to compare.")
            return redirect(history)
        url = reverse("designdocs:revision_diff", kwargs={"slug": doc.slug})
        return redirect(f"{url}?from={numbers[0]}&to={numbers[1]}")
    old_number = parse_count(request.GET.get("from"))
    new_number = parse_count(request.GET.get("to"))
    if old_number is None or new_number is None:
        messages.error(request, "Pick two revisions to compare.")
        return redirect(history)
    old = _revision_or_404(doc, old_number)
    new = _revision_or_404(doc, new_number)
    sections = diff_view(diff_contents(old.content, new.content))
    return render(
        request,
        "designdocs/revision_diff.html",
        {
            "doc": doc,
            "old": old,
            "new": new,
            "sections": sections,
            "changed_count": sum(1 for s in sections if s["changed"]),
        },
    )
