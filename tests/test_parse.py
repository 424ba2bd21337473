from datetime import date

import pytest

from megler.errors import InvalidInput
from megler.parse import (
    clean_text,
    parse_amount,
    parse_choice,
    parse_count,
    parse_date,
    parse_money,
)

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


# Every form of an amount a Nordic broker writes, and what megler reads it as.
AMOUNTS = [
    ("250000", 250_000, None), ("250 000", 250_000, None), ("250\u00a0000", 250_000, None),
    ("250_000", 250_000, None), ("400.000", 400_000, None), ("1.250.000", 1_250_000, None),
    ("400,000", 400_000, None), ("1,250,000", 1_250_000, None), ("1.500", 1_500, None),
    ("1.250.000,00", 1_250_000, None), ("1,250,000.00", 1_250_000, None),
    ("250000,00", 250_000, None), ("1 500 000,-", 1_500_000, None), ("250 000:-", 250_000, None),
    ("1,5 mill", 1_500_000, None), ("1,5 mill.", 1_500_000, None), ("1.5M", 1_500_000, None),
    ("1,5m", 1_500_000, None), ("3 millioner", 3_000_000, None), ("2 miljoner kronor", 2_000_000, None),
    ("2,5 mio", 2_500_000, None), ("300k", 300_000, None), ("300 tusen", 300_000, None),
    ("500 tkr", 500_000, None), ("2 mkr", 2_000_000, None), ("1 mrd", 1_000_000_000, None),
    ("kr 250 000", 250_000, None), ("kr. 5 000", 5_000, None), ("12 500 kr", 12_500, None),
    ("1 250 000 kroner", 1_250_000, None), ("250 000 SEK", 250_000, "SEK"),
    ("12000 NOK", 12_000, "NOK"), ("NOK 1,2 mill", 1_200_000, "NOK"), ("1.5 MNOK", 1_500_000, "NOK"),
    ("2,5 MSEK", 2_500_000, "SEK"), ("0", 0, None), (4500, 4_500, None),
]


@pytest.mark.parametrize("text, expected, currency", AMOUNTS)
def test_amounts_as_nordic_brokers_write_them(text, expected, currency):
    assert parse_money(text) == (expected, currency)
    assert parse_amount(text) == expected


def test_the_table_of_forms_is_long_enough():
    assert len(AMOUNTS) >= 30


@pytest.mark.parametrize("text, why", [
    ("-5", "not an amount"), ("lots", "not an amount"), ("12 000 EUR", "not an amount"),
    ("", "not an amount"), ("1e6", "not an amount"), ("12 34", "not an amount"),
    ("1,,000", "not an amount"), ("1.000.00", "not an amount"), (".5M", "not an amount"),
    ("1.5", "not whole kroner"), ("1,5", "not whole kroner"), ("12,50", "not whole kroner"),
    ("1.2345k", "not whole kroner"), ("NOK 5 SEK", "both NOK and SEK"),
])
def test_what_cannot_be_read_without_guessing_is_refused(text, why):
    with pytest.raises(InvalidInput, match=why):
        parse_money(text)


def test_a_refusal_names_the_forms_that_work():
    with pytest.raises(InvalidInput, match="400.000, 1,5 mill, 1.5M, 300k"):
        parse_amount("fire hundre tusen")


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
