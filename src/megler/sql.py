"""Running megler's hand-written SQL: named parameters in, plain tuples out.

Dates are stored as ISO text, so dates go in as ISO text too and compare as
strings; that keeps every filter on an index. Used where an aggregate or a hot
query reads better, or runs faster, as SQL than built from SQLAlchemy constructs
(`due`, the report, search, the CSV export).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import func, text
from sqlmodel import Session

NO_LIMIT = 2**63 - 1  # LIMIT :limit with no limit: SQLite's -1 is an error on PostgreSQL


def params(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def rows(s: Session, sql: str, **values) -> list[tuple]:
    found = s.execute(text(sql), params(values)).all()
    return [_as_text(r) for r in found] if on_postgres(s) else [tuple(r) for r in found]


def one(s: Session, sql: str, **values) -> tuple:
    found = s.execute(text(sql), params(values)).one()
    return _as_text(found) if on_postgres(s) else tuple(found)


def value(s: Session, sql: str, **values):
    found = s.execute(text(sql), params(values)).scalar()
    return _as_text((found,))[0] if on_postgres(s) else found


def statement(s: Session, sql: str) -> None:
    """Run SQL that takes no parameters (DDL, several statements on PostgreSQL) in the
    session's transaction, straight on the driver: psycopg would read any `%` in it as
    a placeholder through SQLAlchemy."""
    raw = s.connection().connection.driver_connection
    assert raw is not None  # the session's connection is open
    raw.execute(sql)


@contextmanager
def unprepared(s: Session) -> Iterator[None]:
    """Every statement parsed afresh for the length of the block. psycopg prepares a
    statement the fifth time a connection runs it, and PostgreSQL re-parses a prepared
    statement only when a table it read changes, not when a temporary view of the same
    name comes before it (reports/scope.py's views): the statement would read the whole
    table still. SQLite re-prepares a statement when any schema changes, its own included."""
    if not on_postgres(s):
        yield
        return
    raw = s.connection().connection.driver_connection
    kept = raw.prepare_threshold  # type: ignore[union-attr]
    raw.prepare_threshold = None  # type: ignore[union-attr]  # neither prepares nor uses one
    try:
        yield
    finally:
        raw.prepare_threshold = kept  # type: ignore[union-attr]


def on_postgres(s: Session) -> bool:
    """Is the session on PostgreSQL? Where the backends differ (PostgreSQL gives a DATE
    column as a date, where SQLite gives the ISO text this module's callers read), the
    store layer asks this."""
    return s.bind.dialect.name == "postgresql"  # type: ignore[union-attr]


def _as_text(row) -> tuple:
    return tuple(v.isoformat() if type(v) is date else v for v in row)


def in_list(words: Iterable[str]) -> str:
    """A literal SQL list of vocabulary words (never user text): `('a', 'b')`."""
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"


class Page(list):
    """The rows a list shows (at most the limit asked for) and how many there are in all."""

    def __init__(self, rows: Iterable, total: int) -> None:
        super().__init__(rows)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def paged(s: Session, query, limit: int | None, row: Callable[..., object]) -> Page:
    """At most `limit` results of `query` (None: all) as `row(*result)`, and their count.

    The count rides along as a window over the same query, so a list costs one query
    and SQLite stops turning rows into objects at the limit (a long list is 100,000
    needs: Python objects for each, let alone a table of them, take minutes).
    """
    counted = query.add_columns(func.count().over())
    results = s.execute(counted if limit is None else counted.limit(limit)).all()
    total = results[0][-1] if results else 0
    return Page((row(*r[:-1]) for r in results), total)
