"""The EU AI Act questionnaire as a page form: it parses what the browser sent into the
answers shape of maturity.classification (the service validates them again)."""

from __future__ import annotations

from django import forms

from maturity.classification import ANNEX_III_POINTS, ART5_PRACTICES, ART6_3_CONDITIONS


class ClassificationForm(forms.Form):
    art5_practices = forms.MultipleChoiceField(
        label="Does it fall under a prohibited practice of Art. 5(1)?",
        choices=[(k, f"5(1)({k}) {v}") for k, v in ART5_PRACTICES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every practice that applies; none for most systems.",
    )
    annex_i_safety_component = forms.BooleanField(
        label="Is it a safety component of a product (or a product) under Annex I?",
        required=False,
    )
    annex_iii_point = forms.ChoiceField(
        label="Which Annex III point, if any?",
        choices=[("", "None"), *ANNEX_III_POINTS.items()],
        required=False,
    )
    profiles_natural_persons = forms.BooleanField(
        label="Does it perform profiling of natural persons?", required=False
    )
    art6_3_condition = forms.ChoiceField(
        label="Which Art. 6(3) condition applies?",
        choices=list(ART6_3_CONDITIONS.items()),
        initial="none",
    )
    art50_transparency = forms.BooleanField(
        label="Does Art. 50 (transparency: people interact with it, it makes synthetic "
        "content or deepfakes) apply?",
        required=False,
    )

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data["art5_practices"] = list(data["art5_practices"])
        return data


ANSWER_LABELS = {
    "no": "No",
    "manual": "Manual, results documented",
    "automated": "Automated",
    "yes": "Yes",
    "not_applicable": "Not applicable",
}
MAX_LINKS_FIELD = 20 * 2001


class AssessmentForm(forms.Form):
    """One answer per item of `model` (its rule's answers), with evidence: links (one a
    line) and a comment. The service (maturity.services.assessment_create) validates again;
    `answers()` is its shape."""

    notes = forms.CharField(
        label="Notes", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, model, items, **kwargs):
        super().__init__(*args, **kwargs)
        from maturity.scoring import ANSWERS_BY_RULE

        self.model = model
        self.items = list(items)
        choices = [(v, ANSWER_LABELS.get(v, v)) for v in ANSWERS_BY_RULE[model.rule]]
        for item in self.items:
            self.fields[self.value_name(item.code)] = forms.ChoiceField(
                label=f"{item.code} {item.title}", choices=choices, initial="no"
            )
            self.fields[self.links_name(item.code)] = forms.CharField(
                label="Evidence links", required=False, max_length=MAX_LINKS_FIELD,
                widget=forms.Textarea(attrs={"rows": 1}),
                help_text="One link a line: https://… or a path of this registry.",
            )  # fmt: skip
            self.fields[self.comment_name(item.code)] = forms.CharField(
                label="Comment", required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )  # fmt: skip

    @staticmethod
    def value_name(code: str) -> str:
        return f"{code}__value"

    @staticmethod
    def links_name(code: str) -> str:
        return f"{code}__links"

    @staticmethod
    def comment_name(code: str) -> str:
        return f"{code}__comment"

    def rows(self):
        """(item, its answer field, its links field, its comment field), in item order."""
        return [
            (item, self[self.value_name(item.code)], self[self.links_name(item.code)],
             self[self.comment_name(item.code)])
            for item in self.items
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        for item in self.items:
            name = self.links_name(item.code)
            links = [line.strip() for line in (data.get(name) or "").splitlines() if line.strip()]
            bad = [link for link in links if not link.startswith(("https://", "http://", "/"))]
            if bad:
                self.add_error(
                    name, f"“{bad[0][:80]}” is not a link (http://, https:// or a path)."
                )
            data[name] = links
        return data

    def answers(self) -> dict:
        return {
            item.code: {
                "value": self.cleaned_data[self.value_name(item.code)],
                "evidence_links": self.cleaned_data[self.links_name(item.code)],
                "comment": self.cleaned_data[self.comment_name(item.code)],
            }
            for item in self.items
        }

    def field_of_error(self, error_field: str | None, message: str) -> str | None:
        """The form field a service error (`answers.<code>`, `notes`) belongs beside."""
        if error_field == "notes":
            return "notes"
        if error_field and error_field.startswith("answers."):
            code = error_field.removeprefix("answers.")
            if "link" in message:
                return self.links_name(code)
            if "comment" in message:
                return self.comment_name(code)
            return self.value_name(code)
        return None
