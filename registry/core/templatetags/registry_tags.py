"""Template helpers shared by every app."""

from __future__ import annotations

from django import template
import datetime

from django.utils.timesince import timesince
from django.utils.html import format_html

from registry.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """The product's one Markdown pipeline, for templates."""
    return render_markdown(text or "")


@register.simple_tag
def relative_time(value):
    """'3 days ago', with the exact UTC time on hover (and for screen readers)."""
    if not value:
        return ""
    exact = value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return format_html(
        '<time datetime="{}" title="{}">{} ago</time>',
        value.isoformat(),
        exact,
        timesince(value).split(",")[0],
    )


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for sort and page links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
