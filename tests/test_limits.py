"""The limits of what megler takes in (megler.limits): each check gives one line."""

import json
import tomllib
from datetime import date

import pytest

from megler.errors import InvalidInput
from megler.limits import (
    FIRST_DAY,
    LAST_DAY,
    MAX_DEPTH,
    MAX_INT,
    MAX_NAME,
    MAX_PATH,
    check_day,
    check_depth,
    check_int,
    check_path,
    check_year,
    parse_nested,
)


@pytest.mark.parametrize("value", [0, 1, MAX_INT])
def test_ids_and_counts_of_63_bits_pass(value):
    assert check_int(value, "--employees") == value


@pytest.mark.parametrize("value, why", [(MAX_INT + 1, "too large"), (10**30, "too large"),
                                        (-1, "cannot be negative")])
def test_ids_and_counts_past_63_bits_or_negative_are_one_line(value, why):
    with pytest.raises(InvalidInput, match=f"--employees .*{why}"):
        check_int(value, "--employees")


def test_dates_are_kept_from_1900_to_2200():
    assert (FIRST_DAY, LAST_DAY) == (date(1900, 1, 1), date(2200, 12, 31))
    assert check_day(FIRST_DAY) == FIRST_DAY and check_day(LAST_DAY) == LAST_DAY
    for day in (date(1, 1, 1), date(1899, 12, 31), date(2201, 1, 1), date(9999, 12, 31)):
        with pytest.raises(InvalidInput, match="out of range"):
            check_day(day)


@pytest.mark.parametrize("year", [0, 1, 1899, 2201, 9999, 10**20])
def test_a_year_outside_the_limits_is_refused_before_a_date_is_made(year):
    with pytest.raises(InvalidInput, match=f"year out of range: {year}"):
        check_year(year)


def test_depth_is_counted_without_recursion():
    deep: list = []
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]
    with pytest.raises(InvalidInput, match=f"nested more than {MAX_DEPTH} levels"):
        check_depth(deep, "x.json")
    shallow = {"a": [{"b": [1, 2]}]}
    assert check_depth(shallow, "x.json") is shallow


@pytest.mark.parametrize("parse, text", [
    (json.loads, "[" * 100_000 + "]" * 100_000),         # past the recursion limit
    (json.loads, "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)),  # past MAX_DEPTH only
    (tomllib.loads, "a = " + "[" * 5_000 + "]" * 5_000),
])
def test_a_recursive_parser_on_deep_text_is_one_line(parse, text):
    with pytest.raises(InvalidInput, match="nested more than"):
        parse_nested(parse, text, "x")


def test_paths_the_file_system_can_hold_pass():
    name = "é" * (MAX_NAME // 2)  # 254 bytes: the limit counts bytes, not letters
    assert check_path(f"store/{name}", "--db") == f"store/{name}"
    assert check_path("~/megler.db", "--db") == "~/megler.db"


@pytest.mark.parametrize("path, why", [
    ("é" * 128, "256 bytes in one name"),
    ("a/" * (MAX_PATH // 2 + 1), "too long for a path"),
    ("a\x00b.db", "NUL"),
    ("~nobody-here/x.db", "no home folder ~nobody-here"),
])
def test_paths_no_file_system_can_hold_are_one_line(path, why):
    with pytest.raises(InvalidInput, match=why):
        check_path(path, "--db")
