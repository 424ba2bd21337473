"""One broker's report: the report's own SQL, run on that broker's records alone.

For the length of a `with one_brokers(s, NAME)` block the session sees temporary views
named as the tables that hold a broker's records (visit, need, referral, its events,
follow-up), each narrowed to that broker's rows. SQLite and PostgreSQL both look up an
unqualified name among the temporary objects first, so every query of the report runs
unchanged on them: a broker's figures are counted by exactly the rules of the network's,
and the brokers' figures add up to the network's. A referral counts for the broker of
the need it answers (who normally made it), so that it always meets its need.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from megler.sql import on_postgres, value

# The tables narrowed to one broker, and how (`{t}` is the table itself, schema and all).
_THEIR_NEEDS = "SELECT id FROM {schema}.need WHERE {whose}"
NARROWED = {
    "visit": "SELECT * FROM {t} WHERE {whose}",
    "need": "SELECT * FROM {t} WHERE {whose}",
    "referral": f"SELECT * FROM {{t}} WHERE need_id IN ({_THEIR_NEEDS})",
    "followup": "SELECT * FROM {t} WHERE {whose}",
    "referralevent": f"SELECT * FROM {{t}} WHERE referral_id IN (SELECT id FROM {{schema}}.referral "
                     f"WHERE need_id IN ({_THEIR_NEEDS}))",
}
NOBODY = None  # the records from before megler kept brokers


@contextmanager
def one_brokers(s: Session, broker: str | None) -> Iterator[None]:
    """The session sees only `broker`'s records (NOBODY: the ones with no broker)."""
    schema = value(s, "SELECT current_schema()") if on_postgres(s) else "main"
    whose = "broker IS NULL" if broker is NOBODY else f"broker = {_literal(broker)}"
    temp = "pg_temp" if on_postgres(s) else "temp"
    for table, query in NARROWED.items():
        _run(s, f"CREATE TEMP VIEW {table} AS " + query.format(t=f"{schema}.{table}", schema=schema,
                                                               whose=whose))
    try:
        yield
    finally:
        for table in NARROWED:
            _run(s, f"DROP VIEW IF EXISTS {temp}.{table}")


def _run(s: Session, statement: str) -> None:
    # psycopg reads `%` as a placeholder even in a statement run without parameters
    s.connection().exec_driver_sql(statement.replace("%", "%%") if on_postgres(s) else statement)


def _literal(text: str) -> str:
    """A name as an SQL string literal (a view's definition takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def brokers_of(s: Session) -> list[str | None]:
    """Everyone who recorded something, by name (NOBODY last, if there are such records)."""
    found = {b for table in NARROWED if table != "referralevent"
             for (b,) in s.connection().exec_driver_sql(f"SELECT DISTINCT broker FROM {table}")}
    return sorted(b for b in found if b is not None) + ([NOBODY] if NOBODY in found else [])
