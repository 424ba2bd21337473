"""Markdown tables and Mermaid charts, each chart followed by a table of its figures.

GitHub, GitLab, Obsidian and most Markdown viewers draw ```mermaid blocks; a
document that ends up in Word does not, so nothing may depend on the chart: the
table beside it carries the same figures, from the same list.
"""

import re
from collections.abc import Sequence

from megler.reports.formats import number

Items = Sequence[tuple[str, int | float]]


def cell(value: object) -> str:
    """Table cells are one line, and a `|` in a note must not split the column.
    (Not str.split(): it would also take the non-breaking spaces in `1 250 000 kr`.)"""
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", str(value).strip()).replace("|", "\\|")


def table(header: list[str], rows: Sequence[Sequence[object]], *, numeric: int = 1) -> str:
    """A Markdown table; the last `numeric` columns are right-aligned."""
    align = ["---"] * (len(header) - numeric) + ["--:"] * numeric
    lines = [header, align] + [[cell(v) for v in row] for row in rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _figures_table(items: Items, header: tuple[str, str], lang: str) -> str:
    return table(list(header), [[label, number(value, lang)] for label, value in items])


def pie(title: str, items: Items, header: tuple[str, str], lang: str) -> str:
    """A pie of the non-zero items (Mermaid refuses empty slices); no pie when all are zero."""
    slices = [f"    {_quoted(label)} : {value}" for label, value in items if value > 0]
    chart = "\n".join(["```mermaid", f"pie title {title}", *slices, "```", "", ""]) if slices else ""
    return chart + _figures_table(items, header, lang)


def bars(title: str, items: Items, header: tuple[str, str], lang: str) -> str:
    return _xychart(title, "bar", items, header, lang)


def line(title: str, items: Items, header: tuple[str, str], lang: str, *,
         axis: list[str] | None = None) -> str:
    """A line over time; `axis` gives shorter x labels than the table's (e.g. month names)."""
    return _xychart(title, "line", items, header, lang, axis=axis)


def _xychart(title: str, mark: str, items: Items, header: tuple[str, str], lang: str, *,
             axis: list[str] | None = None) -> str:
    labels = axis or [label for label, _ in items]
    values = [value for _, value in items]
    top = max(values, default=0) or 1  # an all-zero axis would have no height
    chart = "\n".join([
        "```mermaid", "xychart-beta", f"    title {_quoted(title)}",
        f"    x-axis [{', '.join(_quoted(x) for x in labels)}]",
        f"    y-axis {_quoted(header[1])} 0 --> {top}",
        f"    {mark} [{', '.join(str(v) for v in values)}]", "```", "", "",
    ])
    return chart + _figures_table(items, header, lang)
