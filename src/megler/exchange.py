"""The whole store as one JSON document, and back.

`export_all` writes every row of every table; `import_all` rebuilds a store from such
a document. Both walk the tables of the schema, so a new table travels without new code.
"""

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel

import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)
from megler import __version__
from megler.errors import InvalidInput

FORMAT = "megler-export"
VERSION = 1


# The audit log tells the history of one file, not the data: it stays with its store.
LOCAL_TABLES = {"audit"}


def _data_tables() -> list:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in LOCAL_TABLES]


def export_all(s: Session) -> dict[str, Any]:
    tables = {t.name: [dict(row._mapping) for row in s.execute(select(t).order_by(*t.primary_key))]
              for t in _data_tables()}
    return {"format": FORMAT, "version": VERSION, "megler": __version__, "tables": tables}


def import_all(s: Session, document: dict[str, Any]) -> dict[str, int]:
    """Fill an empty store from an export; returns rows per table."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput("not a megler export (no \"format\": \"megler-export\")")
    if document.get("version") != VERSION:
        raise InvalidInput(f"unknown export version {document.get('version')!r}")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput("the export holds no tables")
    unknown = set(tables) - set(SQLModel.metadata.tables)
    if unknown:
        raise InvalidInput(f"the export has an unknown table {', '.join(sorted(unknown))}")
    if any(s.execute(select(t).limit(1)).first() for t in _data_tables()):
        raise InvalidInput("the store is not empty; import into a new store (--db NEW.db)")
    counts = {}
    for table in _data_tables():
        rows = tables.get(table.name, [])
        for number, row in enumerate(rows, start=1):
            _insert(s, table, number, row)
        counts[table.name] = len(rows)
    return counts


def _insert(s: Session, table, number: int, row: Any) -> None:
    where = f"table {table.name}, row {number}"
    if not isinstance(row, dict):
        raise InvalidInput(f"{where}: not an object")
    try:
        s.execute(insert(table).values(_typed(table, row)))
    except (ValueError, TypeError) as e:
        raise InvalidInput(f"{where}: {e}") from None
    except (IntegrityError, StatementError) as e:
        raise InvalidInput(f"{where}: {getattr(e, 'orig', e)}") from None


def _typed(table, row: dict) -> dict:
    """JSON has no dates: turn ISO strings back into what the columns hold."""
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise InvalidInput(f"table {table.name}: unknown fields {', '.join(sorted(unknown))}")
    out = {}
    for key, value in row.items():
        kind = _python_type(table.columns[key])
        if isinstance(value, str) and kind in (dt.date, dt.datetime):
            value = kind.fromisoformat(value)
        out[key] = value
    return out


def _python_type(column) -> type | None:
    try:  # a TypeDecorator (sqlmodel's UTCDateTime) answers for the type it stores
        return getattr(column.type, "impl", column.type).python_type
    except NotImplementedError:
        return None
