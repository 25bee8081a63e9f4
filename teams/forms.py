"""Forms of the team pages. They parse what the browser sent into the shapes the services
take; the services validate (one validator for pages, API and imports) and their errors are
put back next to the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms

from teams.choices import MembershipRole, TeamKind
from teams.models import CHANNEL_MAX_LENGTH, NAME_MAX_LENGTH, SLUG_MAX_LENGTH, Team

TEAM_FORM_FIELDS = ("name", "kind", "description", "email", "chat_channel", "parent")


class TeamForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX_LENGTH)
    slug = forms.CharField(
        label="Slug",
        max_length=SLUG_MAX_LENGTH,
        required=False,
        help_text="The team's address (/teams/<slug>/) and its name in Backstage: lowercase "
        "letters, digits and hyphens. Left empty, it is made from the name. It cannot be "
        "changed later.",
    )
    kind = forms.ChoiceField(label="Kind", choices=TeamKind.choices)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the team does and owns, and how to work with it. Markdown.",
    )
    email = forms.CharField(
        label="E-mail",
        required=False,
        max_length=254,
        widget=forms.EmailInput,
        help_text="A list or alias that reaches the team, e.g. ml-platform@example.com.",
    )
    chat_channel = forms.CharField(
        label="Chat channel",
        required=False,
        max_length=CHANNEL_MAX_LENGTH,
        help_text="The channel's name with a leading # (e.g. #ml-platform), or an https:// link.",
    )
    parent = forms.ChoiceField(
        label="Part of",
        required=False,
        help_text="The team this one belongs to (e.g. a department), if any.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, parents: list[Team], team: Team | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "No parent team")]
        choices += [(t.slug, t.name) for t in parents if team is None or t.pk != team.pk]
        self.fields["parent"].choices = choices
        if team is not None:
            # The slug is fixed once the team exists; the version is the edit's base.
            del self.fields["slug"]
            self.fields["version"].required = True

    @classmethod
    def initial_from(cls, team: Team) -> dict[str, Any]:
        initial = {name: getattr(team, name) for name in TEAM_FORM_FIELDS if name != "parent"}
        initial["parent"] = team.parent.slug if team.parent_id else ""
        initial["version"] = team.version
        return initial

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in TEAM_FORM_FIELDS}
        data["parent"] = data["parent"] or None
        if "slug" in self.fields:
            data["slug"] = self.cleaned_data["slug"]
        return data


class MembershipAddForm(forms.Form):
    user = forms.CharField(
        label="Person",
        max_length=150,
        help_text="Their username.",
        widget=forms.TextInput(attrs={"list": "team-usernames", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices, initial="member")


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices)


class DeleteForm(forms.Form):
    """A delete confirmation: nothing to fill in."""
