"""Each Mermaid chart draws exactly the figures of the table beside it."""

import re

import pytest

from megler import store
from megler.reports import parse_period, report
from megler.reports.charts import bars, cell, line, pie
from megler.reports.i18n import LANGS
from tests.reports.conftest import Q3_END_NEXT_DAY

BLOCK = re.compile(r"```mermaid\n(.*?)\n```\n\n((?:\|[^\n]*\|\n?)+)", re.S)


def charts_with_tables(markdown: str, lang: str) -> list[tuple[str, list, list]]:
    """(kind, chart figures, table figures) for every chart in a report."""
    found = []
    for chart, grid in BLOCK.findall(markdown):
        rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in grid.strip().splitlines()[2:]]
        table = [(label, _number(value, lang)) for label, value in rows]
        found.append((chart.split()[0], _chart_figures(chart), table))
    return found


def _number(text: str, lang: str) -> float:
    """`1,250.5` (en) or `1 250,5` (nb, sv) back to a number."""
    text = text.replace(",", "") if lang == "en" else text.replace("\u00a0", "").replace(",", ".")
    return float(text)


def _chart_figures(chart: str) -> list[tuple[str, float]]:
    if chart.startswith("pie"):
        return [(label, float(value)) for label, value in re.findall(r'"(.*)" : (\S+)', chart)]
    labels = re.findall(r'"([^"]*)"', re.search(r"x-axis \[(.*)\]", chart).group(1))
    values = re.search(r"(?:bar|line) \[(.*)\]", chart).group(1).split(", ")
    return list(zip(labels, map(float, values), strict=True))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("period", ["2026Q3", "2026", "2025Q1"])
def test_each_chart_equals_its_table(scenario_db, lang, period):
    with store.session(scenario_db) as s:
        made = report(s, parse_period(period, Q3_END_NEXT_DAY), lang=lang)
    found = charts_with_tables(made, lang)
    assert {kind for kind, _, _ in found} >= {"xychart-beta"}
    assert made.count("```mermaid") == len(found)  # every chart has its table
    for kind, chart, table in found:
        values = [v for _, v in table]
        if kind == "pie":  # slices of zero are left out of a pie
            assert chart == [(label, v) for label, v in table if v > 0]
        else:
            assert [v for _, v in chart] == values
            assert len(chart) == len(table)


def test_the_q3_report_has_all_three_charts(scenario_db):
    with store.session(scenario_db) as s:
        made = report(s, parse_period("2026Q3", Q3_END_NEXT_DAY), lang="en")
    kinds = [chart.split()[0] + (" line" if " line [" in chart else " bar" if " bar [" in chart else "")
             for chart, _ in BLOCK.findall(made)]
    assert sorted(kinds) == ["pie", "xychart-beta bar", "xychart-beta line"]


def test_chart_helpers_keep_labels_and_values_together():
    items = [("Kompetanse", 1250), ("FoU", 0)]
    assert '"Kompetanse" : 1250' in pie("Behov", items, ("Type", "Behov"), "nb")
    assert '"FoU"' not in pie("Behov", items, ("Type", "Behov"), "nb")
    assert "| FoU | 0 |" in pie("Behov", items, ("Type", "Behov"), "nb")
    assert "bar [1250, 0]" in bars("B", items, ("S", "N"), "en")
    assert "| Kompetanse | 1,250 |" in bars("B", items, ("S", "N"), "en")
    assert "0 --> 1\n" in line("L", [("jul", 0)], ("M", "V"), "en")  # never a zero-height axis


def test_cells_stay_on_one_line_and_keep_nbsp():
    assert cell("a | b\nc") == "a \\| b c"
    assert cell("1\u00a0250\u00a0kr") == "1\u00a0250\u00a0kr"
