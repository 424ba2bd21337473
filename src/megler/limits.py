"""The limits of what megler takes in, stated once.

They are checked at the edges of the program (the command line, the editor template,
YAML, JSON import, the config file), so that nothing inside ever meets a number SQLite
cannot hold, a date Python cannot step past, or a file that costs more than its size.
"""

import os
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from megler.errors import InvalidInput

MAX_INT = 2**63 - 1            # ids and counts: SQLite's INTEGER, PostgreSQL's bigint
MAX_AMOUNT = 10**12            # kroner: more than any grant, less than a float loses
FIRST_DAY = date(1900, 1, 1)   # dates a broker's records can carry
LAST_DAY = date(2200, 12, 31)
MAX_TEXT = 20_000              # characters in one field: a long meeting note is a few thousand
MAX_DEPTH = 20                 # nesting of YAML and JSON: a catalog needs 4, an export 3
MAX_EXPANSION = 10             # YAML aliases may make a document at most this many times its file
MAX_NAME = 255                 # bytes in one file or folder name: NAME_MAX of ext4, APFS, NTFS
MAX_PATH = 4095                # bytes in a whole path: Linux's PATH_MAX, less its NUL

T = TypeVar("T")


def check_int(value: int, what: str) -> int:
    """A count or id that fits the store (0 .. MAX_INT).

    >>> check_int(2**64, "--employees")
    Traceback (most recent call last):
    megler.errors.InvalidInput: --employees is too large: 18446744073709551616 (at most 9,223,372,036,854,775,807)
    """
    if value < 0:
        raise InvalidInput(f"{what} cannot be negative: {value}")
    if value > MAX_INT:
        raise InvalidInput(f"{what} is too large: {value} (at most {MAX_INT:,})")
    return value


def check_year(year: int, what: str = "year") -> int:
    """A year of FIRST_DAY .. LAST_DAY, before a date is made of it (Python stops at 1..9999)."""
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput(f"{what} out of range: {year} (megler keeps dates from "
                           f"{FIRST_DAY} to {LAST_DAY})")
    return year


def check_day(day: date, what: str = "date") -> date:
    """A date of FIRST_DAY .. LAST_DAY: far enough from year 1 and 9999 that a period,
    a calendar stamp or `+10y` computed from it never leaves what Python can hold."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{what} out of range: {day} (megler keeps dates from "
                           f"{FIRST_DAY} to {LAST_DAY})")
    return day


def check_path(path: str | os.PathLike, what: str) -> str:
    """A path the file system could hold: no NUL, no name over MAX_NAME bytes, at most
    MAX_PATH bytes. Else one line here, not a ValueError or an OSError ("File name too
    long") from wherever the path is first used.

    >>> check_path("x" * 300 + ".db", "--db")
    Traceback (most recent call last):
    megler.errors.InvalidInput: --db is too long for a file name: 303 bytes in one name (at most 255)
    """
    try:
        raw = os.fsencode(path)  # bytes not UTF-8 in argv come back as they were
    except UnicodeError:
        raise InvalidInput(f"{what} is not valid text for a file name") from None
    if b"\0" in raw:
        raise InvalidInput(f"{what} holds a NUL character, which no file name can")
    if raw.startswith(b"~") and os.path.expanduser(raw) == raw:  # pathlib would raise
        raise InvalidInput(f"{what}: there is no home folder {os.fsdecode(raw.split(b'/')[0])}")
    longest = max(len(name) for name in raw.split(b"/"))
    if longest > MAX_NAME:
        raise InvalidInput(f"{what} is too long for a file name: {longest:,} bytes in one "
                           f"name (at most {MAX_NAME})")
    if len(raw) > MAX_PATH:
        raise InvalidInput(f"{what} is too long for a path: {len(raw):,} bytes (at most {MAX_PATH:,})")
    return os.fsdecode(raw)


def check_depth(value: object, what: str) -> object:
    """`value` if no list or mapping in it is nested deeper than MAX_DEPTH; else one line.

    Without recursion, so it is safe on anything a parser could build; returns the value
    so that a reader can write `return check_depth(json.loads(text), name)`.
    """
    level: list[tuple[object, int]] = [(value, 0)]
    while level:
        item, depth = level.pop()
        children = (item.values() if isinstance(item, dict) else
                    item if isinstance(item, (list, tuple)) else ())
        if children and depth >= MAX_DEPTH:
            raise InvalidInput(f"{what} is nested more than {MAX_DEPTH} levels deep")
        level += [(child, depth + 1) for child in children]
    return value


def parse_nested(parse: Callable[[str], T], text: str, what: str) -> T:
    """`parse(text)` for a parser that recurses (json.loads, tomllib.loads): text nested
    past Python's recursion limit is refused as too deep, like any past MAX_DEPTH."""
    try:
        parsed = parse(text)
    except RecursionError:
        raise InvalidInput(f"{what} is nested more than {MAX_DEPTH} levels deep") from None
    check_depth(parsed, what)
    return parsed
