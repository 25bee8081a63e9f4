"""Forms of the account pages."""

from __future__ import annotations

from django import forms

from registry.core.models import TOKEN_NAME_MAX_LENGTH


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=TOKEN_NAME_MAX_LENGTH,
        strip=False,
        help_text="What the token is for, e.g. the script or pipeline that will use it.",
    )
