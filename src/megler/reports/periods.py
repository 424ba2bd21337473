"""Report periods: what a broker types (`2026Q3`, `2026`, `2026-09`, `FROM..TO`,
`last-quarter`, `this-quarter`) turned into a first and a last day.

A period keeps its kind so that "the previous period" means the previous quarter,
year or month, and so that goals can be stored under one canonical label.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from megler.errors import InvalidInput
from megler.limits import check_day

KINDS = ("quarter", "year", "month", "range")
_QUARTER = re.compile(r"(\d{4})[-\s]?[qQ]([1-4])")
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\S+)\.\.(\S+)")
HELP = "2026Q3, 2026, 2026-09, 2026-07-01..2026-09-30, last-quarter or this-quarter"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "range"

    @property
    def label(self) -> str:
        """The canonical name: what `goal set` stores and JSON carries."""
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        if self.kind == "quarter":
            return quarter_of(self.start - timedelta(days=1))
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "month":
            before = self.start - relativedelta(months=1)
            return month(before.year, before.month)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def upto(self, day: date) -> "Period":
        """The part of the period up to `day`; the whole period once it has ended."""
        if day >= self.end:
            return self
        return replace(self, end=max(day, self.start - timedelta(days=1)))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        found, (y, m) = [], (self.start.year, self.start.month)
        while (y, m) <= (self.end.year, self.end.month):
            found.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return found

    def as_dict(self) -> dict:
        return {"label": self.label, "kind": self.kind,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


def quarter(y: int, q: int) -> Period:
    first = date(y, 3 * q - 2, 1)
    return Period(first, first + relativedelta(months=3, days=-1), "quarter")


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year")


def month(y: int, m: int) -> Period:
    first = date(y, m, 1)
    return Period(first, first + relativedelta(months=1, days=-1), "month")


def parse_period(text: str | None, today: date) -> Period:
    """A period from what the user typed; None means the last complete quarter.

    >>> parse_period("2026Q3", date(2026, 12, 1)).end
    datetime.date(2026, 9, 30)
    """
    word = ("last-quarter" if text is None else text).strip().lower()
    try:
        period = _parse(word, today)
    except ValueError:
        period = None
    if period is None:
        raise InvalidInput(f"not a period: {text!r} (use {HELP})")
    check_day(period.start, "period start")  # so that `previous()` stays in reach
    check_day(period.end, "period end")
    return period


def _parse(word: str, today: date) -> Period | None:
    if word == "last-quarter":
        return quarter_of(quarter_of(today).start - timedelta(days=1))
    if word == "this-quarter":
        return quarter_of(today)
    if m := _QUARTER.fullmatch(word):
        return quarter(int(m.group(1)), int(m.group(2)))
    if _YEAR.fullmatch(word):
        return year(int(word))
    if m := _MONTH.fullmatch(word):
        return month(int(m.group(1)), int(m.group(2)))
    if m := _RANGE.fullmatch(word):
        first, last = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        if len(m.group(1)) != 10 or len(m.group(2)) != 10:
            return None
        if last < first:
            raise InvalidInput(f"the period {word!r} ends before it starts")
        return Period(first, last)
    return None
