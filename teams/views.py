"""Pages of teams: the list (through the one FilterSet), a team's page, where other apps
show what the team owns (registry.core.panels, slot "team"), the create, edit and delete
forms, and the management of memberships (htmx swaps the members section in place; without
JavaScript the same forms post and come back to the team page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from registry.core import panels
from registry.core.errors import DomainError, PermissionDeniedError, StaleVersionError
from registry.core.generic_views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_domain_error,
)
from teams import services
from teams.choices import MembershipRole
from teams.filtersets import TeamFilterSet
from teams.forms import DeleteForm, MembershipAddForm, MembershipRoleForm, TeamForm
from teams.models import Team, TeamMembership
from teams.selectors import sorted_memberships, team_detail, team_list, teams_to_filter_by

#: People offered in the "add a member" suggestions (a datalist), at most.
USERNAME_SUGGESTIONS = 500


class TeamListView(ObjectListView):
    model = Team
    filterset_class = TeamFilterSet
    paginate_by = 50
    template_name = "teams/team_list.html"

    def visible_queryset(self):
        return team_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sort=self.filterset.current_sort,
            sort_links=self.filterset.sort_links(),
            filtered=self.filterset.active,
            parents=teams_to_filter_by(user=self.request.user),
            can_add=self.request.user.has_perm("teams.add_team"),
            **kwargs,
        )


def _members_context(request: HttpRequest, team: Team, **extra) -> dict:
    """What the members section shows: the members (leads first) and, for those who manage
    them, the forms and the suggestions of people to add."""
    can_manage = request.user.has_perm("teams.add_teammembership", team)
    context = {
        "team": team,
        "memberships": sorted_memberships(team),
        "can_manage": can_manage,
        "roles": MembershipRole.choices,
    }
    if can_manage:
        context.setdefault("add_form", MembershipAddForm(auto_id="add-member-%s"))
        user_model = get_user_model()
        field = user_model.USERNAME_FIELD
        members = {m.user_id for m in context["memberships"]}
        context["usernames"] = [
            name
            for pk, name in user_model.objects.filter(is_active=True)
            .order_by(field)
            .values_list("pk", field)[:USERNAME_SUGGESTIONS]
            if pk not in members
        ]
    context.update(extra)
    return context


class TeamDetailView(ObjectDetailView):
    model = Team
    template_name = "teams/team_detail.html"
    context_object_name = "team"

    def get_queryset(self):
        return team_detail(user=self.request.user).select_related("parent__parent")

    def get_context_data(self, **kwargs):
        team = self.object
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(_members_context(self.request, team))
        context.update(
            panels=panels.panels_for(self.request, panels.TEAM, team),
            can_change=user.has_perm("teams.change_team", team),
            can_delete=user.has_perm("teams.delete_team", team),
        )
        return context


def _parents(request: HttpRequest) -> list[Team]:
    return list(teams_to_filter_by(user=request.user).only("pk", "slug", "name"))


class TeamCreateView(ObjectCreateView):
    model = Team
    form_class = TeamForm
    template_name = "teams/team_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parents": _parents(self.request)}

    def perform(self, form):
        return services.team_create(actor=self.request.user, **form.values())

    def success_message(self, result) -> str:
        return f"Team “{result.name}” created. Add its members and mark its leads below."


class TeamEditView(ObjectEditView):
    model = Team
    form_class = TeamForm
    template_name = "teams/team_form.html"

    def base_queryset(self):
        return Team.objects.select_related("parent")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(parents=_parents(self.request), team=self.object)
        if self.request.method == "GET":
            kwargs["initial"] = TeamForm.initial_from(self.object)
        return kwargs

    def perform(self, form):
        return services.team_update(
            actor=self.request.user,
            team=self.object,
            expected_version=form.cleaned_data["version"],
            changes=form.values(),
        )

    def success_message(self, result) -> str:
        if result.version == self.object.version:
            return "No changes to save: the team already says this."
        return "Team saved."

    def domain_error(self, exc, form):
        if isinstance(exc, StaleVersionError):
            # Keep what the user typed, show what is stored now, and base a second save on
            # the current version: saving again is a choice made with both in view.
            fresh = Team.objects.select_related("parent").get(pk=self.object.pk)
            data = form.data.copy()
            data["version"] = str(fresh.version)
            form = TeamForm(data, parents=_parents(self.request), team=fresh)
            form.is_valid()
            form.add_error(
                None,
                "Someone else saved this team while you were editing it. Their version is "
                "shown below; your changes are still in the form. Save again to replace "
                "theirs with yours, or cancel to keep theirs.",
            )
            context = self.get_context_data(form=form, conflict=fresh)
            return self.render_to_response(context, status=409)
        return super().domain_error(exc, form)


class TeamDeleteView(ObjectDeleteView):
    model = Team
    form_class = DeleteForm
    template_name = "teams/team_delete.html"

    def perform(self, form):
        services.team_delete(actor=self.request.user, team=self.object)
        return self.object

    def success_url_for(self, result) -> str:
        return reverse("teams:team_list")

    def success_message(self, result) -> str:
        return f"Team “{result.name}” deleted."

    def domain_error(self, exc, form):
        if exc.status_code == 409:
            apply_domain_error(exc, form)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        return super().domain_error(exc, form)


# --- memberships ---------------------------------------------------------------------------------


def _visible_team(request: HttpRequest, slug: str) -> Team:
    return get_object_or_404(team_detail(user=request.user), slug=slug)


def _membership_of(team: Team, membership_id: int) -> TeamMembership:
    return get_object_or_404(
        TeamMembership.objects.select_related("team", "user"), team=team, pk=membership_id
    )


def _members_answer(
    request: HttpRequest,
    team: Team,
    *,
    ok: str = "",
    error: DomainError | None = None,
    banner: bool = True,
    **extra,
) -> HttpResponse:
    """After a membership write: htmx gets the members section (200, with the error or the
    confirmation inside, as htmx swaps only 2xx answers); a plain post a redirect to the team
    page, or the team page with the error (4xx)."""
    fresh = _visible_team(request, team.slug)
    if request.htmx:
        context = _members_context(request, fresh, notice=ok, **extra)
        if error is not None and banner:
            context["member_error"] = error.message
        return render(request, "teams/partials/members.html", context)
    if error is None:
        messages.success(request, ok)
        return redirect(fresh.get_absolute_url() + "#members")
    view = TeamDetailView()
    view.setup(request, slug=fresh.slug)
    view.object = fresh
    context = view.get_context_data(object=fresh)
    context.update(extra)
    if banner:
        context["member_error"] = error.message
    return render(request, "teams/team_detail.html", context, status=error.status_code)


def _refuse_page(exc: DomainError) -> None:
    # 403 and 404 are pages of their own (apply_domain_error raises them).
    apply_domain_error(exc)


@login_required
@require_POST
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    team = _visible_team(request, slug)
    form = MembershipAddForm(request.POST, auto_id="add-member-%s")
    if not request.user.has_perm("teams.add_teammembership", team):
        _refuse_page(PermissionDeniedError("You may not manage this team's members."))
    if not form.is_valid():
        error = DomainError("Correct the person or role below.")
        return _members_answer(request, team, error=error, banner=False, add_form=form)
    try:
        membership = services.membership_add(
            actor=request.user,
            team=team,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        )
    except DomainError as exc:
        _refuse_page(exc)
        apply_domain_error(exc, form)
        # An error about the person or the role shows next to it; others above the list.
        banner = not (exc.errors and set(exc.errors) <= set(form.fields))
        return _members_answer(request, team, error=exc, banner=banner, add_form=form)
    person = membership.user.get_full_name() or membership.user.get_username()
    return _members_answer(
        request, team, ok=f"{person} added as {membership.get_role_display().lower()}."
    )


@login_required
@require_POST
def membership_change(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    team = _visible_team(request, slug)
    membership = _membership_of(team, membership_id)
    form = MembershipRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(
                "Choose a role: " + ", ".join(str(label) for _, label in MembershipRole.choices),
                field="role",
            )
        membership = services.membership_change(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except DomainError as exc:
        _refuse_page(exc)
        return _members_answer(request, team, error=exc)
    person = membership.user.get_full_name() or membership.user.get_username()
    return _members_answer(
        request, team, ok=f"{person} is now {membership.get_role_display().lower()}."
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    team = _visible_team(request, slug)
    membership = _membership_of(team, membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except DomainError as exc:
        _refuse_page(exc)
        return _members_answer(request, team, error=exc)
    person = membership.user.get_full_name() or membership.user.get_username()
    return _members_answer(request, team, ok=f"{person} removed from {team.name}.")
