"""`{% panel_slot "designdoc-actions" doc %}`: the panels registered for a slot of a page
(registry.core.panels), so that an app adds a button or box to another app's page without
either importing the other. Each panel's template gets `panel` (its context) and the
request (CSRF token included)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from registry.core import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_slot(context, slot: str, obj=None) -> str:
    request = context.get("request")
    if request is None:
        return ""
    rendered = panels.panels_for(request, slot, obj)
    return mark_safe(  # noqa: S308  (each piece is a template rendered with autoescaping)
        "".join(
            render_to_string(item.template, {"panel": item.context, "obj": obj}, request=request)
            for item in rendered
        )
    )
