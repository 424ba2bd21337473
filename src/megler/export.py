"""`megler export` and `megler import`: the whole store as one JSON document, and back;
or one table (visits, needs, referrals) as CSV for a spreadsheet.

`export_all` writes every row of every table; `import_all` rebuilds a store from such
a document. Both walk the tables of the schema, so a new table travels without new code.
"""

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel

import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)
from megler import __version__
from megler.errors import InvalidInput
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
        s.execute(insert(table).values(typed(table, row)))
    except (ValueError, TypeError) as e:
        raise InvalidInput(f"{where}: {e}") from None
    except (IntegrityError, StatementError) as e:
        raise InvalidInput(f"{where}: {getattr(e, 'orig', e)}") from None


def typed(table, row: dict) -> dict:
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS[what])
    writer.writerows([_safe(v) for v in row] for row in rows(s, _QUERIES[what]))
    return out.getvalue()


def _safe(value: object) -> object:
    """A spreadsheet runs a cell starting with = + - @ as a formula; a note typed as
    "=HYPERLINK(...)" must stay text, so such cells get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
