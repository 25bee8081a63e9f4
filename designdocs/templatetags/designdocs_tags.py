"""Template helpers of the design-doc pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def short_label(label: str) -> str:
    """A choice label without its parenthesised gloss, for badges:
    "Limited risk (transparency obligations)" -> "Limited risk"."""
    return str(label).split(" (", 1)[0]
