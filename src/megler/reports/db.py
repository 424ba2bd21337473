"""Running the report's SQL: named parameters in, plain tuples out.

Dates are stored as ISO text, so the period's bounds go in as ISO text too and
compare as strings; that keeps every filter on an index.
"""

from datetime import date

from sqlalchemy import text
from sqlmodel import Session


def _params(params: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def rows(s: Session, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in s.execute(text(sql), _params(params)).all()]


def one(s: Session, sql: str, **params) -> tuple:
    return tuple(s.execute(text(sql), _params(params)).one())


def value(s: Session, sql: str, **params):
    return s.execute(text(sql), _params(params)).scalar()


def in_list(values: tuple[str, ...]) -> str:
    """A literal SQL list of fixed vocabulary words (never user text)."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"
