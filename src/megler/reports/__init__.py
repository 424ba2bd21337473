"""The period report: figures as of the end of a period, written in en, nb or sv.

    with session(db) as s:
        text = report(s, parse_period("2026Q3", today()), lang="nb")

Modules: periods (period arithmetic), activity and pipeline (the SQL aggregates),
figures (the whole set as data), goals and indicators (targets for the summary),
i18n, nace and formats (words, numbers and dates per language), blocks and document
(the report as blocks), markdown with charts (Mermaid) and html with svg (the page).
"""

from typing import TYPE_CHECKING

from megler.errors import InvalidInput
from megler.reports.i18n import LANGS
from megler.reports.periods import Period, parse_period
from megler.vocabulary import ReportFormat, listed

if TYPE_CHECKING:  # the CLI imports this package for its help; keep SQLAlchemy out
    from sqlmodel import Session

    from megler.files import CsvDialect

__all__ = ["FIGURE_COLUMNS", "Period", "figures_for", "long_rows", "parse_period", "report",
           "to_csv"]


def figures_for(s: "Session", period: Period, *, broker: str | None = None,
                only: str | None = None, by: str | None = None) -> dict:
    """The figures of the report as data, with the period's goals beside them; `only` one
    broker's (their records alone, no goals: those are the network's), `by` with each
    broker's, municipality's, region's or cluster's indicators beside the whole.

    A period still running is reported as it stands today ("per 1. desember 2026"):
    what is overdue is overdue today, not at the period's end.
    """
    from contextlib import nullcontext

    from megler.clock import today
    from megler.reports.figures import build
    from megler.reports.goals import goals_for
    from megler.reports.scope import one_brokers

    upto = period.upto(today())
    with one_brokers(s, only) if only else nullcontext():
        figures = build(s, upto, goals=None if only else goals_for(s, period), broker=only or broker)
    if by:
        from megler.reports.figures import breakdown

        figures["breakdown"] = breakdown(s, upto, by)
    return figures


def report(s: "Session", period: Period, *, lang: str = "en", fmt: str = "md",
           broker: str | None = None, only: str | None = None, by: str | None = None,
           dialect: "CsvDialect | None" = None) -> str:
    """The report for `period` as Markdown or an HTML page in `lang`, or its figures as
    JSON or CSV (in `dialect`: files.csv_dialect)."""
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r} (choose from {listed(LANGS)})")
    if fmt not in tuple(ReportFormat):
        raise InvalidInput(f"unknown report format {fmt!r} (choose from {listed(ReportFormat)})")
    figures = figures_for(s, period, broker=broker, only=only, by=by)
    if fmt == "json":
        from megler.files import json_text

        return json_text(figures)
    if fmt == "csv":
        return to_csv(figures, dialect)
    if fmt == "html":
        from megler.reports import html

        return html.render(figures, lang)
    from megler.reports import markdown

    return markdown.render(figures, lang)


FIGURE_COLUMNS = ["section", "figure", "key", "value"]


def to_csv(figures: dict, dialect: "CsvDialect | None" = None) -> str:
    """The figures as long rows: section, figure, key, value (lists of items are left out).

    >>> to_csv({"followups": {"done_late": 2}}).splitlines()[1]
    'followups,done_late,,2'
    """
    from megler.files import PLAIN, csv_text

    return csv_text(FIGURE_COLUMNS, long_rows(figures), dialect=dialect or PLAIN)


def long_rows(figures: dict):
    for section in ("summary", "reach", "needs", "referrals", "followups"):
        for name, value in figures.get(section, {}).items():
            if isinstance(value, dict):
                yield from ([section, name, k, v] for k, v in value.items())
            elif not isinstance(value, list):
                yield [section, name, "", value]
