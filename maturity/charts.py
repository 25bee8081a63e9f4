"""Charts drawn on the server as SVG strings (no JavaScript, no inline style: presentation
attributes only), so that pages and the PDF show the same pictures. Every label is escaped."""

from __future__ import annotations

from django.utils.html import escape

BAR_W, ROW_H, LABEL_W = 360, 24, 200
PALETTE = ("#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850")


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bars(rows: list[tuple[str, float]], *, maximum: float, title: str) -> str:
    """Horizontal bars, one per (label, value), with the value written beside each."""
    maximum = maximum or 1.0
    parts = []
    for n, (label, value) in enumerate(rows):
        y = n * ROW_H
        width = max(0.0, min(1.0, value / maximum)) * BAR_W
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" font-family="sans-serif">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{width:.1f}" height="{ROW_H - 8}" '
            f'fill="#4575b4"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 16}" font-size="12" '
            f'font-family="sans-serif">{value:g}</text>'
        )
    height = max(ROW_H, len(rows) * ROW_H)
    return _svg(LABEL_W + BAR_W + 60, height, title, "".join(parts))


def heat_map(rows: list[tuple[str, float, int]], *, maximum: float) -> str:
    """One cell per team coloured by its mean score (value and count written in it)."""
    parts = []
    for n, (team, mean, count) in enumerate(rows):
        y = n * ROW_H
        shade = PALETTE[min(len(PALETTE) - 1, int(mean / (maximum or 1) * (len(PALETTE) - 1)))]
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" font-family="sans-serif">{escape(team)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 2}" width="160" height="{ROW_H - 4}" fill="{shade}"/>'
            f'<text x="{LABEL_W + 6}" y="{y + 16}" font-size="12" font-family="sans-serif">'
            f"mean {mean:.2f} · {count} subject{'s' if count != 1 else ''}</text>"
        )
    height = max(ROW_H, len(rows) * ROW_H)
    return _svg(LABEL_W + 170, height, "Maturity by team (mean ML Test Score)", "".join(parts))


def line(points: list[tuple[str, float]], *, maximum: float, title: str) -> str:
    """A line over time, one point per (label, value), labels under the axis."""
    width, height, pad = 560, 180, 30
    if not points:
        return _svg(width, 40, title, '<text x="0" y="20" font-size="12">No data yet</text>')
    step = (width - 2 * pad) / max(1, len(points) - 1)
    coords = [
        (pad + i * step, height - pad - (v / (maximum or 1)) * (height - 2 * pad))
        for i, (_, v) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [f'<polyline points="{path}" fill="none" stroke="#4575b4" stroke-width="2"/>']
    for (label, value), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#4575b4"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" '
            f'font-family="sans-serif">{escape(label)}</text>'
            f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="10" text-anchor="middle" '
            f'font-family="sans-serif">{value:.2f}</text>'
        )
    return _svg(width, height, title, "".join(parts))
