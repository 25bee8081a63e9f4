"""Forms of the design-doc pages. They parse what the browser sent into the shapes the
services take; the services validate the document (one validator for pages, API and
import) and their errors are put back next to the field or row at fault."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy

from designdocs.choices import RaciRole
from designdocs.content import REVISION_MESSAGE_MAX, validate_revision_message
from designdocs.markdown_io import MAX_FILE_BYTES
from designdocs.presenters import SCALE_LABELS
from designdocs.sections import MAX_ROWS_PER_SECTION, Section
from registry.core.errors import DomainError
from registry.core.rows import bounded_rows, place_row_errors
from teams.models import Team

#: ids of the <datalist> elements the editor offers for person and team inputs.
USERNAMES_DATALIST = "registry-usernames"
TEAMS_DATALIST = "registry-team-slugs"
#: The lifecycle stage (a transition) and the risk tier (the EU AI Act questionnaire) are
#: shown on the document page, not edited here.
DETAIL_FIELDS = ("title", "owner_team", "co_authors")


class SaveMetaMixin(forms.Form):
    """The version an edit started from, and the optional revision message."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(
        label="Revision message",
        required=False,
        max_length=REVISION_MESSAGE_MAX,
        help_text="What changed and why, shown in the history.",
    )

    def clean_message(self) -> str:
        # The same check as the API's (designdocs.content), so both say the same.
        try:
            return validate_revision_message(self.cleaned_data["message"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


class DesignDocCreateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    owner_team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        to_field_name="slug",
        empty_label=None,
        help_text="The team that owns the solution. You can change it later.",
    )
    # Sent by "Create another anyway" only, after the page showed the doc with this title.
    allow_duplicate_title = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, teams: list[Team], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_team"]
        field.queryset = Team.objects.filter(pk__in=[t.pk for t in teams]).order_by("name")
        if len(teams) != 1:
            field.empty_label = "Choose a team"


class DetailsForm(SaveMetaMixin):
    title = forms.CharField(label="Title", max_length=200)
    owner_team = forms.ChoiceField(label="Owner team")
    co_authors = forms.CharField(
        label="Co-authors",
        required=False,
        help_text="Usernames, separated by commas. Co-authors may edit the document.",
    )

    field_order = ["title", "owner_team", "co_authors", "message", "version"]

    def __init__(
        self, *args, teams: list[tuple[str, str]], stored: dict[str, Any] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_team"].choices = teams

    @classmethod
    def initial_from(cls, content: dict[str, Any], version: int) -> dict[str, Any]:
        initial = {key: content[key] for key in DETAIL_FIELDS}
        initial["co_authors"] = ", ".join(content["co_authors"])
        initial["version"] = version
        return initial

    def changes(self) -> dict[str, Any]:
        data = {key: self.cleaned_data[key] for key in DETAIL_FIELDS}
        data["co_authors"] = [
            name.strip() for name in data["co_authors"].replace(";", ",").split(",") if name.strip()
        ]
        return data

    def add_domain_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class NarrativeForm(SaveMetaMixin):
    text = forms.CharField(
        label="Markdown",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Headings, lists, tables, links and code blocks. HTML is shown as text.",
    )

    field_order = ["text", "message", "version"]

    def __init__(self, *args, links=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The catalogue entries the section names (the architecture section), by slug.
        for link in links:
            self.fields[link.name] = forms.CharField(
                label=link.label,
                required=False,
                max_length=link.max_items * 101,
                help_text="Catalogue slugs, separated by commas.",
            )
        # Live preview (htmx): the text goes through the one sanitiser on the server.
        self.fields["text"].widget.attrs.update(
            {
                "hx-post": reverse_lazy("designdocs:markdown_preview"),
                "hx-trigger": "keyup changed delay:400ms",
                "hx-target": "#markdown-preview",
                "hx-swap": "innerHTML",
                "hx-indicator": "#preview-indicator",
                "spellcheck": "true",
            }
        )


def _scale_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(n), f"{n} · {label}") for n, label in SCALE_LABELS.items()]


class _OpenChoiceField(forms.TypedChoiceField):
    """A select of the choices that lets any submitted value through to the content
    validator. A value outside the list (a tampered form) is then reported there, naming
    row and field, together with every other row's errors; refused here, it would stop
    the save before the validator ran and hide them all until it was fixed."""

    def valid_value(self, value) -> bool:
        return True


def _scale_value(value: str) -> int | str:
    # Digits become the number (the validator checks the range); anything else stays text,
    # which the validator refuses by name.
    return int(value) if value.isascii() and value.isdigit() else value


def _row_field(section: Section, spec) -> forms.Field:
    common = {"label": spec.label, "required": False}
    if spec.kind == "int":
        return _OpenChoiceField(
            choices=_scale_choices(), coerce=_scale_value, empty_value=None, **common
        )
    if spec.kind == "choice":
        labels = spec.choices.choices
        if spec.choices is RaciRole:
            labels = [(value, f"{value} · {label}") for value, label in labels]
        return _OpenChoiceField(choices=[("", "—"), *labels], empty_value="", **common)
    attrs: dict[str, str] = {}
    if spec.kind == "user":
        attrs = {"list": USERNAMES_DATALIST, "autocomplete": "off", "placeholder": "username"}
    elif spec.kind == "team":
        attrs = {"list": TEAMS_DATALIST, "autocomplete": "off", "placeholder": "team-slug"}
    # The browser keeps to the maximum length; the validator checks it (naming the row), not
    # the form, for the same reason as above.
    attrs["maxlength"] = str(spec.max_length)
    widget = (
        forms.Textarea(attrs={"rows": 2, **attrs})
        if spec.kind == "longtext"
        else forms.TextInput(attrs)
    )
    return forms.CharField(widget=widget, **common)


def row_form_class(section: Section) -> type[forms.Form]:
    """One row of a structured section as a form, its fields in the section's order.
    Every field is optional here: the domain validator decides (and names row and field);
    `section_required` only marks the label."""
    fields = {}
    for spec in section.row_fields:
        fields[spec.name] = _row_field(section, spec)
        fields[spec.name].section_required = spec.required
    return type(f"{section.key.title().replace('_', '')}RowForm", (forms.Form,), fields)


class RowsEditor:
    """A structured section as a Django formset (prefix = the section key, so that inputs are
    named `risks-2-owner` and the page's row script keeps `risks-TOTAL_FORMS` right).

    Rows left entirely blank are ignored; the rows kept are numbered in the order shown,
    and a domain error on `risks.2.owner` goes to the third kept row's owner field."""

    def __init__(self, section: Section, data=None, initial: list[dict] | None = None) -> None:
        self.section = section
        # absolute_max = max_num: a POST claiming more rows (`risks-TOTAL_FORMS=1000000`)
        # builds at most this many forms and is refused with the message below; without
        # it Django builds max_num + 1000 forms and renders them all.
        formset_class = formset_factory(
            row_form_class(section),
            extra=0,
            max_num=MAX_ROWS_PER_SECTION,
            absolute_max=MAX_ROWS_PER_SECTION,
            validate_max=True,
        )
        initial = [self._initial_row(row) for row in initial or []]
        self.section_errors: list[str] = []
        data = self._bounded(data)
        self.formset = formset_class(
            data=data,
            initial=initial or None,
            prefix=section.key,
            error_messages={"too_many_forms": self.too_many_message},
        )
        self._kept: list[int] = []

    @property
    def too_many_message(self) -> str:
        return (
            f"{self.section.title} may hold at most {MAX_ROWS_PER_SECTION} rows; nothing was saved."
        )

    def _bounded(self, data):
        """`data` whose row count (TOTAL_FORMS) is at most the rows it really carries and
        MAX_ROWS_PER_SECTION; a POST claiming more is refused before any form is built
        (`risks-TOTAL_FORMS=1000000` would otherwise build and render 200 empty rows)."""
        if data is None:
            return None
        data, refused = bounded_rows(data, prefix=self.section.key, maximum=MAX_ROWS_PER_SECTION)
        if refused:
            self.section_errors.append(self.too_many_message)
        return data

    def _initial_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {k: ("" if v is None else str(v)) for k, v in row.items()}

    @property
    def empty_form(self) -> forms.Form:
        """The row the page's script copies when a row is added (`__index__` placeholder)."""
        form_class = self.formset.form
        return form_class(
            prefix=f"{self.section.key}-__index__",
            auto_id="id_%s",
            empty_permitted=True,
            use_required_attribute=False,
        )

    def is_valid(self) -> bool:
        return self.formset.is_valid() and not self.section_errors

    def rows(self) -> list[dict[str, Any]]:
        rows, self._kept = [], []
        for index, form in enumerate(self.formset.forms):
            data = form.cleaned_data
            if all(data.get(name) in (None, "") for name in data):
                continue
            row = {}
            for spec in self.section.row_fields:
                value = data.get(spec.name)
                row[spec.name] = value if spec.kind == "int" else (value or "")
            rows.append(row)
            self._kept.append(index)
        return rows

    def add_domain_errors(self, errors: dict[str, list[str]]) -> None:
        place_row_errors(
            errors,
            prefix=self.section.key,
            row_forms=self.formset.forms,
            kept=self._kept,
            section_errors=self.section_errors,
        )

    @property
    def error_count(self) -> int:
        return sum(len(f.errors) for f in self.formset.forms) + len(self.section_errors)


class SectionEditor:
    """The form of one section: its content (Markdown text or rows), version and message."""

    def __init__(
        self,
        section: Section,
        *,
        data=None,
        value: Any = None,
        version: int | None = None,
        links: dict[str, list[str]] | None = None,
    ) -> None:
        self.section = section
        self.bound = data is not None
        initial = {"version": version}
        if section.is_rows:
            self.meta = SaveMetaMixin(data=data, initial=initial)
            self.rows = RowsEditor(section, data=data, initial=value if not self.bound else None)
            self.text_form = None
        else:
            initial["text"] = value or ""
            for link in section.links:
                initial[link.name] = ", ".join((links or {}).get(link.name, []))
            self.meta = NarrativeForm(data=data, initial=initial, links=section.links)
            self.rows = None
            self.text_form = self.meta

    def is_valid(self) -> bool:
        meta_ok = self.meta.is_valid()
        return (self.rows.is_valid() if self.rows else True) and meta_ok

    @property
    def version(self) -> int | None:
        return self.meta.cleaned_data.get("version")

    @property
    def message(self) -> str:
        return self.meta.cleaned_data.get("message", "")

    def set_version(self, version: int) -> None:
        """After a conflict: the next submit is based on the version now stored."""
        data = self.meta.data.copy()
        data["version"] = str(version)
        self.meta.data = data

    def changes(self) -> dict[str, Any]:
        if self.rows:
            return {self.section.key: self.rows.rows()}
        changes = {self.section.key: self.meta.cleaned_data["text"]}
        for link in self.section.links:
            raw = self.meta.cleaned_data.get(link.name, "")
            changes[link.name] = [v.strip() for v in raw.replace(";", ",").split(",") if v.strip()]
        return changes

    @property
    def link_fields(self) -> list:
        return [self.meta[link.name] for link in self.section.links] if not self.rows else []

    def add_domain_errors(self, errors: dict[str, list[str]], fallback: str = "") -> None:
        if self.rows:
            self.rows.add_domain_errors(errors or {"": [fallback]})
            return
        for key, messages in (errors or {"": [fallback]}).items():
            for message in messages:
                link_keys = {link.name for link in self.section.links}
                field = "text" if key == self.section.key else key if key in link_keys else None
                self.meta.add_error(field, message)

    @property
    def has_errors(self) -> bool:
        if self.rows and (self.rows.error_count or self.rows.formset.non_form_errors()):
            return True
        return bool(self.meta.errors)


class MarkdownImportForm(forms.Form):
    file = forms.FileField(
        label="Markdown file",
        help_text="A .md file exported from this registry (YAML front matter, then the sections).",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,text/markdown,text/plain"}),
    )
    allow_duplicate_title = forms.BooleanField(
        label="Import it as another doc with the same title",
        required=False,
        help_text="Only when a doc with the file's title exists and you want a second one.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".md", ".markdown", ".txt")):
            raise forms.ValidationError("Choose a Markdown file (.md).")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; at most {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        # Decoding and every other check belong to the import service (one for all paths).
        return upload.read()


class DeleteForm(forms.Form):
    """Only the confirmation: a POST with the CSRF token."""


class ForeignImportForm(forms.Form):
    """The confirmation of an import from another template: the file's text travels in a
    hidden field (multipart, so that 2 MB stay 2 MB), with the title and team chosen.
    Nothing is created before this form is sent."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Taken from the file's first heading or its name; change it if you like.",
    )
    owner_team = forms.ChoiceField(label="Owner team")
    markdown = forms.CharField(
        strip=False, widget=forms.Textarea(attrs={"hidden": True, "aria-hidden": "true"})
    )
    file_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    allow_duplicate_title = forms.BooleanField(
        label="Create it as another doc with the same title", required=False
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_team"].choices = [("", "Choose a team")] + [
            (team.slug, team.name) for team in teams
        ]

    def clean_markdown(self) -> str:
        text = self.cleaned_data["markdown"]
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise forms.ValidationError(f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        return text
