"""Parsers for what a broker types: dates, amounts, choices.

Each returns a clean value or raises InvalidInput with a line fit to show as is.
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from megler.clock import today
from megler.errors import InvalidInput
from megler.limits import MAX_AMOUNT, MAX_TEXT, check_day, check_int
from megler.text import CONTROL, UNPRINTABLE, escape_controls, nfc

_RELATIVE = re.compile(r"([+-])(\d{1,4})([dwmy])")
_UNIT_DAYS = {"d": 1, "w": 7}
_NAMED = {"today": 0, "yesterday": -1, "tomorrow": 1}


def parse_date(text: str, *, base: date | None = None) -> date:
    """`2026-09-15`, `today`, `yesterday`, `tomorrow`, `+3d`, `-1w`, `+2m`, `-1y`;
    within FIRST_DAY .. LAST_DAY (megler.limits), whatever it is counted from."""
    try:
        day = _date(text.strip().lower(), base or today())
    except (OverflowError, ValueError):  # beyond year 1..9999, or no such day
        day = None
    return check_day(day) if day else _bad_date(text)


def _date(word: str, base: date) -> date | None:
    if word in _NAMED:
        return base + timedelta(days=_NAMED[word])
    if m := _RELATIVE.fullmatch(word):
        sign, count, unit = m.group(1), int(m.group(2)), m.group(3)
        count = -count if sign == "-" else count
        if unit in _UNIT_DAYS:
            return base + timedelta(days=count * _UNIT_DAYS[unit])
        # relativedelta keeps the day of the month, or the month's last day
        return base + relativedelta(months=count * (12 if unit == "y" else 1))
    return date.fromisoformat(word) if len(word) == 10 else None


def _bad_date(text: str) -> date:
    raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD, today, yesterday, +3d, -1w)")


AMOUNT_FORMS = "250000, 250 000, 400.000, 1,5 mill, 1.5M, 300k, 2 mkr, kr 250 000, 250 000 SEK"
_SPACES = re.compile(r"[\s\u00a0\u202f_']+")
_SCALES = {1_000: ("k", "tusen", "tkr"),
           1_000_000: ("m", "mill", "mio", "million", "millioner", "miljon", "miljoner", "mkr",
                       "mnok", "msek"),
           1_000_000_000: ("mrd", "milliard", "milliarder", "miljard", "miljarder")}
_SCALE = {word: factor for factor, words in _SCALES.items() for word in words}
_CURRENCY_WORD = r"(nok|sek|kr|kroner|kronor)\.?"
_MONEY = re.compile(
    rf"(?i)^(?:{_CURRENCY_WORD}\s*)?([\d\s\u00a0\u202f_'.,]*\d)\s*"
    rf"({'|'.join(sorted(_SCALE, key=len, reverse=True))})?\.?\s*(?:{_CURRENCY_WORD})?\s*"
    r"(?:[,.:]-)?$")


def parse_money(text: str | int) -> tuple[int, str | None]:
    """Whole kroner (>= 0) and the currency the text names (NOK, SEK), if it names one.

    Written the Nordic way or the English way: `400.000` and `400,000` are 400 000,
    `1,5 mill` and `1.5M` are 1 500 000; see AMOUNT_FORMS and tests/test_parse.py.
    A form that cannot be read without guessing (`1.5`, `12 34`) is refused.
    """
    m = _MONEY.match(str(text).strip())
    if not m:
        raise InvalidInput(f"not an amount: {text!r} (whole kroner, e.g. {AMOUNT_FORMS})")
    before, digits, scale_word, after = (g.lower() if g else "" for g in m.groups())
    named = {w.upper() for w in (before, after, scale_word[1:]) if w in ("nok", "sek")}
    if len(named) > 1:
        raise InvalidInput(f"not an amount: {text!r} (it names both NOK and SEK)")
    number = _number(digits, scaled=bool(scale_word), text=text)
    amount = number * _SCALE.get(scale_word, 1)
    if amount != int(amount):
        raise InvalidInput(f"not whole kroner: {text!r} (øre are left out; "
                           "for millions write 1,5 mill or 1.5M)")
    if amount > MAX_AMOUNT:
        raise InvalidInput(f"amount too large: {text!r} (at most {MAX_AMOUNT:,} kr)")
    return int(amount), (named.pop() if named else None)


def parse_amount(text: str | int) -> int:
    """Whole kroner, >= 0, in any form parse_money reads."""
    return parse_money(text)[0]


def _number(digits: str, *, scaled: bool, text: object) -> Decimal:
    """The number in `1 250 000`, `1.250.000,50`, `1,250,000.50`, `1,5` (before `mill`)."""
    groups = _SPACES.split(digits.strip())
    if any(len(g) != 3 for g in groups[1:]):  # `12 34` is a typo, not a number
        raise InvalidInput(f"not an amount: {text!r} (whole kroner, e.g. {AMOUNT_FORMS})")
    joined = "".join(groups)
    marks = [c for c in joined if c in ".,"]
    decimal = marks[-1] if marks and (len(set(marks)) == 2 or _decimal_mark(joined, scaled)) else None
    whole, _, fraction = joined.rpartition(decimal) if decimal else (joined, "", "")
    parts = re.split(r"[.,]", whole)
    if not all(parts) or any(len(p) != 3 for p in parts[1:]) or (decimal and not fraction):
        raise InvalidInput(f"not an amount: {text!r} (whole kroner, e.g. {AMOUNT_FORMS})")
    return Decimal("".join(parts) + (f".{fraction}" if fraction else ""))


def _decimal_mark(joined: str, scaled: bool) -> bool:
    """One kind of mark: a decimal mark before a scale (`1,5 mill`), or with one or two
    digits after it (`250000,50`); three digits after it group thousands (`400.000`)."""
    if joined.count(".") + joined.count(",") != 1:
        return False
    after = len(re.split(r"[.,]", joined)[1])
    return scaled or after in (1, 2)


def parse_count(value: int, what: str) -> int:
    """A count of people or things: 0 .. MAX_INT (megler.limits)."""
    return check_int(value, what)


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


def clean_text(text: str | None, *, name: bool = False) -> str | None:
    """Text as megler keeps it: NFC, edges stripped, a Windows line end as a newline.

    The one rule for control characters (megler.text): free text refuses C0 and C1 but
    tab and newline (an escape sequence or a stray CR would garble a screen or a report);
    a name (of an org, a contact, a catalog entry) refuses every character of CONTROL,
    bidi overrides and line separators too, for a name stands in table cells and lists
    where a reversed or broken line misleads. Text longer than any note a broker writes
    (a pasted file, most likely) is refused.
    """
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    if found := (CONTROL if name else UNPRINTABLE).findall(text):
        shown = " ".join(dict.fromkeys(escape_controls(c) for c in found))
        raise InvalidInput(f"{'a name' if name else 'text'} holds control characters ({shown}); "
                           "remove them and try again")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text too long ({len(text):,} characters; at most {MAX_TEXT:,})")
    return nfc(text).strip() or None
