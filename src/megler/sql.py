"""Running megler's hand-written SQL: named parameters in, plain tuples out.

Dates are stored as ISO text, so dates go in as ISO text too and compare as
strings; that keeps every filter on an index. Used where an aggregate or a hot
query reads better, or runs faster, as SQL than built from SQLAlchemy constructs
(`due`, the report, search, the CSV export).
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import text
from sqlmodel import Session


def params(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def rows(s: Session, sql: str, **values) -> list[tuple]:
    return [tuple(r) for r in s.execute(text(sql), params(values)).all()]


def one(s: Session, sql: str, **values) -> tuple:
    return tuple(s.execute(text(sql), params(values)).one())


def value(s: Session, sql: str, **values):
    return s.execute(text(sql), params(values)).scalar()


def in_list(words: Iterable[str]) -> str:
    """A literal SQL list of vocabulary words (never user text): `('a', 'b')`."""
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"
