from datetime import date

import pytest

from megler.errors import InvalidInput
from megler.reports.periods import Period, parse_period

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("text, start, end, label", [
    ("2026Q3", "2026-07-01", "2026-09-30", "2026Q3"),
    ("2026q4", "2026-10-01", "2026-12-31", "2026Q4"),
    ("2026", "2026-01-01", "2026-12-31", "2026"),
    ("2026-09", "2026-09-01", "2026-09-30", "2026-09"),
    ("2024-02", "2024-02-01", "2024-02-29", "2024-02"),
    ("2026-07-15..2026-08-14", "2026-07-15", "2026-08-14", "2026-07-15..2026-08-14"),
    ("last-quarter", "2026-07-01", "2026-09-30", "2026Q3"),
    ("this-quarter", "2026-10-01", "2026-12-31", "2026Q4"),
    (None, "2026-07-01", "2026-09-30", "2026Q3"),
])
def test_periods(text, start, end, label):
    period = parse_period(text, TODAY)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)


def test_last_quarter_in_january_is_last_years_q4():
    assert parse_period("last-quarter", date(2027, 1, 5)).label == "2026Q4"


@pytest.mark.parametrize("text, previous", [
    ("2026Q1", "2025Q4"), ("2026Q3", "2026Q2"), ("2026", "2025"), ("2026-01", "2025-12"),
    ("2026-03", "2026-02"), ("2026-07-15..2026-08-14", "2026-06-14..2026-07-14"),
])
def test_previous_period_has_the_same_length(text, previous):
    period = parse_period(text, TODAY)
    assert period.previous().label == previous
    if period.kind == "range":
        assert period.previous().days == period.days


@pytest.mark.parametrize("text", [
    "2026Q5", "2026Q0", "Q3", "26Q3", "2026-13", "2026-00", "2026-9", "next-quarter", "",
    "2026-09-31..2026-10-01", "2026-10-01..2026-09-01", "2026-07-01..", "..2026-09-30",
    "2026-7-1..2026-9-30", "quarter", "2026Q3..2026Q4",
])
def test_malformed_periods_are_user_errors(text):
    with pytest.raises(InvalidInput) as e:
        parse_period(text, TODAY)
    assert "\n" not in str(e.value)


def test_months_of_a_period():
    assert Period(date(2026, 11, 15), date(2027, 2, 1)).months() == [
        (2026, 11), (2026, 12), (2027, 1), (2027, 2)]
