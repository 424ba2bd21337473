"""Each Mermaid chart draws exactly the figures of the table beside it."""

import re

import pytest

from megler import store
from megler.reports import parse_period, report, svg
from megler.reports.document import Writer
from megler.reports.i18n import LANGS
from megler.reports.markdown import cell, escape, write
from tests.reports.conftest import Q3_END_NEXT_DAY

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


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


def _chart(kind, items, lang, header=("Type", "Behov"), axis=None) -> str:
    """A chart as the Markdown report writes it: the Mermaid block, then its table."""
    writer = Writer({"period": {"end": "2026-09-30"}}, lang)
    return write([writer.chart(kind, "Behov", items, header, axis=axis)])


def test_chart_helpers_keep_labels_and_values_together():
    items = [("Kompetanse", 1250), ("FoU", 0)]
    assert '"Kompetanse" : 1250' in _chart("pie", items, "nb")
    assert '"FoU"' not in _chart("pie", items, "nb")
    assert "| FoU | 0 |" in _chart("pie", items, "nb")
    assert "bar [1250, 0]" in _chart("bar", items, "en")
    assert "| Kompetanse | 1,250 |" in _chart("bar", items, "en")
    assert "0 --> 1\n" in _chart("line", [("jul", 0)], "en")  # never a zero-height axis
    assert "mermaid" not in _chart("pie", [("FoU", 0)], "nb")  # a pie of nothing is only its table


def test_cells_stay_on_one_line_and_keep_nbsp():
    assert escape(cell("a | b\nc")) == "a \\| b c"
    assert cell("1\u00a01250\u00a0kr") == "1\u00a01250\u00a0kr"


def _drawn(kind, items, axis=None) -> str:
    return svg.draw(Writer({"period": {"end": "2026-09-30"}}, "nb").chart(
        kind, "Behov <i>", items, ("Type", "Behov"), axis=axis))


def test_svg_charts_draw_their_items_as_the_table_spells_them():
    items = [("Kompetanse", 1250), ("FoU & <b>innovasjon</b>", 0), ("Rekruttering", 625)]
    bars = _drawn("bar", items)
    assert re.findall(r'<rect x="220" y="\d+" width="([\d.]+)"', bars) == ["340.0", "0.0", "170.0"]
    assert ">1\u00a0250</text>" in bars and "FoU &amp; &lt;b&gt;innovasjon&lt;/b&gt;" in bars
    assert "<title>Behov &lt;i&gt;</title>" in bars
    pie = _drawn("pie", items)
    assert pie.count("<path ") == 2 and "FoU" not in pie  # no slice of nothing, as in Mermaid
    assert _drawn("pie", [("FoU", 0)]) == ""
    assert _drawn("pie", [("FoU", 3)]).count("<circle ") == 1  # one item is the whole round
    line = _drawn("line", [("juli 2026", 0), ("august 2026", 2)], axis=["jul", "aug"])
    assert line.count("<circle ") == 2 and ">aug</text>" in line and "juli 2026" not in line
