"""Charts as inline SVG for the HTML report: no script, no font or file from elsewhere.

Each draws the items of a blocks.Chart, with the values as its table spells them
(so a chart and its table show the same figures in the same language).
"""

import math
from html import escape

from megler.reports.blocks import Chart

PALETTE = ("#2f6f9f", "#e07b39", "#3f9f5f", "#c23b4b", "#8c6bb1", "#b8912e", "#4fa3a8", "#777777")
WIDTH = 640
ROW = 26  # the height of one bar, with its gap


def draw(chart: Chart) -> str:
    """The chart as an <svg> element; "" for a pie of nothing (as in Mermaid)."""
    shown = [row[-1] for row in chart.table.rows]  # values as the table writes them
    body, height = {"pie": _pie, "bar": _bars, "line": _line}[chart.kind](chart, shown)
    if not body:
        return ""
    title = escape(chart.title)
    return (f'<svg role="img" aria-label="{title}" '
            f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
            f'font-family="sans-serif" font-size="13"><title>{title}</title>{body}</svg>')


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'


def _bars(chart: Chart, shown: list[str]) -> tuple[str, int]:
    """Horizontal bars: long labels (statuses, kinds) read better beside a bar than under it."""
    top = max((v for _, v in chart.items), default=0) or 1
    left, span = 220, WIDTH - 220 - 80
    parts = []
    for i, ((label, value), spelt) in enumerate(zip(chart.items, shown, strict=True)):
        y, length = i * ROW + 4, span * value / top
        parts += [_text(left - 8, y + 15, label, "end"),
                  f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{ROW - 8}" fill="{PALETTE[0]}"/>',
                  _text(left + length + 6, y + 15, spelt)]
    return "".join(parts), len(chart.items) * ROW + 8


def _line(chart: Chart, shown: list[str]) -> tuple[str, int]:
    height, left, bottom, top_y = 220, 50, 180, 20
    values = [v for _, v in chart.items]
    labels = chart.axis or [label for label, _ in chart.items]
    top = max(values, default=0) or 1
    step = (WIDTH - left - 30) / max(len(values) - 1, 1)
    points = [(left + i * step, bottom - (bottom - top_y) * v / top) for i, v in enumerate(values)]
    # Each point carries its value as the table spells it, so the axis needs no scale.
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#999"/>',
             '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
                 PALETTE[0], " ".join(f"{x:.1f},{y:.1f}" for x, y in points))]
    for (x, y), label, spelt in zip(points, labels, shown, strict=True):
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{PALETTE[0]}"/>',
                  _text(x, y - 8, spelt, "middle"), _text(x, bottom + 18, label, "middle")]
    return "".join(parts), height


def _pie(chart: Chart, shown: list[str]) -> tuple[str, int]:
    """Slices of the non-zero items, and a legend of them with their values."""
    slices = [(label, value, spelt) for (label, value), spelt in zip(chart.items, shown, strict=True)
              if value > 0]
    total = sum(value for _, value, _ in slices)
    if not total:
        return "", 0
    cx = cy = r = 100
    parts, start = [], -math.pi / 2
    for i, (label, value, spelt) in enumerate(slices):
        colour, end = PALETTE[i % len(PALETTE)], start + 2 * math.pi * value / total
        parts.append(_slice(cx + 10, cy + 10, r, start, end, colour))
        y = 24 + i * ROW
        parts += [f'<rect x="240" y="{y - 12}" width="14" height="14" fill="{colour}"/>',
                  _text(262, y, f"{label}: {spelt}")]
        start = end
    return "".join(parts), max(2 * r + 20, len(slices) * ROW + 20)


def _slice(cx: float, cy: float, r: float, start: float, end: float, colour: str) -> str:
    if end - start >= 2 * math.pi - 1e-9:  # an arc cannot go all the way round
        return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>'
    x1, y1 = cx + r * math.cos(start), cy + r * math.sin(start)
    x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
    large = 1 if end - start > math.pi else 0
    return (f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
            f'fill="{colour}"/>')
