"""`megler export` and `megler import`: the whole store as one JSON document, and back;
or one table (visits, needs, referrals) as CSV for a spreadsheet.

`export_all` writes every row of every table; `import_all` rebuilds a store from such
a document. Both walk the tables of the schema, so a new table travels without new code.
"""

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel

import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)
from megler import __version__
from megler.errors import InvalidInput
from megler.files import csv_text
from megler.import_rules import check_histories, checked, column_type
from megler.limits import MAX_DEPTH, check_depth
from megler.sql import rows

FORMAT = "megler-export"
VERSION = 1


# The audit and undo logs tell the history of one file, not the data: they stay with its store.
LOCAL_TABLES = {"audit", "undo"}


def _data_tables() -> list:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in LOCAL_TABLES]


def export_all(s: Session) -> dict[str, Any]:
    tables = {t.name: [dict(row._mapping) for row in s.execute(select(t).order_by(*t.primary_key))]
              for t in _data_tables()}
    return {"format": FORMAT, "version": VERSION, "megler": __version__, "tables": tables}


# An export costs memory a few times its size while it is read; a decade of a network
# (20,000 orgs, 200,000 visits) is a few hundred MB, so a bigger file is not an export.
MAX_EXPORT_BYTES = 1 << 30


def read_document(path: Path) -> Any:
    """The JSON of an export file, refused in one line if it is too big, not UTF-8 JSON,
    or nested deeper than any export (before anything recurses into it)."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_EXPORT_BYTES:
                raise _too_big()
            raw = f.read(MAX_EXPORT_BYTES + 1)  # a device or pipe has no size to ask
    except OSError as e:
        raise InvalidInput(f"cannot read the export: {e.strerror}") from None
    if len(raw) > MAX_EXPORT_BYTES:
        raise _too_big()
    try:
        document = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise InvalidInput(f"cannot read the export: nested more than {MAX_DEPTH} levels deep") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"cannot read the export: {e}") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise InvalidInput("cannot read the export: it holds a number too long for any field") from None
    check_depth(document, "the export")
    return document


def _too_big() -> InvalidInput:
    return InvalidInput(f"cannot read the export: larger than {MAX_EXPORT_BYTES >> 20:,} MB, "
                        "more than any store exports")


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
    counts: dict[str, int] = {}
    known: dict[str, set] = {}  # the ids imported so far, per table
    for table in _data_tables():
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise InvalidInput(f"table {table.name}: not a list of rows")
        known[table.name] = {_insert(s, table, number, row, known) for number, row in enumerate(rows, 1)}
        counts[table.name] = len(rows)
    check_histories(s)
    return counts


def _insert(s: Session, table, number: int, row: Any, known: dict[str, set]) -> Any:
    """Insert one row checked by the CLI's own rules (megler.import_rules); its id."""
    where = f"table {table.name}, row {number}"
    if not isinstance(row, dict):
        raise InvalidInput(f"{where}: not an object")
    if isinstance(row.get("id"), int):
        where += f" (id {row['id']})"
    try:
        result = cast(CursorResult, s.execute(insert(table).values(checked(table, row, known))))
    except InvalidInput as e:
        raise InvalidInput(f"{where}, {e}") from None
    except (IntegrityError, StatementError) as e:
        raise InvalidInput(f"{where}: {getattr(e, 'orig', e)}") from None
    key = result.inserted_primary_key
    return key[0] if key and table.autoincrement_column is not None else None


def typed(table, row: dict) -> dict:
    """JSON has no dates: turn ISO strings back into what the columns hold."""
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise InvalidInput(f"table {table.name}: unknown fields {', '.join(sorted(unknown))}")
    out = {}
    for key, value in row.items():
        kind = column_type(table.columns[key])
        if isinstance(value, str) and kind in (dt.date, dt.datetime):
            value = kind.fromisoformat(value)
        out[key] = value
    return out


# -- one table as CSV -------------------------------------------------------------------

WHAT = ("visits", "needs", "referrals")

_QUERIES = {
    "visits": """
        SELECT v.id, v.date, v.kind,
               (SELECT group_concat(o.name, '; ') FROM
                  (SELECT o.name FROM visitorg vo JOIN org o ON o.id = vo.org_id
                   WHERE vo.visit_id = v.id ORDER BY vo.position) o) AS orgs,
               v.since_last, v.next_steps, v.notes
        FROM visit v ORDER BY v.date, v.id""",
    "needs": """
        SELECT n.id, n.date, n.org_id, o.name AS org, n.kind, n.status, n.people, n.text,
               n.visit_id, n.closed_on
        FROM need n JOIN org o ON o.id = n.org_id ORDER BY n.date, n.id""",
    "referrals": """
        SELECT r.id, r.date, r.need_id, o.name AS org, r.target, c.kind AS target_kind,
               COALESCE(c.agency, c.provider) AS agency, r.status, r.amount_applied,
               r.amount_granted, r.participants, r.note
        FROM referral r JOIN need n ON n.id = r.need_id JOIN org o ON o.id = n.org_id
        LEFT JOIN catalogentry c ON c.id = r.entry_id ORDER BY r.date, r.id""",
}
_COLUMNS = {
    "visits": ["id", "date", "kind", "orgs", "since_last", "next_steps", "notes"],
    "needs": ["id", "date", "org_id", "org", "kind", "status", "people", "text", "visit_id",
              "closed_on"],
    "referrals": ["id", "date", "need_id", "org", "target", "target_kind", "agency", "status",
                  "amount_applied", "amount_granted", "participants", "note"],
}


def export_csv(s: Session, what: str) -> str:
    """All visits, needs or referrals as CSV with a header row, oldest first.

    Example: export_csv(s, "needs") starts `id,date,org_id,org,kind,status,...`
    """
    if what not in WHAT:
        raise InvalidInput(f"cannot export {what!r} as CSV (choose from {', '.join(WHAT)})")
    return csv_text(_COLUMNS[what], rows(s, _QUERIES[what]))  # formulas kept as text
