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
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from designdocs import import_views, lifecycle, services
from designdocs.content import content_of, normalize_text
from designdocs.dashboard import DESIGNDOC_PANELS
from designdocs.diff import diff_contents, diff_text
from designdocs.duplicates import DuplicateTitleError, refuse_duplicate_title
from designdocs.filtersets import DesignDocFilterSet
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
from designdocs.selectors import (
    designdoc_detail,
    designdoc_list,
    revision_get,
    teams_user_may_create_for,
    transition_list,
)
from designdocs.selectors import revision_list as select_revisions
from registry.core import facts, panels
from registry.core.errors import DomainError, StaleVersionError
from registry.core.generic_views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    apply_domain_error,
    require_page_permission,
)
from registry.core.text import parse_count
from registry.core.views import markdown_preview_response
from teams.selectors import teams_to_filter_by

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
        queryset = DesignDoc.objects.restrict(request.user, "view").select_related("owner_team")
    return get_object_or_404(queryset, slug=slug)


def _report_save(request: HttpRequest, result: services.UpdateResult) -> None:
    if result.changed:
        messages.success(request, f"Saved as revision {result.revision.number}.")
    else:
        messages.info(request, "No changes to save: the document already says this.")


def _conflict(request: HttpRequest, slug: str, *, mine: str | None = None) -> dict[str, Any]:
    """The stored document now, for the side-by-side view after a stale save. With `mine`
    (a narrative section's text as the user sent it), kept for the word-level diff from
    the stored text (theirs) to it, which shows what each choice would drop."""
    fresh = _visible_doc(request, slug)
    latest = select_revisions(doc=fresh).first()
    conflict = {
        "doc": fresh,
        "view": document_view(content_of(fresh), viewer=request.user, stage=fresh.stage),
        "revision": latest,
    }
    if mine is not None:
        conflict["mine"] = mine
    return conflict


def _posted_text(editor: SectionEditor, section) -> str | None:
    return None if section.is_rows else editor.meta.cleaned_data.get("text", "")


def _nothing_merged(posted, doc: DesignDoc, section) -> bool:
    """“Save what I merged” with the text still exactly as it conflicted, while the stored
    text differs: saving it would drop the other person's edit without anyone choosing so."""
    if section.is_rows:
        return False
    box = normalize_text(posted.get("text", ""))
    mine = normalize_text(posted.get("conflict_mine", ""))
    stored = content_of(doc)[section.key] or ""
    return box == mine and box != stored


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
    if not user.has_perm("designdocs.view_designdoc"):  # reads the whole registry
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


class DesignDocListView(ObjectListView):
    model = DesignDoc
    filterset_class = DesignDocFilterSet
    paginate_by = LIST_PAGE_SIZE
    template_name = "designdocs/designdoc_list.html"

    def visible_queryset(self):
        return designdoc_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sort_links=self.filterset.sort_links(),
            can_create=self.request.user.has_perm("designdocs.create_designdoc"),
        )
        return context


class DesignDocCreateView(ObjectCreateView):
    model = DesignDoc
    form_class = DesignDocCreateForm
    template_name = "designdocs/designdoc_add.html"

    def may_create(self) -> bool:
        return self.request.user.has_perm("designdocs.create_designdoc")

    @cached_property
    def teams(self):
        return teams_user_may_create_for(user=self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "teams": self.teams}

    def get_context_data(self, **kwargs):
        return super().get_context_data(teams=self.teams, **kwargs)

    def perform(self, form):
        refuse_duplicate_title(
            user=self.request.user,
            title=form.cleaned_data["title"],
            allowed=form.cleaned_data["allow_duplicate_title"],
        )
        return services.designdoc_create(
            user=self.request.user,
            title=form.cleaned_data["title"],
            owner_team=form.cleaned_data["owner_team"],
        )

    def domain_error(self, exc, form):
        if isinstance(exc, DuplicateTitleError):
            # Not an error in the form: ask, with the existing doc at hand.
            context = self.get_context_data(form=form, duplicates=exc.existing)
            return self.render_to_response(context, status=409)
        return super().domain_error(exc, form)

    def success_message(self, doc) -> str:
        return f"Created “{doc.title}” (revision 1). Fill in its sections, one at a time."

    def success_url_for(self, doc) -> str:
        return reverse("designdocs:designdoc_edit", kwargs={"slug": doc.slug})


def _import_errors(exc: DomainError) -> list[str]:
    lines = [message for messages_ in exc.errors.values() for message in messages_] or [exc.message]

    def line_of(message: str) -> int:
        match = _LINE.match(message)
        return int(match.group(1)) if match else 0

    return sorted(dict.fromkeys(lines), key=line_of)


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_import(request: HttpRequest) -> HttpResponse:
    require_page_permission(request.user, "designdocs.create_designdoc")
    # A design doc from another template: mapping first, created on confirmation only.
    teams = teams_user_may_create_for(user=request.user)
    confirming = request.method == "POST" and "markdown" in request.POST
    form = (
        MarkdownImportForm(request.POST, request.FILES)
        if request.method == "POST" and not confirming
        else MarkdownImportForm()
    )
    errors: list[str] = []
    duplicates: list[DesignDoc] = []
    status = 200
    foreign: dict[str, Any] = {}
    upload = (
        form.cleaned_data["file"] if not confirming and form.is_bound and form.is_valid() else None
    )
    if confirming or (upload is not None and import_views.is_foreign_upload(upload)):
        name = request.FILES["file"].name if upload is not None else ""
        response, foreign, status = import_views.foreign_import_step(
            request, teams=teams, upload=upload, file_name=name
        )
        if response is not None:
            return response
        errors = foreign.pop("errors")
    elif upload is not None:
        try:
            if not form.cleaned_data["allow_duplicate_title"]:
                title = services.designdoc_import_preview(user=request.user, data=upload).title
                refuse_duplicate_title(user=request.user, title=title, allowed=False)
            doc = services.designdoc_import_markdown(user=request.user, data=upload)
        except DuplicateTitleError as exc:
            status, duplicates = 409, exc.existing
        except DomainError as exc:
            if exc.status_code == 403:
                # The service's own reason (the team, or the product owner the file names).
                status, errors = 403, _import_errors(exc)
            else:
                apply_domain_error(exc)  # 403/404 pages; the rest is listed by line
                errors = _import_errors(exc)
        else:
            messages.success(request, f"Imported “{doc.title}” as revision 1.")
            return redirect(doc)
    if request.method == "POST" and status == 200 and (errors or form.errors):
        status = 400  # refused: the form comes back with the errors
    return render(
        request,
        "designdocs/designdoc_import.html",
        {"form": form, "errors": errors, "duplicates": duplicates, "teams": teams, **foreign},
        status=status,
    )


# --- read, export, delete ------------------------------------------------------------------


class DesignDocDetailView(ObjectDetailView):
    model = DesignDoc
    template_name = "designdocs/designdoc_detail.html"
    context_object_name = "doc"

    def get_queryset(self):
        return designdoc_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        doc = self.object
        user = self.request.user
        can_move = user.has_perm("designdocs.transition_designdoc", doc)
        return super().get_context_data(
            view=document_view(content_of(doc), viewer=user, stage=doc.stage),
            can_edit=user.has_perm("designdocs.change_designdoc", doc),
            can_delete=user.has_perm("designdocs.delete_designdoc", doc),
            can_move=can_move,
            moves=lifecycle.moves_of(doc) if can_move else [],
            transitions=transition_list(doc=doc),
            facts=facts.facts_for(doc, user=user),
            doc_panels=panels.panels_for(self.request, DESIGNDOC_PANELS, doc),
            **kwargs,
        )


@login_required
@require_POST
def designdoc_transition(request: HttpRequest, slug: str) -> HttpResponse:
    """The Lifecycle panel's move buttons: a refusal is shown on the page, nothing moved."""
    doc = _visible_doc(request, slug, with_content=False)
    try:
        transition = services.designdoc_transition(
            doc=doc,
            actor=request.user,
            to_stage=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Moved to {transition.get_to_stage_display().lower()}.")
    return redirect(f"{doc.get_absolute_url()}#lifecycle")


@login_required
@require_GET
def designdoc_export_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _visible_doc(request, slug)
    response = HttpResponse(
        export_markdown(content_of(doc)), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{doc.slug}.md"'
    return response


class DesignDocDeleteView(ObjectDeleteView):
    model = DesignDoc
    form_class = DeleteForm
    template_name = "designdocs/designdoc_delete.html"

    def get_queryset(self):
        return DesignDoc.objects.restrict(self.request.user, "view").select_related("owner_team")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            doc=self.object, revision_count=self.object.revisions.count(), **kwargs
        )

    def perform(self, form):
        services.designdoc_delete(doc=self.object, user=self.request.user)
        return self.object

    def success_message(self, doc) -> str:
        return f"Deleted “{doc.title}”. The audit log keeps a record of it."

    def success_url_for(self, doc) -> str:
        return reverse("designdocs:designdoc_list")


# --- edit -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def designdoc_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor: details form, completeness meter, and every section with its edit link."""
    doc = _visible_doc(request, slug)
    require_page_permission(request.user, "designdocs.change_designdoc", doc)
    content = content_of(doc)
    teams = _team_choices(request.user, doc)
    conflict = None
    status = 200
    if request.method == "POST" and request.POST.get("resolve") == "theirs":
        # The conflict's "Keep theirs": the user chose to drop their unsaved values.
        messages.info(request, "Kept the stored details; your unsaved changes were discarded.")
        return redirect("designdocs:designdoc_edit", slug=doc.slug)
    if request.method == "POST":
        form = DetailsForm(request.POST, teams=teams, stored=content)
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
                stored = content_of(conflict["doc"])
                mine = form.changes()
                # Which of the stored values "Save mine" would replace.
                conflict["differs"] = {key for key in mine if mine[key] != stored[key]}
                data = form.data.copy()
                data["version"] = str(conflict["doc"].version)
                form.data = data
                status = 412
            except DomainError as exc:
                apply_domain_error(exc, form)
            else:
                _report_save(request, result)
                return redirect("designdocs:designdoc_edit", slug=result.design_doc.slug)
    else:
        form = DetailsForm(
            initial=DetailsForm.initial_from(content, doc.version), teams=teams, stored=content
        )
    if request.method == "POST" and status == 200:
        status = 400  # refused: the form comes back with the errors
    return render(
        request,
        "designdocs/designdoc_edit.html",
        {
            "doc": doc,
            "view": document_view(content, viewer=request.user, stage=doc.stage),
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
    require_page_permission(request.user, "designdocs.change_designdoc", doc)
    conflict = None
    status = 200
    if request.method == "POST" and "add_row" in request.POST and section.is_rows:
        # Without JavaScript, "Add" submits: show the same rows plus a blank one, save nothing.
        editor = SectionEditor(section, data=_with_extra_row(request.POST, section.key))
    elif request.method == "POST" and request.POST.get("resolve") == "theirs":
        # The conflict page's "Keep theirs": the user chose to drop their unsaved text.
        messages.info(request, "Kept the stored version; your unsaved changes were discarded.")
        return redirect("designdocs:section_edit", slug=doc.slug, section_key=section.key)
    elif request.method == "POST":
        resolve = request.POST.get("resolve", "")
        data = request.POST
        if resolve == "mine" and not section.is_rows:
            data = data.copy()  # exactly the text that conflicted, whatever the box holds now
            data["text"] = request.POST.get("conflict_mine", "")
        editor = SectionEditor(section, data=data)
        if resolve == "merged" and _nothing_merged(request.POST, doc, section):
            conflict = _conflict(request, slug, mine=editor.meta.data.get("text", ""))
            conflict["unmerged"] = True
            status = 400
        elif editor.is_valid():
            try:
                result = services.designdoc_update(
                    doc=doc,
                    user=request.user,
                    expected_version=editor.version,
                    changes=editor.changes(),
                    message=editor.message,
                )
            except StaleVersionError:
                conflict = _conflict(request, slug, mine=_posted_text(editor, section))
                editor.set_version(conflict["doc"].version)
                status = 412
            except DomainError as exc:
                apply_domain_error(exc, editor)
            else:
                _report_save(request, result)
                target = _next_section(section.key) if "save_next" in request.POST else None
                return redirect(
                    "designdocs:section_edit",
                    slug=result.design_doc.slug,
                    section_key=target.key if target else section.key,
                )
    else:
        content = content_of(doc)
        editor = SectionEditor(
            section,
            value=content[section.key],
            version=doc.version,
            links={link.name: content.get(link.name, []) for link in section.links},
        )
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
            "conflict_diff": _conflict_diff(conflict, section),
            "previous_section": SECTIONS[index - 1] if index > 0 else None,
            "next_section": _next_section(section.key),
            "position": index + 1,
            "section_count": len(SECTIONS),
            **_datalists(section, request.user),
        },
        status=status,
    )


def _conflict_diff(conflict: dict[str, Any] | None, section) -> list | None:
    """Word by word, from the stored text (theirs) to the user's (mine)."""
    if not conflict or "mine" not in conflict:
        return None
    theirs = content_of(conflict["doc"])[section.key] or ""
    return diff_text(theirs, conflict["mine"] or "")


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
    """htmx: the posted Markdown (`text`) through the product's one sanitiser, refused as
    saving would refuse it; limited per user (MARKDOWN_PREVIEW_RATE), 429 past it."""
    return markdown_preview_response(
        request,
        text=normalize_text(request.POST.get("text", "")),  # as saving stores it
        field="This section",
        template="designdocs/partials/markdown_preview.html",
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
            "view": document_view(revision.content, viewer=request.user),
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
