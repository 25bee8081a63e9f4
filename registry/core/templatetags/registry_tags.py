"""Template helpers shared by every app."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil

from registry.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """The product's one Markdown pipeline, for templates."""
    return render_markdown(text or "")


@register.simple_tag
def relative_time(value):
    """'3 days ago' (or 'in 3 days'), with the exact UTC time on hover (and for screen
    readers)."""
    if not value:
        return ""
    exact = value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    now = timezone.now()
    elapsed = now - value
    if value - now >= datetime.timedelta(minutes=1):  # a deadline, e.g. when a token expires
        label = f"in {timeuntil(value, now).split(',')[0]}"
    elif elapsed < datetime.timedelta(minutes=1):
        label = "just now"
    else:
        label = f"{timesince(value).split(',')[0]} ago"
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, label)


@register.simple_tag(takes_context=True)
def query_toggle(context, key: str, value: str, selected: bool) -> str:
    """The current query string with facet `key` set to `value`, or removed when that value
    is the selected one; back to the first page either way."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if selected:
        query.pop(key, None)
    else:
        query[key] = value
    return query.urlencode()


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


@register.simple_tag
def facts_of(page_facts, obj) -> list[tuple[str, object]]:
    """The facts other apps registered for `obj` (registry.core.facts), computed once per
    list page (`page_facts`), as (template of the fact's key, value): `facts/<key>.html`."""
    row = (page_facts or {}).get(getattr(obj, "pk", None), {})
    return [(f"facts/{key}.html", value) for key, value in row.items()]
