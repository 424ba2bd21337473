"""megler report"""

from typing import Annotated

import typer

from megler.cli.common import Db, Force, Out, opened
from megler.cli.output import deliver
from megler.clock import today
from megler.reports.periods import HELP as PERIOD_HELP
from megler.vocabulary import Breakdown, ReportFormat, ReportLanguage, listed

PeriodOpt = Annotated[str | None, typer.Option(
    "--period", "-p", metavar="PERIOD", help=f"{PERIOD_HELP} (default: last-quarter).")]


def report(period: PeriodOpt = None,
           lang: Annotated[ReportLanguage | None, typer.Option(
               "--lang", "-l", help=f"{listed(ReportLanguage)} (default: lang in `megler config`, else en).")] = None,
           out: Out = None, force: Force = False,
           fmt: Annotated[ReportFormat, typer.Option(
               "--format", "-f", help="md: the report; html: one self-contained page; json or csv: its figures as data.")] = ReportFormat.md,
           broker: Annotated[str | None, typer.Option(
               "--broker", metavar="NAME", help="One broker's report: their records alone.")] = None,
           by: Annotated[Breakdown | None, typer.Option(
               "--by", help="Each broker's, municipality's, region's or cluster's (megler network clusters) indicators beside the whole.")] = None,
           db: Db = None) -> None:
    """The period report for the funder and the steering group, ready to paste.

    Figures as they stood at the end of the period (re-running it later gives the
    same numbers), against the previous period and the period's goals, with
    Mermaid charts (inline SVG in html) and a table beside each. CSV to --out FILE is
    for a spreadsheet (BOM, `;`, decimal comma), on stdout plain RFC 4180.

    Example: megler report --period 2026Q3 --lang nb --out rapport-2026Q3.md

    Example: megler report --period 2026Q3 --by broker
    """
    from megler import config
    from megler.files import csv_dialect
    from megler.reports import parse_period
    from megler.reports import report as make

    chosen = parse_period(period, today())  # before the store: a typo changes nothing
    settings = config.load()
    language = lang or str(settings.get("lang", config.SETTINGS["lang"].default))
    with opened(db) as s:
        text = make(s, chosen, lang=language, fmt=fmt, broker=settings.get("broker"),
                    only=_named(broker), by=by and str(by), dialect=csv_dialect(out))
    deliver(text, out, f"Wrote the report for {chosen.label} to {out}", force=force)


def _named(broker: str | None) -> str | None:
    from megler.errors import InvalidInput
    from megler.parse import clean_text

    if broker is not None and not clean_text(broker):
        raise InvalidInput("--broker needs a name")
    return clean_text(broker) if broker is not None else None
