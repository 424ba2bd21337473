from datetime import date

import pytest

from megler.errors import InvalidInput
from megler.parse import clean_text, parse_amount, parse_choice, parse_count, parse_date

BASE = date(2026, 1, 31)


@pytest.mark.parametrize("text, expected", [
    ("2026-09-15", date(2026, 9, 15)),
    (" 2026-09-15 ", date(2026, 9, 15)),
    ("today", BASE), ("Today", BASE),
    ("yesterday", date(2026, 1, 30)), ("tomorrow", date(2026, 2, 1)),
    ("+3d", date(2026, 2, 3)), ("-1w", date(2026, 1, 24)), ("+2w", date(2026, 2, 14)),
    ("+1m", date(2026, 2, 28)),   # the 31st plus a month lands on the month's end
    ("+13m", date(2027, 2, 28)), ("-1y", date(2025, 1, 31)),
])
def test_dates_a_broker_types(text, expected):
    assert parse_date(text, base=BASE) == expected


def test_a_month_from_the_31st_in_a_leap_year_is_the_29th():
    assert parse_date("+1m", base=date(2028, 1, 31)) == date(2028, 2, 29)


@pytest.mark.parametrize("text", [
    "2026-02-30", "2026-13-01", "15.09.2026", "2026/09/15", "next week", "", "+3", "3d",
    "+99999d", "2026-9-15",
])
def test_malformed_dates_are_refused_with_the_accepted_forms(text):
    with pytest.raises(InvalidInput, match="not a date.*YYYY-MM-DD"):
        parse_date(text, base=BASE)


@pytest.mark.parametrize("text", ["+9999y", "-9999y", "-2100y"])
def test_dates_beyond_the_calendar_are_a_user_error(text):
    with pytest.raises(InvalidInput, match="not a date"):
        parse_date(text, base=BASE)


def test_relative_dates_count_from_megler_today(monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2026-03-01")
    assert parse_date("yesterday") == date(2026, 2, 28)


@pytest.mark.parametrize("text, expected", [
    ("250000", 250_000), ("250 000", 250_000), ("250_000", 250_000), ("1.5M", 1_500_000),
    ("1,5m", 1_500_000), ("300k", 300_000), ("kr 12 000", 12_000), ("12000 NOK", 12_000),
    ("0", 0), (4500, 4500),
])
def test_amounts(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["-5", "-1.5M", "lots", "12 000 EUR", "", "1e6"])
def test_bad_or_negative_amounts_are_refused(text):
    with pytest.raises(InvalidInput, match="not an amount"):
        parse_amount(text)


def test_counts_cannot_be_negative():
    assert parse_count(0, "participants") == 0
    with pytest.raises(InvalidInput, match="participants cannot be negative: -2"):
        parse_count(-2, "participants")


@pytest.mark.parametrize("text, expected", [
    ("applied", "applied"), ("APPLIED", "applied"), ("gra", "granted"), (" enrolled ", "enrolled"),
])
def test_choices_take_case_and_unambiguous_prefixes(text, expected):
    choices = ("applied", "granted", "declined", "enrolled")
    assert parse_choice(text, choices, "status") == expected


@pytest.mark.parametrize("text", ["", "x", "approved"])
def test_unknown_choices_name_the_allowed_ones(text):
    with pytest.raises(InvalidInput, match="unknown status.*applied, granted"):
        parse_choice(text, ("applied", "granted", "granular"), "status")


def test_an_ambiguous_prefix_is_unknown():
    with pytest.raises(InvalidInput, match="unknown status: 'gran'"):
        parse_choice("gran", ("applied", "granted", "granular"), "status")


def test_clean_text_strips_and_keeps_norwegian_and_swedish_letters():
    assert clean_text("  Sveis på Årjäng – ÆØÅ äöå  ") == "Sveis på Årjäng – ÆØÅ äöå"
    assert clean_text("   ") is None
    assert clean_text(None) is None
    assert clean_text("line one\nline two\ttab") == "line one\nline two\ttab"


def test_clean_text_refuses_control_characters():
    with pytest.raises(InvalidInput, match="control characters"):
        clean_text("bell\x07")
