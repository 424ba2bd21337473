"""Parsers for what a broker types: dates, amounts, choices.

Each returns a clean value or raises InvalidInput with a line fit to show as is.
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from megler.clock import today
from megler.errors import InvalidInput

_RELATIVE = re.compile(r"([+-])(\d{1,4})([dwmy])")
_UNIT_DAYS = {"d": 1, "w": 7}
_NAMED = {"today": 0, "yesterday": -1, "tomorrow": 1}
MAX_AMOUNT = 10**12   # kroner: more than any grant, less than a float loses
MAX_TEXT = 20_000     # characters in one field: a long meeting note is a few thousand


def parse_date(text: str, *, base: date | None = None) -> date:
    """`2026-09-15`, `today`, `yesterday`, `tomorrow`, `+3d`, `-1w`, `+2m`, `-1y`."""
    base = base or today()
    word = text.strip().lower()
    if word in _NAMED:
        return base + timedelta(days=_NAMED[word])
    if m := _RELATIVE.fullmatch(word):
        sign, count, unit = m.group(1), int(m.group(2)), m.group(3)
        count = -count if sign == "-" else count
        try:
            if unit in _UNIT_DAYS:
                return base + timedelta(days=count * _UNIT_DAYS[unit])
            # relativedelta keeps the day of the month, or the month's last day
            return base + relativedelta(months=count * (12 if unit == "y" else 1))
        except (OverflowError, ValueError):  # beyond year 1..9999
            return _bad_date(text)
    try:
        return date.fromisoformat(word) if len(word) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> date:
    raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD, today, yesterday, +3d, -1w)")


def parse_amount(text: str | int) -> int:
    """Whole kroner, >= 0: `250000`, `250 000`, `250_000`, `1.5M`, `300k`, `kr 12 000`."""
    cleaned = re.sub(r"(?i)\s|_|kr\.?|nok|sek", "", str(text)).replace(",", ".")
    m = re.fullmatch(r"(?i)(\d+(?:\.\d+)?)([km]?)", cleaned)
    if not m:
        raise InvalidInput(f"not an amount: {text!r} (whole kroner, e.g. 250000 or 1.5M)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    amount = float(m.group(1)) * factor
    if amount > MAX_AMOUNT:
        raise InvalidInput(f"amount too large: {text!r} (at most {MAX_AMOUNT:,} kr)")
    return round(amount)


def parse_count(value: int, what: str) -> int:
    if value < 0:
        raise InvalidInput(f"{what} cannot be negative: {value}")
    return value


def parse_choice(text: str, choices: Iterable[str], what: str) -> str:
    """One of `choices` (a vocabulary), case-insensitive; an unambiguous prefix is enough."""
    choices = [str(c) for c in choices]
    word = text.strip()
    word = word if word in choices else word.lower()
    if word in choices:
        return word
    hits = [c for c in choices if c.startswith(word)] if word else []
    if len(hits) == 1:
        return hits[0]
    raise InvalidInput(f"unknown {what}: {text!r} (choose from {', '.join(choices)})")


def clean_text(text: str | None) -> str | None:
    """Strip the edges; refuse control characters that would garble a report, and text
    longer than any note a broker writes (a pasted file, most likely)."""
    if text is None:
        return None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise InvalidInput("text holds control characters; remove them and try again")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text too long ({len(text):,} characters; at most {MAX_TEXT:,})")
    return text.strip() or None
