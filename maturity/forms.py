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
