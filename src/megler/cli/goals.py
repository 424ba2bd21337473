"""megler goal set|list|import|remove"""

from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.common import app as group
from megler.cli.output import Format, render, say
from megler.clock import today
from megler.reports.i18n import counted
from megler.reports.indicators import INDICATORS
from megler.reports.periods import HELP as PERIOD_HELP

PeriodArg = Annotated[str, typer.Argument(metavar="PERIOD", help=PERIOD_HELP)]
Indicator = Annotated[str, typer.Argument(metavar="NAME", help="An indicator: " + ", ".join(INDICATORS))]
# "\b" keeps click from re-flowing the list into one paragraph.
INDICATOR_HELP = "\b\nIndicators:\n" + "\n".join(f"  {k}: {v}" for k, v in INDICATORS.items())

app = group("Targets for a period's indicators; the report shows target, actual and share.\n\n"
            + INDICATOR_HELP)


@app.command("set")
def goal_set(period: PeriodArg, name: Indicator,
             target: Annotated[str, typer.Argument(metavar="TARGET", help="A number; amounts as 2000000, 2M or 1.5M.")],
             db: Db = None) -> None:
    """Set the target of one indicator for one period (replacing an earlier one).

    Example: megler goal set 2026Q3 funding_granted_nok 2M
    """
    from megler.reports import parse_period
    from megler.reports.goals import set_goal

    chosen = parse_period(period, today())
    with opened(db, write=True) as s:
        goal = set_goal(s, chosen, name, target)
    say(f"Goal for {goal.period}: {goal.indicator} = {goal.target:.15g}")


@app.command("list")
def goal_list(period: Annotated[str | None, typer.Option(
                  "--period", "-p", metavar="PERIOD", help="Only this period's goals (default: all).")] = None,
              fmt: Fmt = Format.table, db: Db = None) -> None:
    """List the goals, by period and indicator.

    Example: megler goal list --period 2026
    """
    from megler.reports import parse_period
    from megler.reports.goals import list_goals

    chosen = parse_period(period, today()) if period else None
    with opened(db) as s:
        rows = list_goals(s, chosen)
    render(rows, fmt, title="Goals")


@app.command("import")
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
    from megler.reports.goals import import_goals

    with opened(db, write=True) as s:
        count = import_goals(s, file)
    say(f"Set {counted(count, 'goal', 'goals')} from {file}")


@app.command("remove")
def goal_remove(period: PeriodArg, name: Indicator, db: Db = None) -> None:
    """Remove the goal of one indicator for one period.

    Example: megler goal remove 2026Q3 visits
    """
    from megler.reports import parse_period
    from megler.reports.goals import remove_goal

    chosen = parse_period(period, today())
    with opened(db, write=True) as s:
        remove_goal(s, chosen, name)
    say(f"Removed the goal for {name} in {chosen.label}")
