"""megler report, megler goal set|list|import|remove, and the CSV and iCalendar exports."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from megler.cli.common import Db, Fmt, app as group, opened
from megler.clock import today
from megler.cli.output import Format, deliver, render, say
from megler.reports.indicators import INDICATORS
from megler.reports.periods import HELP as PERIOD_HELP
from megler.reports.i18n import counted
from megler.vocabulary import ReportFormat, ReportLanguage, listed


PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", "-p", metavar="PERIOD", help=f"{PERIOD_HELP} (default: last-quarter).")]
PeriodArg = Annotated[str, typer.Argument(metavar="PERIOD", help=PERIOD_HELP)]
Indicator = Annotated[str, typer.Argument(metavar="NAME", help="An indicator: " + ", ".join(INDICATORS))]
# "\b" keeps click from re-flowing the list into one paragraph.
INDICATOR_HELP = "\b\nIndicators:\n" + "\n".join(f"  {k}: {v}" for k, v in INDICATORS.items())


def report(period: PeriodOpt = None,
           lang: Annotated[Optional[ReportLanguage], typer.Option(
               "--lang", "-l", help=f"{listed(ReportLanguage)} (default: lang in `megler config`, else en).")] = None,
           out: Annotated[Optional[Path], typer.Option(
               "--out", "-o", metavar="FILE", help="Write to FILE (private, atomic) instead of stdout.")] = None,
           fmt: Annotated[ReportFormat, typer.Option(
               "--format", "-f", help="md: the report; json or csv: its figures as data.")] = ReportFormat.md,
           db: Db = None) -> None:
    """The period report for the funder and the steering group, ready to paste.

    Figures as they stood at the end of the period (re-running it later gives the
    same numbers), against the previous period and the period's goals, with
    Mermaid charts and a table beside each.

    Example: megler report --period 2026Q3 --lang nb --out rapport-2026Q3.md
    """
    from megler import config
    from megler.reports import parse_period, report as make
    chosen = parse_period(period, today())  # before the store: a typo changes nothing
    settings = config.load()
    language = lang or settings.get("lang", config.SETTINGS["lang"].default)
    with opened(db) as s:
        text = make(s, chosen, lang=language, fmt=fmt, broker=settings.get("broker"))
    deliver(text, out, f"Wrote the report for {chosen.label} to {out}")


goal_app = group("Targets for a period's indicators; the report shows target, actual and share.\n\n"
                 + INDICATOR_HELP)


@goal_app.command("set")
def goal_set(period: PeriodArg, name: Indicator,
             target: Annotated[str, typer.Argument(metavar="TARGET", help="A number; amounts as 2000000, 2M or 1.5M.")],
             db: Db = None) -> None:
    """Set the target of one indicator for one period (replacing an earlier one).

    Example: megler goal set 2026Q3 funding_granted_nok 2M
    """
    from megler.goals import set_goal
    from megler.reports import parse_period

    chosen = parse_period(period, today())
    with opened(db, write=True) as s:
        goal = set_goal(s, chosen, name, target)
    say(f"Goal for {goal.period}: {goal.indicator} = {goal.target:.15g}")


@goal_app.command("list")
def goal_list(period: Annotated[Optional[str], typer.Option(
                  "--period", "-p", metavar="PERIOD", help="Only this period's goals (default: all).")] = None,
              fmt: Fmt = Format.table, db: Db = None) -> None:
    """List the goals, by period and indicator.

    Example: megler goal list --period 2026
    """
    from megler.goals import list_goals
    from megler.reports import parse_period

    chosen = parse_period(period, today()) if period else None
    with opened(db) as s:
        rows = list_goals(s, chosen)
    render(rows, fmt, title="Goals")


@goal_app.command("import")
def goal_import(file: Annotated[Path, typer.Argument(metavar="FILE", help="A YAML file of one year's goals.")],
                db: Db = None) -> None:
    """Set a whole year's goals from a YAML file (all of them or, on an error, none).

    \b
    year: 2026
    goals:
      year: {orgs_visited: 160, funding_granted_nok: 8M}
      Q3: {orgs_visited: 40, rd_referrals: 10}
      2026-09: {visits: 20}

    Example: megler goal import goals-2026.yaml
    """
    from megler.goals import import_goals

    with opened(db, write=True) as s:
        count = import_goals(s, file)
    say(f"Set {counted(count, 'goal', 'goals')} from {file}")


@goal_app.command("remove")
def goal_remove(period: PeriodArg, name: Indicator, db: Db = None) -> None:
    """Remove the goal of one indicator for one period.

    Example: megler goal remove 2026Q3 visits
    """
    from megler.goals import remove_goal
    from megler.reports import parse_period

    chosen = parse_period(period, today())
    with opened(db, write=True) as s:
        remove_goal(s, chosen, name)
    say(f"Removed the goal for {name} in {chosen.label}")


def export_table(what: str, file: Optional[Path] = None, db: Optional[str] = None) -> None:
    """`megler export --format csv --what visits|needs|referrals`: CSV to stdout or FILE."""
    from megler.reports.exports import export_csv

    with opened(db) as s:
        text = export_csv(s, what)
    deliver(text, file, f"Exported {what} to {file}")


def followups_to_ics(file: Path, db: Optional[str] = None) -> None:
    """`megler followup list --ics FILE`: the open follow-ups as calendar events."""
    from megler.reports.exports import followups_ics

    with opened(db) as s:
        data = followups_ics(s)
    deliver(data, file, f"Wrote the open follow-ups to {file}")
