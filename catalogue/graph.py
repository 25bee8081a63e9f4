"""A component's neighbourhood (what it depends on, what depends on it) as a small SVG
drawn on the server: three columns, no script, no external reference."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NODE_W, NODE_H, GAP, COL_GAP = 180, 34, 12, 90
MAX_SHOWN = 12


@dataclass(frozen=True)
class Node:
    label: str
    url: str
    x: int
    y: int


def _column(items, x: int, height: int) -> list[Node]:
    shown = items[:MAX_SHOWN]
    total = len(shown) * NODE_H + max(len(shown) - 1, 0) * GAP
    top = (height - total) // 2
    return [
        Node(c.name, c.get_absolute_url(), x, top + i * (NODE_H + GAP)) for i, c in enumerate(shown)
    ]


def _box(node: Node, css: str) -> str:
    label = node.label if len(node.label) <= 24 else node.label[:23] + "…"
    return (
        f'<a href="{escape(node.url)}"><g class="graph__node {css}">'
        f'<rect x="{node.x}" y="{node.y}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        f'<text x="{node.x + NODE_W // 2}" y="{node.y + NODE_H // 2 + 5}" text-anchor="middle">'
        f"{escape(label)}</text><title>{escape(node.label)}</title></g></a>"
    )


def dependency_graph(component) -> SafeString:
    """Dependants on the left, the component in the middle, its dependencies on the right."""
    left = list(component.dependants.all())
    right = list(component.depends_on.all())
    rows = max(len(left[:MAX_SHOWN]), len(right[:MAX_SHOWN]), 1)
    height = rows * NODE_H + (rows - 1) * GAP + 2 * GAP
    width = 3 * NODE_W + 2 * COL_GAP
    centre = Node(
        component.name, component.get_absolute_url(), NODE_W + COL_GAP, (height - NODE_H) // 2
    )
    parts = []
    for node in _column(left, 0, height):
        parts.append(
            f'<line class="graph__edge" x1="{node.x + NODE_W}" y1="{node.y + NODE_H // 2}" '
            f'x2="{centre.x}" y2="{centre.y + NODE_H // 2}" marker-end="url(#arrow)"/>'
        )
    for node in _column(right, 2 * (NODE_W + COL_GAP), height):
        parts.append(
            f'<line class="graph__edge" x1="{centre.x + NODE_W}" y1="{centre.y + NODE_H // 2}" '
            f'x2="{node.x}" y2="{node.y + NODE_H // 2}" marker-end="url(#arrow)"/>'
        )
    parts += [_box(n, "graph__node--dependant") for n in _column(left, 0, height)]
    parts += [
        _box(n, "graph__node--dependency") for n in _column(right, 2 * (NODE_W + COL_GAP), height)
    ]
    parts.append(_box(centre, "graph__node--self"))
    more = []
    if len(left) > MAX_SHOWN:
        more.append(f"{len(left) - MAX_SHOWN} more dependants")
    if len(right) > MAX_SHOWN:
        more.append(f"{len(right) - MAX_SHOWN} more dependencies")
    title = f"{component.name}: {len(left)} dependants, {len(right)} dependencies"
    svg = (
        f'<svg class="graph" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )
    if more:
        svg += f'<p class="muted small">{escape(", ".join(more))} are listed below.</p>'
    return mark_safe(svg)  # noqa: S308  (every label is escaped above)
