"""`megler export` and `megler import`: the whole store as one JSON document, and back;
or one noun's table (orgs, contacts, visits, needs, referrals, follow-ups) as CSV, or all of
them and the report's figures as an xlsx workbook, for a spreadsheet.

`export_all` writes every row of every table; `import_all` rebuilds a store from such
a document. Both walk the tables of the schema, so a new table travels without new code.
"""

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import chain, count, groupby, islice
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)
from megler import __version__
from megler.errors import InvalidInput
from megler.files import PLAIN, CsvDialect, Encoded, Fields, csv_text
from megler.import_rules import check_histories, checked, column_type
from megler.jsonstream import JsonError, JsonStream
from megler.limits import MAX_DEPTH, check_depth, check_int
from megler.progress import steps
from megler.sql import on_postgres

FORMAT = "megler-export"
VERSION = 1


# Undo's before-images belong to one file's transactions: they stay with its store.
LOCAL_TABLES = {"undo"}


def _data_tables() -> list:
    """The tables an export holds, the audit log first: an import puts its old rows back,
    ids and all, before its own rows follow them."""
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in LOCAL_TABLES]
    return sorted(tables, key=lambda t: t.name != "audit")


def export_document(s: Session) -> dict[str, Any]:
    """The whole store as the export document, each table read row by row while it is
    written (files.json_chunks): the memory it takes stays flat in the store's size."""
    tables = Fields((t.name, _rows(s, t)) for t in steps(_data_tables(), "Exporting"))
    return {"format": FORMAT, "version": VERSION, "megler": __version__,
            "sequences": _sequences(s), "tables": tables}


def _sequences(s: Session) -> dict[str, int]:
    """The highest id each table ever gave (SQLite's sqlite_sequence): an erased org's id
    above the rest must not come back in the imported store, where the log names it."""
    if on_postgres(s):
        from megler import postgres

        return postgres.sequences(s.connection(), [t.name for t in SQLModel.metadata.sorted_tables if "id" in t.c])
    return dict(s.connection().exec_driver_sql("SELECT name, seq FROM sqlite_sequence ORDER BY name").all())


def _set_sequences(s: Session, sequences: Any) -> None:
    if not isinstance(sequences, dict) or not all(
            name in SQLModel.metadata.tables and isinstance(seq, int) and not isinstance(seq, bool)
            for name, seq in sequences.items()):
        raise InvalidInput('"sequences" should map tables to the highest id each gave')
    if on_postgres(s):  # its sequences do not follow the ids inserted: each is set
        from megler import postgres

        for table in (t for t in _data_tables() if "id" in t.c):
            postgres.set_sequence(s.connection(), table.name, check_int(
                sequences.get(table.name, 0), f"the sequence of {table.name}"))
        return
    for name, seq in sequences.items():
        check_int(seq, f"the sequence of {name}")
        s.connection().exec_driver_sql(  # the row exists once a table has had a row
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name))
        s.connection().exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = ?)", (name, seq, name))


def _rows(s: Session, table, batch: int = 1000) -> Encoded:
    """The rows of `table` as JSON text, written by the store itself (SQLite's json_object,
    PostgreSQL's row_to_json): a decade's store is millions of rows, and turning each into
    Python objects first took 15× `due`."""
    order = ", ".join(f'"{c.name}"' for c in table.primary_key)
    cursor = _streaming_cursor(s)
    if on_postgres(s):  # its JSON writes a datetime's fraction as _as_json does on SQLite
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        cursor.execute(f'SELECT row_to_json(t)::text FROM (SELECT {names} FROM "{table.name}" '
                       f'ORDER BY {order}) t')
    else:
        fields = ", ".join(f"'{c.name}', {_as_json(c)}" for c in table.columns)
        cursor.execute(f'SELECT json_object({fields}) FROM "{table.name}" ORDER BY {order}')
    return Encoded(iter(lambda: [row for (row,) in cursor.fetchmany(batch)], []))


_cursors = count(1)


def _streaming_cursor(s: Session):
    """A cursor that hands rows over as they are read. On PostgreSQL a server-side one:
    psycopg's own reads the whole result into memory at execute (695 MB at a decade)."""
    raw = s.connection().connection.driver_connection
    assert raw is not None  # the session's connection is open
    return raw.cursor(name=f"megler_export_{next(_cursors)}") if on_postgres(s) else raw.cursor()


def _as_json(column) -> str:
    """The SQL that gives a column's value as the export writes it (as Python's json
    would): booleans as true/false, JSON columns as JSON, a float in the fewest digits that
    read back as the same number (SQLite's own JSON gives 15, which would round 0.1 + 0.2
    to 0.3), and a datetime in ISO 8601 as PostgreSQL's JSON writes it, the second's
    fraction without trailing zeros (08:30:01.00025; padding it there cost a decade's
    export 1.5 s of its 9.5), so the two backends write the same document."""
    name, kind = f'"{column.name}"', column_type(column)
    if kind is list:
        return f"json({name})"
    if kind is bool:
        return f"CASE WHEN {name} THEN json('true') WHEN NOT {name} THEN json('false') END"
    if kind is dt.datetime:  # stored as UTC without its offset (sqlmodel's UTCDateTime)
        offset = " || '+00:00'" if isinstance(column.type, UTCDateTime) else ""
        iso = f"replace({name}, ' ', 'T')"
        return f"(CASE WHEN instr({name}, '.') THEN rtrim(rtrim({iso}, '0'), '.') ELSE {iso} END){offset}"
    if kind is float:
        shortest = " ".join(f"WHEN CAST(printf('%!.{d}g', {name}) AS REAL) = {name} THEN printf('%!.{d}g', {name})"
                            for d in (15, 16))
        return f"json(CASE WHEN {name} IS NULL THEN NULL {shortest} ELSE printf('%!.17g', {name}) END)"
    return name


def export_all(s: Session) -> dict[str, Any]:
    """The export document held whole, for a small store (a test, a script)."""
    document = export_document(s)
    return document | {"tables": {name: [json.loads(row) for batch in rows.batches for row in batch]
                                  for name, rows in document["tables"].pairs}}


def check_export(path: Path) -> dict[str, Any]:
    """Read an export file through once, a value at a time, before anything is stored:
    refused in one line if it is not UTF-8 JSON, nests deeper than any export, or is no
    export. Its members but the tables' rows (the format, the sequences, the table names)."""
    header: Any = {}
    with _reading(path) as stream:
        if stream.peek() != "{":  # no export: read whole, refused below
            header = check_depth(stream.value(), "the export")
        else:
            for key in stream.members():
                header[key] = (dict.fromkeys(_table_names(stream))  # the rows come later
                               if key == "tables" and stream.peek() == "{"
                               else check_depth(stream.value(), "the export"))
        stream.end()
    _check_header(header)
    return header


def _table_names(stream: JsonStream) -> list[str]:
    names = []
    for name in stream.members():
        if stream.peek() != "[":
            raise InvalidInput(f"table {name}: not a list of rows")
        for row in stream.items():
            check_depth([[[row]]], "the export")  # a row lies three levels down
        names.append(name)
    return names


def import_file(s: Session, path: Path, header: dict[str, Any]) -> dict[str, int]:
    """Fill an empty store from an export file that `check_export` read (its `header`),
    a row at a time: a network's decade is most of a gigabyte."""
    with _reading(path) as stream:
        for key in stream.members():
            if key == "tables":
                tables = ((name, stream.items()) for name in stream.members())
                return _import(s, tables, len(header["tables"]), header.get("sequences", {}))
            stream.value()
    raise InvalidInput("the export holds no tables")  # check_export saw them: the file changed


@contextmanager
def _reading(path: Path) -> Iterator[JsonStream]:
    """The export's JSON, its errors as one line."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            yield JsonStream(f)
    except OSError as e:
        raise InvalidInput(f"cannot read the export: {e.strerror}") from None
    except RecursionError:
        raise InvalidInput(f"cannot read the export: nested more than {MAX_DEPTH} levels deep") from None
    except UnicodeDecodeError as e:
        raise InvalidInput(f"cannot read the export: not UTF-8 ({e.reason})") from None
    except JsonError as e:
        raise InvalidInput(f"cannot read the export: {e}") from None


def import_all(s: Session, document: dict[str, Any]) -> dict[str, int]:
    """Fill an empty store from an export document held in memory; returns rows per table."""
    _check_header(document)
    tables = document["tables"]
    return _import(s, tables.items(), len(tables), document.get("sequences", {}))


def _check_header(document: Any) -> None:
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


def _import(s: Session, tables: Iterable[tuple[str, Any]], count: int, sequences: Any) -> dict[str, int]:
    """Insert the tables as they come, each in its turn (after the tables its rows refer
    to). A table that comes before its turn waits in memory: an export holds them in
    turn, so only a document written some other way costs its size."""
    if any(s.execute(select(t).limit(1)).first() for t in _data_tables()):
        raise InvalidInput("the store is not empty; import into a new store (--db NEW.db)")
    turns = _data_tables()
    counts: dict[str, int] = {}
    known: dict[str, set] = {}  # the ids imported so far, per table
    waiting: dict[str, Any] = {}
    for name, rows in steps(tables, "Importing", count):
        if name in counts or name in waiting:
            raise InvalidInput(f"the export holds table {name} twice")
        if not isinstance(rows, (list, Iterator)):
            raise InvalidInput(f"table {name}: not a list of rows")
        waiting[name] = rows if turns and name == turns[0].name else list(rows)
        while turns and turns[0].name in waiting:
            _put(s, turns.pop(0), waiting, known, counts)
    for table in turns:
        _put(s, table, waiting, known, counts)
    check_histories(s)
    _set_sequences(s, sequences)  # older exports have none
    return counts


def _put(s: Session, table, waiting: dict, known: dict[str, set], counts: dict[str, int]) -> None:
    known[table.name], counts[table.name] = _insert_all(s, table, waiting.pop(table.name, []), known)
    if on_postgres(s) and "id" in table.c:  # the audit rows of the next table follow these
        from megler import postgres

        postgres.set_sequence(s.connection(), table.name, 0)


# Rows go in a thousand at a time: one statement per row cost SQLAlchemy more than the
# insert itself (a decade's 4 million rows took half an hour).
BATCH = 1000


def _insert_all(s: Session, table, rows: Iterable, known: dict[str, set]) -> tuple[set, int]:
    """Insert a table's rows, each checked by the CLI's own rules (megler.import_rules);
    the ids they have, and how many. Each row's "add" goes into the audit log as a
    command's would."""
    from megler import audit

    ids: set = set()
    keep = table.name in _referenced()  # the audit log's millions of ids are never asked for
    numbered, count = enumerate(rows, 1), 0
    while batch := list(islice(numbered, BATCH)):
        values = [_checked(table, number, row, known) for number, row in batch]
        try:
            with s.begin_nested():
                keys = _insert_many(s, table, values)
        except (IntegrityError, StatementError):  # which row: one at a time names it
            keys = [_insert_one(s, table, number, value) for (number, _), value in zip(batch, values, strict=True)]
        audit.added(s, table.name, keys)
        autoincrement = table.autoincrement_column is not None
        if keep:
            ids.update(key[0] if autoincrement else None for key in keys)
        count = batch[-1][0]
    return ids, count


@cache
def _referenced() -> frozenset[str]:
    """The tables some row refers to: an import checks those references against their ids."""
    return frozenset(fk.column.table.name for t in SQLModel.metadata.sorted_tables
                     for fk in t.foreign_keys)


def _checked(table, number: int, row: Any, known: dict[str, set]) -> dict:
    where = _where(table, number, row)
    if not isinstance(row, dict):
        raise InvalidInput(f"{where}: not an object")
    try:
        return checked(table, row, known)
    except InvalidInput as e:
        raise InvalidInput(f"{where}, {e}") from None


def _where(table, number: int, row: Any) -> str:
    where = f"table {table.name}, row {number}"
    return where + (f" (id {row['id']})" if isinstance(row, dict) and isinstance(row.get("id"), int) else "")


def _insert_many(s: Session, table, values: list[dict]) -> list[tuple]:
    """One INSERT of many rows (straight on the connection: audit.added logs them); rows
    that give different columns go in apart, or a missing one would be set to NULL."""
    keys: list[tuple] = []
    for _, group in groupby(values, key=lambda v: tuple(v)):
        statement = insert(table).returning(*table.primary_key.columns)
        keys += [tuple(k) for k in s.connection().execute(statement, list(group))]
    return keys


def _insert_one(s: Session, table, number: int, value: dict) -> tuple:
    statement = insert(table).values(value).returning(*table.primary_key.columns)
    try:
        return tuple(s.connection().execute(statement).one())
    except (IntegrityError, StatementError) as e:
        raise InvalidInput(f"{_where(table, number, value)}: {getattr(e, 'orig', e)}") from None


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


# -- one table per noun, for a spreadsheet ------------------------------------------------

# What each noun's table holds, oldest first; the SQL's column names are the header.
_QUERIES = {
    "orgs": """
        SELECT o.id, o.name, o.orgnr, o.country, o.kind, o.industry, o.municipality, o.region,
               o.employees, CAST(o.rd_experience AS INTEGER) AS rd_experience, o.created
        FROM org o ORDER BY o.id""",
    "contacts": """
        SELECT c.id, c.org_id, o.name AS org, c.name, c.role, c.email, c.phone
        FROM contact c JOIN org o ON o.id = c.org_id ORDER BY c.id""",
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
               COALESCE(c.agency, c.provider) AS agency, r.status, r.currency, r.amount_applied,
               r.amount_granted, r.participants, r.note
        FROM referral r JOIN need n ON n.id = r.need_id JOIN org o ON o.id = n.org_id
        LEFT JOIN catalogentry c ON c.id = r.entry_id ORDER BY r.date, r.id""",
    "followups": """
        SELECT f.id, f.due, f.org_id, o.name AS org, f.text, f.need_id, f.referral_id,
               f.created, f.done_on
        FROM followup f LEFT JOIN org o ON o.id = f.org_id ORDER BY f.due, f.id""",
}
WHAT = tuple(_QUERIES)


def noun_table(s: Session, what: str) -> tuple[list[str], Iterable[tuple]]:
    """One noun's header and rows (dates as ISO text), for CSV and the workbook alike."""
    if what not in _QUERIES:
        raise InvalidInput(f"cannot export {what!r} as a table (choose from {', '.join(WHAT)})")
    cursor = _streaming_cursor(s)  # plain tuples: a sheet is 200,000 rows
    cursor.execute(_QUERIES[what])
    return [d[0] for d in cursor.description], chain.from_iterable(iter(lambda: cursor.fetchmany(1000), []))


def export_csv(s: Session, what: str, dialect: CsvDialect = PLAIN) -> str:
    """All orgs, contacts, visits, needs, referrals or follow-ups as CSV, oldest first.

    Example: export_csv(s, "needs") starts `id,date,org_id,org,kind,status,...`
    """
    return csv_text(*noun_table(s, what), dialect=dialect)  # formulas kept as text


def export_xlsx(s: Session, figures: dict) -> bytes:
    """A workbook of one sheet per noun and one of the report's figures, their period first."""
    from megler.reports import FIGURE_COLUMNS, long_rows
    from megler.spreadsheet import Sheet, workbook

    period = [["period", edge, "", dt.date.fromisoformat(figures["period"][edge])]
              for edge in ("start", "end")]
    sheets: list[Sheet] = [(what, *noun_table(s, what)) for what in WHAT]
    sheets.append(("figures", FIGURE_COLUMNS, [*period, *long_rows(figures)]))
    return workbook(steps(sheets, "Writing the workbook"))  # a sheet of a decade takes a while
