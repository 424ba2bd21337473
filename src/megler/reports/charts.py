"""Charts as Mermaid, for the Markdown report; reports.svg draws the same for the HTML page.

GitHub, GitLab, Obsidian and most Markdown viewers draw ```mermaid blocks; a
document that ends up in Word does not, so nothing may depend on the chart: the
table beside it (blocks.Chart.table) carries the same figures, from the same list.
"""

from megler.reports.blocks import Chart


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def mermaid(chart: Chart) -> str:
    """The chart as a fenced ```mermaid block; "" for a pie of nothing."""
    lines = _pie(chart) if chart.kind == "pie" else _xychart(chart)
    return "\n".join(["```mermaid", *lines, "```"]) if lines else ""


def _pie(chart: Chart) -> list[str]:
    """The non-zero items (Mermaid refuses empty slices); no pie when all are zero."""
    slices = [f"    {_quoted(label)} : {value}" for label, value in chart.items if value > 0]
    return [f"pie title {chart.title}", *slices] if slices else []


def _xychart(chart: Chart) -> list[str]:
    labels = chart.axis or [label for label, _ in chart.items]
    values = [value for _, value in chart.items]
    top = max(values, default=0) or 1  # an all-zero axis would have no height
    return ["xychart-beta", f"    title {_quoted(chart.title)}",
            f"    x-axis [{', '.join(_quoted(x) for x in labels)}]",
            f"    y-axis {_quoted(chart.y_label)} 0 --> {top}",
            f"    {chart.kind} [{', '.join(str(v) for v in values)}]"]
