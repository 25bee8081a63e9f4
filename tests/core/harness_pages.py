"""Team pages that exist only in tests, to prove the shared page cases.

They follow the product's rules (the generic views: login, restricted querysets, permission
by action, errors next to their field, an audit event per write) so the cases pass against
them; the deliberately broken variants below each violate one rule, so the cases must fail
against them.
"""

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path, reverse

from registry.core.audit import record_audit_event
from registry.core.generic_views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from registry.core.permissions import require as require_permission
from registry.core.testing.pages import PageTestCase
from registry.urls import urlpatterns as project_urlpatterns
from teams.filtersets import TeamFilterSet
from teams.models import Team
from teams.selectors import team_list
from tests.core import harness_api  # noqa: F401  (declares the team.* audit actions)


def _template(source: str):
    return engines["django"].from_string(source)


LIST = _template(
    '{% for team in object_list %}<a href="{{ team.get_absolute_url }}">{{ team.name }}'
    "{% if chatty %} ({{ team.memberships.count }}){% endif %}</a>{% endfor %}"
)
DETAIL = _template("<h1>{{ object.name }}</h1>")
FORM = _template(
    '<form method="post">{% csrf_token %}'
    '{% include "includes/field.html" with field=form.name %}'
    '{% include "includes/field.html" with field=form.description %}</form>'
)
# Broken: every error in one box at the top, the inputs bare below it.
FORM_ERRORS_AT_THE_TOP = _template(
    '{{ form.errors }}<form method="post">{% csrf_token %}'
    '<div class="field">{{ form.name }}</div>{{ form.description }}</form>'
)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea)


class HarnessPage:
    model = Team
    template = None

    def get_template_names(self):
        return self.template  # a Template object: TemplateResponse takes it as it is


class TeamListPage(HarnessPage, ObjectListView):
    filterset_class = TeamFilterSet
    template = LIST

    def visible_queryset(self):
        return team_list(user=self.request.user)


class LeakyTeamListPage(TeamListPage):
    """Broken: every signed-in user sees every team."""

    def visible_queryset(self):
        return Team.objects.order_by("name")


class ChattyTeamListPage(TeamListPage):
    """Broken: one query per row (each team's members counted in the template)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(chatty=True, **kwargs)


class TeamDetailPage(HarnessPage, ObjectDetailView):
    template = DETAIL

    def get_queryset(self):
        return team_list(user=self.request.user)


class LeakyTeamDetailPage(TeamDetailPage):
    """Broken: looks the team up among all teams."""

    def get_queryset(self):
        return Team.objects.all()


def public_team_page(request, slug):
    """Broken: no sign-in needed."""
    team = get_object_or_404(Team, slug=slug)
    return HttpResponse(f"<h1>{team.name}</h1>")


class TeamCreatePage(HarnessPage, ObjectCreateView):
    form_class = TeamForm
    template = FORM
    audit = True

    def perform(self, form):
        require_permission(self.request.user, "teams.add_team")
        with transaction.atomic():
            name = form.cleaned_data["name"]
            team = Team.objects.create(name=name, slug=name.lower().replace(" ", "-"))
            if self.audit:
                record_audit_event(actor=self.request.user, action="team.create", obj=team)
        return team

    def success_url_for(self, team):
        return reverse("teams:team_list")


class SilentTeamCreatePage(TeamCreatePage):
    """Broken: the write leaves no audit trail."""

    audit = False


class OpenTeamCreatePage(TeamCreatePage):
    """Broken: anyone signed in may create (no permission check on the page or below)."""

    def may_create(self):
        return True

    def perform(self, form):
        team = Team.objects.create(name=form.cleaned_data["name"], slug="open")
        record_audit_event(actor=self.request.user, action="team.create", obj=team)
        return team


class MisplacedErrorsTeamCreatePage(TeamCreatePage):
    """Broken: the error is shown, but away from its field."""

    template = FORM_ERRORS_AT_THE_TOP


class TeamEditPage(HarnessPage, ObjectEditView):
    form_class = TeamForm
    template = FORM

    def get_queryset(self):
        return team_list(user=self.request.user)

    def get_initial(self):
        return {"name": self.object.name, "description": self.object.description}

    def perform(self, form):
        require_permission(self.request.user, "teams.change_team", self.object)
        with transaction.atomic():
            Team.objects.filter(pk=self.object.pk).update(**form.cleaned_data)
            record_audit_event(actor=self.request.user, action="team.update", obj=self.object)
        return self.object

    def success_url_for(self, team):
        return reverse("teams:team_list")


class UnguardedTeamEditPage(TeamEditPage):
    """Broken: the page asks only that the user may see the team."""

    action = "view"

    def perform(self, form):
        Team.objects.filter(pk=self.object.pk).update(**form.cleaned_data)
        record_audit_event(actor=self.request.user, action="team.update", obj=self.object)
        return self.object


class TeamDeletePage(HarnessPage, ObjectDeleteView):
    form_class = forms.Form
    template = _template('<form method="post">{% csrf_token %}</form>')
    audit = True

    def get_queryset(self):
        return team_list(user=self.request.user)

    def perform(self, form):
        require_permission(self.request.user, "teams.delete_team", self.object)
        with transaction.atomic():
            if self.audit:
                record_audit_event(actor=self.request.user, action="team.delete", obj=self.object)
            self.object.delete()
        return self.object

    def success_url_for(self, team):
        return reverse("teams:team_list")


class SilentTeamDeletePage(TeamDeletePage):
    """Broken: the delete leaves no audit trail."""

    audit = False


def _pages(prefix, list_view, detail_view, create_view, edit_view, delete_view):
    return [
        path(f"harness/{prefix}/", list_view.as_view(), name=f"{prefix}_list"),
        path(f"harness/{prefix}/new/", create_view.as_view(), name=f"{prefix}_add"),
        path(f"harness/{prefix}/<slug:slug>/", detail_view, name=f"{prefix}"),
        path(f"harness/{prefix}/<slug:slug>/edit/", edit_view.as_view(), name=f"{prefix}_edit"),
        path(
            f"harness/{prefix}/<slug:slug>/delete/", delete_view.as_view(), name=f"{prefix}_delete"
        ),
    ]


# Used as ROOT_URLCONF by `@pytest.mark.urls("tests.core.harness_pages")`.
urlpatterns = [
    *_pages(
        "team",
        TeamListPage,
        TeamDetailPage.as_view(),
        TeamCreatePage,
        TeamEditPage,
        TeamDeletePage,
    ),
    *_pages(
        "broken",
        LeakyTeamListPage,
        LeakyTeamDetailPage.as_view(),
        OpenTeamCreatePage,
        UnguardedTeamEditPage,
        SilentTeamDeletePage,
    ),
    path("harness/chatty/", ChattyTeamListPage.as_view(), name="chatty_list"),
    path("harness/public/<slug:slug>/", public_team_page, name="public"),
    path("harness/silent/new/", SilentTeamCreatePage.as_view(), name="silent_add"),
    path("harness/misplaced/new/", MisplacedErrorsTeamCreatePage.as_view(), name="misplaced_add"),
    *project_urlpatterns,
]


class HarnessTeamPages(PageTestCase):
    """The declarations a real Team page test would make, pointed at the harness."""

    model = Team
    reader = "viewer"
    hidden_from = "user_without_role"
    writer = "superuser"
    forbidden_writer = "viewer"
    snapshot_fields = ("name", "description")
    list_url_name = "team_list"
    detail_url_name = "team"
    create_url_name = "team_add"
    write_url_name = "team_edit"
    invalid_field = "name"
    invalid_message = "This field is required."
    edited_values = {"description": "Owns the fraud models."}

    def make_object(self):
        from tests.factories import TeamFactory, TeamMembershipFactory

        team = TeamFactory()
        TeamMembershipFactory(team=team)
        return team

    def valid_data(self, obj):
        if obj is None:
            return {"name": "Harness team"}
        return {"name": obj.name, **self.edited_values}

    def invalid_data(self, obj):
        return {"name": "", "description": "x"}
