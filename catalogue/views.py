"""Catalogue pages: browse (architecture examples as cards, components a tab away), the
component page and form (with its RACI), the architecture example page and its create,
edit and delete pages (architects), lifecycle moves, Backstage import, the Markdown
preview of the forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST

from catalogue import services
from catalogue.backstage.importer import MAX_FILE_BYTES, catalog_import
from catalogue.choices import LIFECYCLE_HELP, LIFECYCLE_TRANSITIONS, Lifecycle, RaciActivity
from catalogue.filtersets import ArchitectureFilterSet, ComponentFilterSet
from catalogue.forms import (
    COMPONENTS_DATALIST,
    DATALIST_LIMIT,
    ArchitectureForm,
    ComponentForm,
    raci_datalists,
)
from catalogue.graph import dependency_graph
from catalogue.models import ArchitectureExample, Component
from catalogue.selectors import (
    architecture_detail,
    architecture_list,
    component_detail,
    component_list,
    design_docs_adopting,
    design_docs_using,
)
from registry.core.errors import DomainError
from registry.core.generic_views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_domain_error,
    require_page_permission,
)
from registry.core.views import markdown_preview_response


class BrowseView(ObjectListView):
    """Architecture examples as cards (the default tab)."""

    model = ArchitectureExample
    filterset_class = ArchitectureFilterSet
    template_name = "catalogue/browse.html"
    paginate_by = 24

    def visible_queryset(self):
        return architecture_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tab="architectures",
            can_add=self.request.user.has_perm("catalogue.add_architectureexample"),
            can_import=self.request.user.has_perm("catalogue.import_catalog"),
            sort_links=self.filterset.sort_links(),
        )
        return context


class ComponentListView(ObjectListView):
    model = Component
    filterset_class = ComponentFilterSet
    template_name = "catalogue/component_list.html"

    def visible_queryset(self):
        return component_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tab="components",
            can_import=self.request.user.has_perm("catalogue.import_catalog"),
            can_add=self.request.user.has_perm("catalogue.add_component"),
            sort_links=self.filterset.sort_links(),
        )
        return context


def _raci_matrix(rows):
    """Activities down, parties across, letters in the cells."""
    parties: dict[str, str] = {}
    cells: dict[tuple[str, str], str] = {}
    for row in rows:
        key = f"p:{row.person_id}" if row.person_id else f"t:{row.team_id}"
        parties.setdefault(key, row.party_label)
        cells[(row.activity, key)] = row.role
    return {
        "parties": list(parties.values()),
        "rows": [
            {
                "activity": label,
                "cells": [cells.get((value, key), "") for key in parties],
            }
            for value, label in RaciActivity.choices
        ],
    }


class ComponentDetailView(ObjectDetailView):
    model = Component
    template_name = "catalogue/component_detail.html"
    context_object_name = "component"

    def get_queryset(self):
        return component_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        component = self.object
        user = self.request.user
        context.update(
            raci=_raci_matrix(component.raci.all()),
            history=component.lifecycle_history.all(),
            depends_on=list(component.depends_on.all()),
            dependants=list(component.dependants.all()),
            graph=dependency_graph(component),
            using_docs=list(design_docs_using(component, user=user).order_by("title")),
            can_change=user.has_perm("catalogue.change_component", component),
            can_transition=user.has_perm("catalogue.transition_component", component),
            moves=sorted(LIFECYCLE_TRANSITIONS[component.lifecycle]),
            lifecycle_help=LIFECYCLE_HELP.get(component.lifecycle, ""),
            replacements=(
                Component.objects.restrict(user, "view")
                .exclude(pk=component.pk)
                .exclude(lifecycle__in=[Lifecycle.DEPRECATED, Lifecycle.RETIRED])
                .order_by("name")
                .only("slug", "name")[:200]
            ),
        )
        return context


class ComponentCreateView(ObjectCreateView):
    model = Component
    form_class = ComponentForm
    template_name = "catalogue/component_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **raci_datalists(self.request.user)}

    def perform(self, form):
        return services.component_create(actor=self.request.user, data=form.data_for_service())

    def success_message(self, result) -> str:
        return f"Component “{result}” added."


class ComponentEditView(ObjectEditView):
    model = Component
    form_class = ComponentForm
    template_name = "catalogue/component_form.html"

    def base_queryset(self):
        return Component.objects.select_related("owner_team").prefetch_related("tags", "depends_on")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **raci_datalists(self.request.user)}

    def perform(self, form):
        return services.component_update(
            actor=self.request.user, component=self.object, data=form.data_for_service()
        )

    def success_message(self, result) -> str:
        return f"Saved “{result}”."


class ArchitectureDetailView(ObjectDetailView):
    model = ArchitectureExample
    template_name = "catalogue/architecture_detail.html"
    context_object_name = "architecture"

    def get_queryset(self):
        return architecture_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        arch, user = self.object, self.request.user
        context.update(
            roles=arch.component_roles.all(),
            history=arch.lifecycle_history.all(),
            adopting_docs=list(design_docs_adopting(arch, user=user).order_by("title")),
            can_transition=user.has_perm("catalogue.transition_architectureexample", arch),
            can_change=user.has_perm("catalogue.change_architectureexample", arch),
            can_delete=user.has_perm("catalogue.delete_architectureexample", arch),
            moves=sorted(LIFECYCLE_TRANSITIONS[arch.lifecycle]),
            lifecycle_help=LIFECYCLE_HELP.get(arch.lifecycle, ""),
        )
        return context


class _ArchitectureFormMixin:
    model = ArchitectureExample
    form_class = ArchitectureForm
    template_name = "catalogue/architecture_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": getattr(self, "object", None),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["components_datalist"] = COMPONENTS_DATALIST
        context["component_choices"] = (
            Component.objects.restrict(self.request.user, "view")
            .exclude(lifecycle=Lifecycle.RETIRED)
            .order_by("name")
            .values_list("slug", "name")[:DATALIST_LIMIT]
        )
        return context


class ArchitectureCreateView(_ArchitectureFormMixin, ObjectCreateView):
    def perform(self, form):
        return services.architecture_create(actor=self.request.user, data=form.data_for_service())

    def success_message(self, result) -> str:
        return f"Architecture example “{result}” added."


class ArchitectureEditView(_ArchitectureFormMixin, ObjectEditView):
    def base_queryset(self):
        return ArchitectureExample.objects.select_related("owner_team").prefetch_related(
            "tags", "component_roles__component"
        )

    def perform(self, form):
        return services.architecture_update(
            actor=self.request.user, architecture=self.object, data=form.data_for_service()
        )

    def success_message(self, result) -> str:
        return f"Saved “{result}”."


class ArchitectureDeleteView(ObjectDeleteView):
    model = ArchitectureExample
    form_class = forms.Form
    template_name = "catalogue/architecture_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["adopting_docs"] = list(
            design_docs_adopting(self.object, user=self.request.user).order_by("title")[:50]
        )
        return context

    def perform(self, form):
        title = str(self.object)
        services.architecture_delete(actor=self.request.user, architecture=self.object)
        return title

    def success_message(self, result) -> str:
        return f"Architecture example “{result}” deleted."

    def success_url_for(self, result) -> str:
        return reverse("catalogue:browse")


PREVIEWED_FIELDS = frozenset({"problem", "body", "description"})


@login_required
@require_POST
def markdown_preview(request):
    """htmx: the posted Markdown of the field named by `preview` through the product's one
    sanitiser, refused as saving would refuse it; limited per user (MARKDOWN_PREVIEW_RATE)."""
    template = "catalogue/_markdown_preview.html"
    name = request.POST.get("preview", "")
    if name not in PREVIEWED_FIELDS:
        return render(request, template, {"text": "", "error": "Nothing to preview."}, status=400)
    return markdown_preview_response(
        request, text=request.POST.get(name, ""), field=name, template=template
    )


class ArchitectureDiagramView(LoginRequiredMixin, View):
    """The diagram of an architecture example, for those who may see the example. Served
    by the app (not as a public media file), with its own restrictive policy: an SVG, even
    sanitised, is never allowed to run or fetch anything."""

    def get(self, request, slug):
        arch = get_object_or_404(
            ArchitectureExample.objects.restrict(request.user, "view"), slug=slug
        )
        if not arch.diagram:
            raise Http404("This architecture example has no diagram.")
        content_type = "image/svg+xml" if arch.diagram_format == "svg" else "image/png"
        response = FileResponse(arch.diagram.open("rb"), content_type=content_type)
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=300"
        return response


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="Move to", choices=Lifecycle.choices)
    reason = forms.CharField(
        label="Why", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    replacement = forms.SlugField(label="Replaced by", required=False, max_length=100)


class _TransitionView(LoginRequiredMixin, View):
    model: type
    queryset_fn = None

    def post(self, request, slug):
        obj = get_object_or_404(self.model.objects.restrict(request.user, "view"), slug=slug)
        require_page_permission(request.user, self.permission, obj)
        form = TransitionForm(request.POST)
        if form.is_valid():
            replacement = None
            if form.cleaned_data["replacement"]:
                replacement = (
                    self.model.objects.restrict(request.user, "view")
                    .filter(slug=form.cleaned_data["replacement"])
                    .first()
                )
                if replacement is None:
                    form.add_error("replacement", "Pick a replacement from the list.")
            if form.is_valid():
                try:
                    result = self.service(
                        request.user,
                        obj,
                        form.cleaned_data["to"],
                        form.cleaned_data["reason"],
                        replacement,
                    )
                except DomainError as exc:
                    apply_domain_error(exc, form)
                else:
                    messages.success(
                        request,
                        f"“{result.obj}” is {result.obj.get_lifecycle_display().lower()} now.",
                    )
                    for warning in result.warnings:
                        messages.warning(request, warning)
                    return HttpResponseRedirect(result.obj.get_absolute_url())
        errors = [e for errs in form.errors.values() for e in errs]
        return render(
            request,
            "catalogue/transition_refused.html",
            {"object": obj, "errors": errors, "form": form},
            status=409
            if any("cannot" in e or "already" in e or "final" in e for e in errors)
            else 400,
        )


class ComponentTransitionView(_TransitionView):
    model = Component
    permission = "catalogue.transition_component"

    def service(self, user, obj, to, reason, replacement):
        return services.component_transition(
            actor=user, component=obj, to=to, reason=reason, replacement=replacement
        )


class ArchitectureTransitionView(_TransitionView):
    model = ArchitectureExample
    permission = "catalogue.transition_architectureexample"

    def service(self, user, obj, to, reason, replacement):
        return services.architecture_transition(
            actor=user, architecture=obj, to=to, reason=reason, replacement=replacement
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="catalog-info.yaml file", help_text="Multi-document YAML, as Backstage reads it."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"A catalog file is at most {MAX_FILE_BYTES // 1024} KB.")
        return upload


class ImportView(LoginRequiredMixin, View):
    template_name = "catalogue/import.html"

    def get(self, request):
        require_page_permission(request.user, "catalogue.import_catalog")
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        require_page_permission(request.user, "catalogue.import_catalog")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        report = catalog_import(actor=request.user, files=[(upload.name, upload.read())])
        return render(
            request,
            self.template_name,
            {"form": ImportForm(), "report": report, "summary": report.as_dict()},
            status=200 if report.ok else 400,
        )
