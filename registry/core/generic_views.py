"""Generic page views: list, detail, create, edit and delete, for every app.

They hold the page-side rules in one place:
- anonymous -> the login page; an object the user may not see -> 404 (it does not exist
  for them); one they see but may not act on -> 403;
- querysets start from `Model.objects.restrict(user, action)`, the action implied by the
  view (view for GET, the view's `action` for writes);
- a service's DomainError becomes a form error next to the field it names (or at the top
  of the form), a 403 or a 404 page (`apply_domain_error`);
- lists filter through the app's one FilterSet, paginate, and show invalid filter values as
  form errors (never "everything").
Subclasses say which model, template and service; they never map errors themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic

from registry.core import facts
from registry.core.errors import DomainError
from registry.core.permissions import permission_name


def apply_domain_error(exc: DomainError, form: Any = None) -> None:
    """The one mapping of a service's refusal onto a page: 403 and 404 raise the error page;
    anything else lands on `form` next to the fields it names (the top for the others);
    without a form the caller shows it.
    A form may define `add_domain_errors(errors)` to place errors its own way (rows)."""
    if exc.status_code == 403:
        raise PermissionDenied(exc.message)
    if exc.status_code == 404:
        raise Http404(exc.message)
    if form is None:
        return  # the caller shows the errors its own way
    errors = exc.errors or {"__all__": [exc.message]}
    if hasattr(form, "add_domain_errors"):
        form.add_domain_errors(errors)
        return
    for key, messages_ in errors.items():
        for message in messages_:
            form.add_error(key if key in form.fields else None, message)


def require_page_permission(user, permission: str, obj: Any = None) -> None:
    """The 403 page unless `user` holds `permission` (on `obj`)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied("You do not have permission to do this.")


class RegistryPageMixin(LoginRequiredMixin):
    """Login required; the model's restricted queryset; permission by action."""

    model: type[Model]
    #: the action a write (POST) on this page performs; GET needs only "view"
    action = "view"

    def permission(self, action: str | None = None) -> str:
        return permission_name(self.model, action or self.action)

    def base_queryset(self) -> QuerySet:
        """What the page shows of each object (select/prefetch); restricted afterwards."""
        return self.model.objects.all()

    def get_queryset(self) -> QuerySet:
        return self.base_queryset().restrict(self.request.user, "view")


class ObjectMixin(RegistryPageMixin):
    """One object, looked up by slug among those the user may see (else 404), and the
    view's `action` required on it (else 403)."""

    slug_url_kwarg = "slug"
    slug_field = "slug"

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        if getattr(self, "object", None) is not None:
            return self.object
        queryset = queryset if queryset is not None else self.get_queryset()
        obj = get_object_or_404(queryset, **{self.slug_field: self.kwargs[self.slug_url_kwarg]})
        if self.action != "view":
            require_page_permission(self.request.user, self.permission(), obj)
        self.object = obj
        return obj


class ObjectListView(RegistryPageMixin, generic.ListView):
    """A list through the app's FilterSet, paginated; invalid filters show as form errors."""

    filterset_class: type
    paginate_by = 25

    def visible_queryset(self) -> QuerySet:
        """What the user may see, before filters (usually the app's list selector)."""
        return RegistryPageMixin.get_queryset(self)

    def get_queryset(self) -> QuerySet:
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.visible_queryset(), request=self.request
        )
        return self.filterset.result() if self.filterset.is_bound else self.filterset.qs

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filterset=self.filterset,
            form=self.filterset.form,
            page=context["page_obj"],
            filter_errors=self.filterset.is_bound and not self.filterset.is_valid(),
            # What other apps know of the page's objects (registry.core.facts), once per page
            # in a fixed number of queries; rows show them with includes/facts.html.
            page_facts=facts.bulk_facts(context["object_list"], user=self.request.user),
        )
        return context


class ObjectDetailView(ObjectMixin, generic.DetailView):
    pass


class ObjectFormView(RegistryPageMixin, generic.FormView):
    """A form whose valid submission calls a service (`perform`). A DomainError from it is
    shown on the form (or as the 403/404 page); success redirects with a message."""

    def perform(self, form) -> Any:
        """Call the service with the form's data and return what it made or changed."""
        raise NotImplementedError(f"{type(self).__name__} must say which service it calls.")

    def success_message(self, result: Any) -> str:
        return ""

    def success_url_for(self, result: Any) -> str:
        return result.get_absolute_url()

    def form_valid(self, form) -> HttpResponse:
        try:
            result = self.perform(form)
        except DomainError as exc:
            response = self.domain_error(exc, form)
            if response is not None:
                return response
            return self.form_invalid(form)
        message = self.success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url_for(result))

    def form_invalid(self, form) -> HttpResponse:
        # Refused: the form comes back with its errors as a 400, as on every other page.
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def domain_error(self, exc: DomainError, form) -> HttpResponse | None:
        """Hook for errors a page answers its own way (a stale version's conflict view)."""
        apply_domain_error(exc, form)
        return None


class ObjectCreateView(ObjectFormView):
    action = "add"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_create():
            raise PermissionDenied("You do not have permission to do this.")
        return super().dispatch(request, *args, **kwargs)

    def may_create(self) -> bool:
        return self.request.user.has_perm(self.permission())


class ObjectEditView(ObjectMixin, ObjectFormView):
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = None
            self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        kwargs.setdefault("object", self.object)
        return super().get_context_data(**kwargs)


class ObjectDeleteView(ObjectEditView):
    action = "delete"
