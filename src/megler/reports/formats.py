"""Numbers, amounts, shares, dates and periods written the way each language writes them.

Norwegian and Swedish group thousands with a non-breaking space (so `1 250 000 kr`
never breaks across lines in the county's document) and use a decimal comma;
English uses commas and puts the currency first (`NOK 1,250,000`).
"""

from datetime import date
from functools import cache

from megler.reports.i18n import MONTHS, QUARTER
from megler.reports.periods import Period

NBSP = "\u00a0"


def number(value: float | int | None, lang: str) -> str:
    """`1250000` → `1,250,000` (en) or `1 250 000` (nb, sv); at most two decimals."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


# The currency a language calls plain "kr"; the other one is named.
HOME_CURRENCY = {"nb": "NOK", "sv": "SEK"}


def amount(value: int | float | None, lang: str, currency: str = "NOK") -> str:
    """`NOK 1,250,000` (en); `1 250 000 kr` in nb, `250 000 SEK` beside it; the reverse in sv."""
    if value is None:
        return "–"
    if lang == "en":
        return f"{currency} {number(value, lang)}"
    word = "kr" if HOME_CURRENCY.get(lang) == currency else currency
    return f"{number(value, lang)}{NBSP}{word}"


def home_currency(lang: str) -> str:
    """The currency an amount of nothing is shown in: the reader's own (NOK in English)."""
    return HOME_CURRENCY.get(lang, "NOK")


def signed(value: int | float, lang: str, *, currency: str | None = None) -> str:
    """A change: `+5`, `-2`, `0`; amounts with their currency."""
    shown = amount(abs(value), lang, currency) if currency else number(abs(value), lang)
    return ("+" if value > 0 else "-" if value < 0 else "") + shown


def share(value: float | None, lang: str) -> str:
    """`0.75` → `75%` (en) or `75 %` (nb, sv)."""
    if value is None:
        return "–"
    percent = number(round(value * 100), lang)
    return f"{percent}%" if lang == "en" else f"{percent}{NBSP}%"


@cache  # a long report writes the same few dozen days thousands of times
def day(value: date | str, lang: str) -> str:
    """`15 September 2026` (en), `15. september 2026` (nb), `15 september 2026` (sv)."""
    value = date.fromisoformat(value) if isinstance(value, str) else value
    month = MONTHS[lang][value.month - 1]
    return f"{value.day}{'.' if lang == 'nb' else ''} {month} {value.year}"


def month_label(key: str, lang: str, *, short: bool = False) -> str:
    """`2026-09` → `September 2026`, or `Sep` when `short` (for chart axes)."""
    y, m = int(key[:4]), int(key[5:7])
    name = MONTHS[lang][m - 1]
    return name[:3] if short else f"{name} {y}"


def period(p: Period | dict, lang: str) -> str:
    """`Q3 2026` / `3. kvartal 2026` / `kvartal 3 2026`, a year, a month or a range of days."""
    if isinstance(p, dict):
        p = Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]), p["kind"])
    if p.kind == "quarter":
        return QUARTER[lang].format(q=(p.start.month - 1) // 3 + 1, year=p.start.year)
    if p.kind == "year":
        return str(p.start.year)
    if p.kind == "month":
        return month_label(p.label, lang)
    return f"{day(p.start, lang)} – {day(p.end, lang)}"
