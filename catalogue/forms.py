"""The component form of the pages: team members add and edit their components in the
registry instead of a YAML file. It parses; catalogue.services validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms

from catalogue.choices import ComponentKind, Lifecycle
from catalogue.models import Component
from teams.models import Team


class ComponentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=ComponentKind.choices)
    owner_team = forms.ModelChoiceField(
        label="Owner team", queryset=Team.objects.none(), to_field_name="slug", empty_label=None
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: what it is, how to use it, its guarantees.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=2000,
        help_text="Separated by commas: lower-case words joined by hyphens (feature-store).",
    )
    repository_url = forms.CharField(label="Repository", required=False, max_length=500)
    docs_url = forms.CharField(label="Documentation", required=False, max_length=500)
    dashboard_url = forms.CharField(label="Dashboard", required=False, max_length=500)
    model_registry_uri = forms.CharField(
        label="Model registry URI",
        required=False,
        max_length=300,
        help_text="models:/name@alias, models:/name/version or runs:/<run id>/path.",
    )
    depends_on = forms.ModelMultipleChoiceField(
        label="Depends on",
        required=False,
        queryset=Component.objects.none(),
        to_field_name="slug",
        help_text="Hold Ctrl (or ⌘) to pick several.",
    )

    def __init__(self, *args, user, instance: Component | None = None, **kwargs) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in (
                    "name", "kind", "description", "repository_url", "docs_url",
                    "dashboard_url", "model_registry_uri")},
                "owner_team": instance.owner_team.slug,
                "tags": ", ".join(t.name for t in instance.tags.all()),
                "depends_on": [c.slug for c in instance.depends_on.all()],
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.instance = instance
        teams = Team.objects.restrict(user, "catalogue.add_component_for").order_by("name")
        if instance is not None:
            teams = Team.objects.filter(
                pk__in=[*teams.values_list("pk", flat=True), instance.owner_team_id]
            ).order_by("name")
        self.fields["owner_team"].queryset = teams
        components = Component.objects.restrict(user, "view").order_by("name")
        if instance is not None:
            components = components.exclude(pk=instance.pk)
        self.fields["depends_on"].queryset = components
        if instance is None:
            self.fields["lifecycle"] = forms.ChoiceField(
                label="Lifecycle",
                choices=[
                    (v, label)
                    for v, label in Lifecycle.choices
                    if v in ("experimental", "production")
                ],
                help_text="Deprecate or retire it later from its page.",
            )

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [t.strip() for t in data.get("tags", "").split(",") if t.strip()]
        data["depends_on"] = list(data.get("depends_on") or [])
        return data
