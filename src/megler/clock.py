"""The one clock: every "today" and "now" in megler comes from here.

`$MEGLER_TODAY=YYYY-MM-DD` moves all of them together, for scripted and repeatable
runs (tests, the demo, a benchmark): dates typed as `today` or `+2w`, created dates,
audit times, backup names, calendar stamps. Under a fixed day "now" is noon of that
day, local time, so that two runs of one script write the same times and a time
turned back into a date gives that day in every time zone.

    >>> import os; os.environ["MEGLER_TODAY"] = "2026-09-15"
    >>> today(), now().isoformat()  # doctest: +SKIP
    (datetime.date(2026, 9, 15), '2026-09-15T10:00:00+00:00')
"""

import datetime as dt
import os

from megler.errors import InvalidInput
from megler.limits import check_day

FIXED_HOUR = 12


def fixed_day() -> dt.date | None:
    """The day in $MEGLER_TODAY, or None when megler follows the wall clock."""
    text = os.environ.get("MEGLER_TODAY", "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else _bad(text)
    except ValueError:
        return _bad(text)
    return check_day(day, "MEGLER_TODAY")


def _bad(text: str) -> dt.date:
    raise InvalidInput(f"MEGLER_TODAY is not a date: {text!r} (use YYYY-MM-DD, or unset it)")


def today() -> dt.date:
    """The broker's today, in local time."""
    return fixed_day() or dt.date.today()


def now() -> dt.datetime:
    """This moment in UTC, whole seconds: what the store's timestamps hold."""
    day = fixed_day()
    moment = (dt.datetime.combine(day, dt.time(FIXED_HOUR)).astimezone() if day
              else dt.datetime.now().astimezone())
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time as the broker's local time (for names and display)."""
    return moment.astimezone()


def stamp() -> str:
    """Now as a file-name part, local time: `20260915-120000`."""
    return local(now()).strftime("%Y%m%d-%H%M%S")
