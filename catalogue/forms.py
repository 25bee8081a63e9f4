"""The forms of the catalogue pages: team members add and edit their components (with
their RACI) in the registry instead of a YAML file; architects add and edit architecture
examples (diagram, components and their roles). They parse and resolve names (team and
component slugs, usernames); catalogue.services validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from catalogue.choices import ComponentKind, Lifecycle, RaciActivity, RaciRole
from catalogue.models import ArchitectureExample, Component
from catalogue.services import MAX_ARCHITECTURE_COMPONENTS, MAX_RACI_ROWS
from registry.core.rows import bounded_rows, place_row_errors
from registry.core.text import parse_count
from teams.models import Team


def _markdown_widget(name: str, rows: int) -> forms.Textarea:
    """A Markdown textarea with the live preview (htmx; the server's one sanitiser)."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "spellcheck": "true",
            "hx-post": reverse_lazy("catalogue:markdown_preview"),
            "hx-vals": f'{{"preview": "{name}"}}',
            "hx-trigger": "keyup changed delay:400ms",
            "hx-target": f"#{name}-preview",
            "hx-swap": "innerHTML",
        }
    )


class ComponentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=ComponentKind.choices)
    owner_team = forms.ModelChoiceField(
        label="Owner team", queryset=Team.objects.none(), to_field_name="slug", empty_label=None
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=_markdown_widget("description", 8),
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
        if instance is not None and not kwargs.get("initial"):
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

        self.raci = Rows(
            ComponentRaciRowForm,
            name="raci",
            maximum=MAX_RACI_ROWS,
            title="The RACI",
            row_label="assignment",
            data=self.data if self.is_bound else None,
            initial=_raci_initial(instance),
        )
        self._user = user
        self._raci_rows: list[dict[str, Any]] = []

    def clean(self):
        cleaned = super().clean()
        if self.raci.submitted and self.raci.is_valid():
            self._raci_rows = _resolve_raci(self.raci.kept_forms(), user=self._user)
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()  # cleans the RACI rows too (clean)
        return self.raci.is_valid() and valid

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = _split_tags(data.get("tags", ""))
        data["depends_on"] = list(data.get("depends_on") or [])
        if self.raci.submitted:
            data["raci"] = self._raci_rows
        return data

    def add_domain_errors(self, errors: dict[str, list[str]]) -> None:
        _route_errors(self, errors, {"raci": self.raci})


def _split_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


def _raci_initial(instance: Component | None) -> list[dict[str, Any]]:
    if instance is None or instance.pk is None:
        return []
    return [
        {
            "activity": row.activity,
            "team": row.team.slug if row.team_id else "",
            "person": row.person.get_username() if row.person_id else "",
            "role": row.role,
        }
        for row in instance.raci.select_related("team", "person")
    ]


def _resolve_raci(row_forms: list[forms.Form], *, user) -> list[dict[str, Any]]:
    """The kept rows with their team (by slug) and person (by username) looked up; an
    unknown one is an error on its row's field. The RACI rules are the service's."""
    User = get_user_model()
    slugs = {f.cleaned_data["team"].strip() for f in row_forms} - {""}
    names = {f.cleaned_data["person"].strip() for f in row_forms} - {""}
    teams = {t.slug: t for t in Team.objects.restrict(user, "view").filter(slug__in=slugs)}
    people = {
        u.get_username(): u
        for u in User.objects.filter(is_active=True, **{f"{User.USERNAME_FIELD}__in": names})
    }
    rows = []
    for number, form in enumerate(row_forms, start=1):
        slug, name = form.cleaned_data["team"].strip(), form.cleaned_data["person"].strip()
        if slug and slug not in teams:
            form.add_error("team", f"RACI row {number}: no team “{slug}” (use its slug).")
        if name and name not in people:
            form.add_error("person", f"RACI row {number}: no person “{name}” (use a username).")
        rows.append(
            {
                "activity": form.cleaned_data["activity"],
                "team": teams.get(slug),
                "person": people.get(name),
                "role": form.cleaned_data["role"],
            }
        )
    return rows


def raci_datalists(user) -> dict[str, list[str]]:
    """Usernames and team slugs the RACI inputs suggest (at most DATALIST_LIMIT each)."""
    User = get_user_model()
    return {
        "usernames": list(
            User.objects.filter(is_active=True)
            .order_by(User.USERNAME_FIELD)
            .values_list(User.USERNAME_FIELD, flat=True)[:DATALIST_LIMIT]
        ),
        "team_slugs": list(
            Team.objects.restrict(user, "view")
            .order_by("slug")
            .values_list("slug", flat=True)[:DATALIST_LIMIT]
        ),
    }


# --- repeated rows (RACI, an architecture's components) ---------------------------------------

USERNAMES_DATALIST = "catalogue-usernames"
TEAMS_DATALIST = "catalogue-team-slugs"
COMPONENTS_DATALIST = "catalogue-component-slugs"
DATALIST_LIMIT = 500


class Rows:
    """Repeated rows as a Django formset (inputs `NAME-2-field`, kept in step by
    registry.js's row script). Rows left entirely blank are dropped; the kept rows are
    numbered in the order shown, so a service error on `NAME.2.field` lands on the third
    kept row's field. A POST claiming more rows than `maximum` is refused before any form
    is built (`raci-TOTAL_FORMS=1000000`). A POST without the rows at all (no
    `NAME-TOTAL_FORMS`) leaves them as they are: `submitted` is False."""

    def __init__(
        self,
        form_class: type[forms.Form],
        *,
        name: str,
        maximum: int,
        title: str,
        row_label: str,
        data=None,
        initial: list[dict[str, Any]] | None = None,
    ) -> None:
        self.name, self.maximum, self.title, self.row_label = name, maximum, title, row_label
        self.errors: list[str] = []
        self.submitted = data is not None and f"{name}-TOTAL_FORMS" in data
        formset_class = forms.formset_factory(
            form_class,
            extra=0 if initial else 1,
            max_num=maximum,
            absolute_max=maximum,
            validate_max=True,
        )
        bound = self.submitted and self._counts_are_numbers(data)
        # Initial rows only on an unbound form: a posted row equal to its initial one would
        # otherwise count as unchanged and be dropped as if blank.
        self.formset = formset_class(
            data=self._bounded(data) if bound else None,
            initial=None if self.submitted else (initial or None),
            prefix=name,
            error_messages={"too_many_forms": self.too_many_message},
        )
        self._kept: list[int] = []

    @property
    def too_many_message(self) -> str:
        return f"{self.title} holds at most {self.maximum} rows; nothing was saved."

    def _counts_are_numbers(self, data) -> bool:
        """TOTAL_FORMS and INITIAL_FORMS in ASCII digits; `-1` would otherwise read as no
        rows at all, and silently clear them."""
        for key in ("TOTAL_FORMS", "INITIAL_FORMS"):
            if parse_count(data.get(f"{self.name}-{key}")) is None:
                self.errors.append(
                    f"{self.title}: the number of rows sent ({key}) is not a whole number; "
                    "nothing was saved. Reload the page and try again."
                )
                return False
        return True

    def _bounded(self, data):
        data, refused = bounded_rows(data, prefix=self.name, maximum=self.maximum)
        if refused:
            self.errors.append(self.too_many_message)
        return data

    @property
    def empty_form(self) -> forms.Form:
        return self.formset.form(
            prefix=f"{self.name}-__index__",
            auto_id="id_%s",
            empty_permitted=True,
            use_required_attribute=False,
        )

    @property
    def columns(self) -> list[str]:
        return [field.label for field in self.empty_form]

    def is_valid(self) -> bool:
        if not self.submitted:
            return True
        return self.formset.is_valid() and not self.errors

    def kept_forms(self) -> list[forms.Form]:
        """The forms of the rows that are not blank, in order (after is_valid)."""
        kept, self._kept = [], []
        for index, form in enumerate(self.formset.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if all(value in (None, "") for value in data.values()):
                continue
            kept.append(form)
            self._kept.append(index)
        return kept

    def add_domain_errors(self, errors: dict[str, list[str]]) -> None:
        place_row_errors(
            errors,
            prefix=self.name,
            row_forms=self.formset.forms,
            kept=self._kept,
            section_errors=self.errors,
        )

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or (self.formset.is_bound and (self.formset.non_form_errors() or any(
                form.errors for form in self.formset.forms)))
        )  # fmt: skip


def _route_errors(form: forms.Form, errors: dict[str, list[str]], rows: dict[str, Rows]) -> None:
    """A service's errors onto the form: `raci.2.role` to its row, `raci` above the rows,
    `tags.3` to the tags field, anything else at the top."""
    for key, messages in errors.items():
        base = key.split(".")[0]
        if base in rows:
            rows[base].add_domain_errors({key: messages})
            continue
        target = base if base in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ComponentRaciRowForm(forms.Form):
    activity = forms.ChoiceField(
        label="Activity", required=False, choices=[("", "—"), *RaciActivity.choices]
    )
    team = forms.CharField(
        label="Team",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"list": TEAMS_DATALIST, "autocomplete": "off", "placeholder": "team-slug"}
        ),
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=150,
        widget=forms.TextInput(
            attrs={"list": USERNAMES_DATALIST, "autocomplete": "off", "placeholder": "username"}
        ),
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "—"), *((v, f"{v} · {label}") for v, label in RaciRole.choices)],
    )


class ArchitectureComponentRowForm(forms.Form):
    component = forms.CharField(
        label="Component",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"list": COMPONENTS_DATALIST, "autocomplete": "off", "placeholder": "slug"}
        ),
    )
    role = forms.CharField(
        label="Role in this architecture",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. serves features online"}),
    )


class ArchitectureForm(forms.Form):
    """An architecture example: text, owner, tags, the diagram (replaced by a new upload,
    removed with the box ticked) and the components with their role in it."""

    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: what it is and when to reach for it.",
    )
    owner_team = forms.ModelChoiceField(
        label="Owner team", queryset=Team.objects.none(), to_field_name="slug"
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=2000,
        help_text="Separated by commas: lower-case words joined by hyphens (batch, forecasting).",
    )
    problem = forms.CharField(
        label="Problem it solves",
        required=False,
        widget=_markdown_widget("problem", 5),
        help_text="Markdown.",
    )
    body = forms.CharField(
        label="How it works",
        required=False,
        widget=_markdown_widget("body", 12),
        help_text="Markdown: the flow, the trade-offs, what to watch in production.",
    )
    diagram = forms.FileField(
        label="Diagram",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
        help_text="PNG or SVG, at most 2 MB. An SVG is cleaned: scripts, event handlers and "
        "external references are removed.",
    )

    def __init__(self, *args, user, instance: ArchitectureExample | None = None, **kwargs) -> None:
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": instance.title,
                "summary": instance.summary,
                "problem": instance.problem,
                "body": instance.body,
                "owner_team": instance.owner_team.slug,
                "tags": ", ".join(t.name for t in instance.tags.all()),
            }
        super().__init__(*args, **kwargs)
        self.instance, self._user = instance, user
        self.fields["owner_team"].queryset = Team.objects.restrict(user, "view").order_by("name")
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
        elif instance.diagram:
            self.fields["diagram"].label = "Replace the diagram"
            self.fields["remove_diagram"] = forms.BooleanField(
                label="Remove the diagram", required=False
            )
        initial_rows = []
        if instance is not None:
            initial_rows = [
                {"component": r.component.slug, "role": r.role}
                for r in instance.component_roles.all()
            ]
        self.components = Rows(
            ArchitectureComponentRowForm,
            name="components",
            maximum=MAX_ARCHITECTURE_COMPONENTS,
            title="The list of components",
            row_label="component",
            data=self.data if self.is_bound else None,
            initial=initial_rows,
        )
        self._roles: list[dict[str, Any]] = []

    def clean(self):
        cleaned = super().clean()
        if self.components.submitted and self.components.is_valid():
            self._roles = _resolve_components(self.components.kept_forms(), user=self._user)
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.components.is_valid() and valid

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = _split_tags(data.get("tags", ""))
        upload, remove = data.pop("diagram", None), data.pop("remove_diagram", False)
        if upload:
            data["diagram"] = upload
        elif remove:
            data["diagram"] = None
        if self.components.submitted:
            data["components"] = self._roles
        return data

    def add_domain_errors(self, errors: dict[str, list[str]]) -> None:
        _route_errors(self, errors, {"components": self.components})


def _resolve_components(row_forms: list[forms.Form], *, user) -> list[dict[str, Any]]:
    """The kept rows with their component looked up by slug among those the user sees;
    an unknown slug, a component listed twice, a row without role or without component
    are errors on the row's field."""
    slugs = {f.cleaned_data["component"].strip() for f in row_forms} - {""}
    found = {
        c.slug: c
        for c in Component.objects.restrict(user, "view")
        .filter(slug__in=slugs)
        .only("pk", "slug", "name")
    }
    rows, seen = [], {}
    for number, form in enumerate(row_forms, start=1):
        slug, role = form.cleaned_data["component"].strip(), form.cleaned_data["role"].strip()
        component = found.get(slug)
        if not slug:
            form.add_error("component", f"Row {number}: name a component (its slug).")
        elif component is None:
            form.add_error(
                "component", f"Row {number}: no component “{slug}” in the catalogue (use its slug)."
            )
        elif component.pk in seen:
            form.add_error(
                "component",
                f"Row {number}: “{component.name}” is already listed in row {seen[component.pk]}; "
                "list each component once.",
            )
        else:
            seen[component.pk] = number
        if slug and not role:
            form.add_error("role", f"Row {number}: say its role in the architecture.")
        rows.append({"component": component, "role": role})
    return rows
