"""Property tests for every parser of what a broker types: each either returns a clean
value or raises InvalidInput (one line for the user), never anything else."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from megler.errors import InvalidInput
from megler.limits import FIRST_DAY, LAST_DAY
from megler.orgs import validate_orgnr
from megler.parse import parse_amount, parse_choice, parse_date
from megler.vocabulary import Country, NeedKind, OrgKind, ReferralStatus, VisitKind

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
junk = st.text(st.characters(codec="utf-8"), max_size=40)
base_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
kept_days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)  # what megler.limits keeps


def _only_invalid_input(parse, *args):
    if parse is parse_date and len(args) == 2:
        args, kwargs = args[:1], {"base": args[1]}
    else:
        kwargs = {}
    try:
        return parse(*args, **kwargs)
    except InvalidInput as e:
        assert "\n" not in str(e)
        return None


# -- dates ---------------------------------------------------------------------------

@SETTINGS
@given(kept_days)
def test_iso_dates_round_trip(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"  {day.isoformat()}  ") == day


@SETTINGS
@given(st.one_of(st.dates(max_value=FIRST_DAY - timedelta(days=1)),
                 st.dates(min_value=LAST_DAY + timedelta(days=1))))
@example(date(1, 1, 1))
@example(date(9999, 12, 31))
def test_iso_dates_outside_the_limits_are_invalid_input(day):
    with pytest.raises(InvalidInput, match="out of range"):
        parse_date(day.isoformat())


@SETTINGS
@given(base_days, st.integers(-9999, 9999), st.sampled_from("dw"))
def test_relative_days_and_weeks_count_from_the_base(base, count, unit):
    text = f"{'+' if count >= 0 else '-'}{abs(count)}{unit}"
    expected = base + timedelta(days=count * (7 if unit == "w" else 1))
    if FIRST_DAY <= expected <= LAST_DAY:
        assert parse_date(text, base=base) == expected
    else:  # a step past the limits is refused, not wrapped or clamped
        with pytest.raises(InvalidInput, match="out of range"):
            parse_date(text, base=base)


@SETTINGS
@given(base_days, st.integers(-999, 999))
def test_relative_months_land_in_the_right_month(base, months):
    text = f"{'+' if months >= 0 else '-'}{abs(months)}m"
    got = parse_date(text, base=base)
    assert (got.year * 12 + got.month) - (base.year * 12 + base.month) == months
    assert got.day == base.day or got.day >= 28  # the 31st plus a month ends the month


@SETTINGS
@given(junk, base_days)
@example("+9999y", date(9999, 1, 1))
@example("2026-02-30", date(2026, 1, 1))
@example("\x00", date(2026, 1, 1))
def test_any_text_is_a_date_or_invalid_input(text, base):
    got = _only_invalid_input(parse_date, text, base)
    assert got is None or isinstance(got, date)


# -- amounts -------------------------------------------------------------------------

@SETTINGS
@given(st.integers(0, 10**12))
def test_whole_amounts_round_trip_in_every_spelling(n):
    grouped = f"{n:,}".replace(",", " ")
    assert parse_amount(str(n)) == n
    assert parse_amount(grouped) == n
    assert parse_amount(f"{n:_}") == n
    assert parse_amount(f"kr {grouped}") == n
    assert parse_amount(f"{n} NOK") == n
    assert parse_amount(n) == n


@SETTINGS
@given(st.integers(0, 10**6), st.sampled_from(["k", "K", "m", "M"]))
def test_thousands_and_millions(n, suffix):
    factor = 1000 if suffix.lower() == "k" else 1_000_000
    assert parse_amount(f"{n}{suffix}") == n * factor


@SETTINGS
@given(junk)
@example("1e9")
@example("-5")
@example("1.2.3")
def test_any_text_is_an_amount_or_invalid_input(text):
    value = _only_invalid_input(parse_amount, text)
    assert value is None or (isinstance(value, int) and value >= 0)


def test_a_huge_amount_is_invalid_input():
    with pytest.raises(InvalidInput):
        parse_amount("9" * 400)


# -- choices -------------------------------------------------------------------------

VOCABULARIES = [tuple(v) for v in (VisitKind, NeedKind, ReferralStatus, OrgKind, Country)]
LOWER_CASE = [v for v in VOCABULARIES if all(w == w.lower() for w in v)]  # Country is upper-cased by its caller


@SETTINGS
@given(st.sampled_from(LOWER_CASE).flatmap(lambda v: st.tuples(st.just(v), st.sampled_from(v))),
       st.sampled_from([str.lower, str.upper, str.title, lambda s: f"  {s} "]))
def test_every_choice_is_found_in_any_case(vocabulary_and_word, spell):
    vocabulary, word = vocabulary_and_word
    assert parse_choice(spell(word), vocabulary, "thing") == word


@SETTINGS
@given(st.sampled_from(VOCABULARIES), junk)
def test_a_choice_is_one_of_them_or_invalid_input(vocabulary, text):
    got = _only_invalid_input(parse_choice, text, vocabulary, "thing")
    assert got is None or got in vocabulary
    if got is not None and text.strip().lower() not in vocabulary:
        # a prefix is accepted only if it picks one word alone
        assert [c for c in vocabulary if c.startswith(text.strip().lower())] == [got]


# -- org numbers ---------------------------------------------------------------------

def _no_orgnr(body: list[int]) -> str | None:
    check = 11 - sum(d * w for d, w in zip(body, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    return None if check == 10 else "".join(map(str, body)) + str(check % 11)


def _se_orgnr(body: list[int]) -> str:
    total = 0
    for i, d in enumerate(body):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, body)) + str(-total % 10)


@SETTINGS
@given(st.lists(st.integers(0, 9), min_size=7, max_size=7), st.sampled_from([8, 9]),
       st.sampled_from(["", " ", ".", "-"]))
def test_valid_norwegian_numbers_round_trip(digits, first, gap):
    number = _no_orgnr([first, *digits])
    assume(number)
    spelled = gap.join([number[:3], number[3:6], number[6:]])
    assert validate_orgnr(spelled) == (number, "NO")


@SETTINGS
@given(st.lists(st.integers(0, 9), min_size=7, max_size=7), st.sampled_from([2, 5, 7, 8, 9]),
       st.sampled_from([0, 1, 2]))
def test_valid_swedish_numbers_round_trip(digits, first, third):
    body = [first, digits[0], max(third, 2), *digits[1:]]  # third digit >= 2 for orgs
    number = _se_orgnr(body)
    got = _only_invalid_input(validate_orgnr, f"{number[:6]}-{number[6:]}")
    assume(got is not None)  # stdnum also checks the org-form digit
    assert got == (number, "SE")


@SETTINGS
@given(st.one_of(st.text("0123456789", min_size=0, max_size=14), junk,
                 st.text("0123456789 .-", max_size=16)),
       st.sampled_from([None, "NO", "SE"]))
def test_any_digits_are_an_org_number_or_invalid_input(text, country):
    got = _only_invalid_input(validate_orgnr, text, country)
    assert got is None or (re.fullmatch(r"\d{9,10}", got[0]) and got[1] in ("NO", "SE"))


# -- periods -------------------------------------------------------------------------

periods = pytest.importorskip("megler.reports.periods")


@SETTINGS
@given(st.integers(1900, 2200), st.integers(1, 4), base_days)
def test_quarters_round_trip(year, q, today):
    got = periods.parse_period(f"{year}Q{q}", today)
    assert (got.start, got.label) == (date(year, 3 * q - 2, 1), f"{year}Q{q}")
    assert got.end + timedelta(days=1) == periods.quarter_of(got.end + timedelta(days=1)).start


@SETTINGS
@given(kept_days, kept_days, base_days)
def test_ranges_round_trip(a, b, today):
    first, last = min(a, b), max(a, b)
    got = periods.parse_period(f"{first}..{last}", today)
    assert (got.start, got.end) == (first, last)


@pytest.mark.parametrize("text", ["2026-01-01..9999-12-31", "0001-01-01..2026-01-01",
                                  "1899Q4", "2201", "2201-01"])
def test_a_period_past_the_limits_is_invalid_input(text):
    with pytest.raises(InvalidInput, match="out of range"):
        periods.parse_period(text, date(2026, 1, 1))


@SETTINGS
@given(st.one_of(junk, st.from_regex(r"\d{4}[-qQ ]?\d{0,2}(\.\.\S{0,12})?", fullmatch=True)),
       base_days)
@example("0000", date(2026, 1, 1))
@example("2026-13", date(2026, 1, 1))
@example("2026Q5", date(2026, 1, 1))
@example("2026-09-30..2026-07-01", date(2026, 1, 1))
def test_any_text_is_a_period_or_invalid_input(text, today):
    got = _only_invalid_input(periods.parse_period, text, today)
    assert got is None or got.start <= got.end
