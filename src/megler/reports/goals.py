"""Goals: a target for an indicator in a period, set one at a time or for a year from YAML.

A goal is stored under the period's canonical label (`2026Q3`, `2026`, `2026-09`),
so `goal set last-quarter ...` and the report for `2026Q3` meet. The year file:

    year: 2026
    goals:
      year: {orgs_visited: 160, funding_granted_nok: 8M}
      Q3:   {orgs_visited: 40, rd_referrals: 10}
      2026-09: {visits: 20}
"""

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from megler.errors import InvalidInput
from megler.limits import check_year
from megler.parse import parse_amount
from megler.reports.indicators import INDICATORS
from megler.reports.periods import Period, parse_period
from megler.reports.periods import year as year_period
from megler.sql import rows

if TYPE_CHECKING:
    from megler.models import Goal

# Names an indicator had before, still read (a goal file from an earlier year).
FORMER_NAMES = {"first_time_rd": "companies_without_rd"}


def parse_indicator(name: str) -> str:
    word = name.strip().lower().replace("-", "_")
    word = FORMER_NAMES.get(word, word)
    if word not in INDICATORS:
        raise InvalidInput(f"unknown indicator {name!r} (choose from {', '.join(INDICATORS)})")
    return word


def parse_target(value: str | int | float) -> float:
    """A count or an amount: `40`, `2.5`, `2M`, `1 250 000`."""
    if isinstance(value, bool):
        raise InvalidInput(f"not a target: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = _amount(value)
    if not math.isfinite(number) or number < 0:
        raise InvalidInput(f"a target must be a number, 0 or more: {value}")
    return number


def _amount(value: str) -> float:
    try:
        return float(parse_amount(value))
    except InvalidInput:  # parse_amount speaks of kroner; most goals are counts
        raise InvalidInput(f"not a target: {value!r} (a number such as 40, "
                           "or an amount such as 2M)") from None


def set_goal(s: Session, period: Period, indicator: str, target: str | int | float) -> "Goal":
    """Set (or replace) the target of one indicator for one period."""
    from megler.models import Goal

    name, value = parse_indicator(indicator), parse_target(target)
    goal = s.exec(select(Goal).where(Goal.period == period.label, Goal.indicator == name)).first()
    goal = goal or Goal(period=period.label, indicator=name, target=value)
    goal.target = value
    s.add(goal)
    s.flush()
    return goal


def goals_for(s: Session, period: Period) -> dict[str, float]:
    """The period's goals, in SQL: the report needs no model classes (their import costs
    a tenth of a second, on every report)."""
    found = rows(s, "SELECT indicator, target FROM goal WHERE period = :period", period=period.label)
    return {indicator: _plain(target) for indicator, target in found}


def list_goals(s: Session, period: Period | None = None) -> list[dict]:
    from megler.models import Goal

    query = select(Goal).order_by(Goal.period, Goal.indicator)
    if period:
        query = query.where(Goal.period == period.label)
    return [{"period": g.period, "indicator": g.indicator, "target": _plain(g.target)}
            for g in s.exec(query)]


def remove_goal(s: Session, period: Period, indicator: str) -> None:
    from megler.models import Goal

    goal = s.exec(select(Goal).where(Goal.period == period.label,
                                     Goal.indicator == parse_indicator(indicator))).first()
    if not goal:
        raise InvalidInput(f"no goal for {indicator} in {period.label}")
    s.delete(goal)
    s.flush()


def _plain(target: float) -> int | float:
    return int(target) if target == int(target) else target


def read_year_file(path: Path) -> list[tuple[Period, str, float]]:
    """The goals in a year file, all checked before any is stored."""
    from megler import safeyaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{path}: cannot read the goals: {e}") from None
    document = safeyaml.load(text, str(path))
    if not isinstance(document, dict) or type(document.get("year")) is not int \
            or not isinstance(document.get("goals"), dict):
        raise InvalidInput(f"{path}: expected `year: 2026` and a `goals:` mapping")
    year = check_year(document["year"], f"{path}: year")
    found = []
    for key, targets in document["goals"].items():
        period = _period_in_year(str(key), year, path)
        if not isinstance(targets, dict):
            raise InvalidInput(f"{path}: goals for {key} must be a mapping of indicator: target")
        found += [(period, parse_indicator(str(name)), parse_target(target))
                  for name, target in targets.items()]
    return found


def _period_in_year(key: str, year: int, path: Path) -> Period:
    """`year`, `Q1`…`Q4`, or a full period label inside the file's year."""
    if key.lower() == "year":
        return year_period(year)
    text = f"{year}{key}" if key.upper() in ("Q1", "Q2", "Q3", "Q4") else key
    try:
        period = parse_period(text, date(year, 1, 1))
    except InvalidInput:
        raise InvalidInput(f"{path}: {key!r} is not a period of {year} "
                           "(use year, Q1-Q4, 2026-09 or 2026Q3)") from None
    if period.start.year != year or period.end.year != year:
        raise InvalidInput(f"{path}: {key!r} is not inside {year}")
    return period


def import_goals(s: Session, path: Path) -> int:
    """Set every goal in a year file (all or nothing); returns how many."""
    goals = read_year_file(path)
    for period, indicator, target in goals:
        set_goal(s, period, indicator, target)
    return len(goals)
