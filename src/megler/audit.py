"""The audit log: which command added, changed or deleted which row, and when.

One mechanism for every writing command: `store.session(write=True)` calls
`install`, which hooks the session's flushes (rows written through the ORM) and
its bulk statements (`update(...)`, `delete(...)`, `insert(...)` run with
`session.exec`). Rows record the table and the id, never the values, so the log
holds no personal data. The CLI names the command with `COMMAND.set(...)`.

Kept free of SQLAlchemy at import time: `megler.cli` imports this module to set
`COMMAND`, and `megler --help` must not pay for SQLAlchemy.

    >>> COMMAND.set("megler org add")  # doctest: +SKIP
"""

from contextvars import ContextVar

COMMAND: ContextVar[str] = ContextVar("megler_command", default="(library)")

WRITTEN = "audit_rows"        # session.info key: audit rows written in this transaction
_START = "audit_changes_at"   # session.info key: sqlite3 total_changes at BEGIN


def install(session) -> None:
    """Record every row this session writes, in the same transaction as the write."""
    from sqlalchemy import event

    event.listen(session, "after_begin", _after_begin)
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "do_orm_execute", _on_execute)
    event.listen(session, "before_commit", _before_commit)


def _after_begin(session, transaction, connection) -> None:
    if transaction.nested:  # a savepoint inside the transaction counted from its start
        return
    session.info[WRITTEN] = 0
    session.info[_START] = _total_changes(connection)


def _total_changes(connection) -> int:
    if connection.dialect.name == "postgresql":
        from megler import postgres

        return postgres.changes(connection)
    return connection.connection.dbapi_connection.total_changes


def _after_flush(session, _context) -> None:
    # The pre-flush collections are still readable here, and new rows have their ids.
    rows = [_row("add", obj) for obj in session.new]
    rows += [_row("change", obj) for obj in session.dirty if session.is_modified(obj)]
    rows += [_row("delete", obj) for obj in session.deleted]
    _write(session, [r for r in rows if r["entity"] != "audit"])


def _row(action: str, obj) -> dict:
    from sqlalchemy import inspect

    mapper = inspect(obj).mapper
    key = mapper.primary_key_from_instance(obj)
    return _entry(action, mapper.local_table.name, key)


def _entry(action: str, entity: str, key) -> dict:
    ident = None if key is None else "/".join(str(part) for part in key)
    return {"command": COMMAND.get(), "action": action, "entity": entity, "entity_id": ident}


def _on_execute(state):
    """Bulk statements bypass the flush: find their rows before they run."""
    table = getattr(state.statement, "table", None)
    if not (state.is_update or state.is_delete or state.is_insert) or table is None:
        return None
    if getattr(table, "name", "audit") == "audit":
        return None
    if state.is_insert:
        result = state.invoke_statement()
        _write(state.session, [_entry("add", table.name, _inserted_key(result))])
        return result
    keys = _matching_keys(state.session, table, state.statement)
    result = state.invoke_statement()
    action = "change" if state.is_update else "delete"
    _write(state.session, [_entry(action, table.name, key) for key in keys])
    return result


def _matching_keys(session, table, statement) -> list[tuple]:
    from sqlalchemy import select

    query = select(*table.primary_key.columns)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return [tuple(row) for row in session.execute(query)]


def _inserted_key(result):
    try:
        return result.inserted_primary_key
    except Exception:  # a multi-row insert has no single key: the row stands for many
        return None


def added(session, entity: str, keys: list[tuple]) -> None:
    """Log rows inserted straight on the connection, many at a time (`megler import`)."""
    if entity != "audit":
        _write(session, [_entry("add", entity, key) for key in keys])


def _write(session, rows: list[dict]) -> None:
    if not rows:
        return
    from megler.brokers import current
    from megler.clock import now
    from megler.models import Audit

    stamp, broker = now(), current(session)
    # Straight on the connection: through the session it would be audited itself.
    table = Audit.__table__  # type: ignore[attr-defined]  # set by SQLModel, not declared
    session.connection().execute(table.insert(), [r | {"time": stamp, "broker": broker}
                                                  for r in rows])
    session.info[WRITTEN] = session.info.get(WRITTEN, 0) + len(rows)


def _before_commit(session) -> None:
    """Raw SQL escapes the hooks above; it still leaves one line saying a write happened."""
    if _START not in session.info or session.info.get(WRITTEN) or session.in_nested_transaction():
        return
    connection = session.connection()
    if _total_changes(connection) > session.info[_START]:
        _write(session, [_entry("write", "*", None)])


def recent(session, *, limit: int | None = None, entity: str | None = None,
           entity_id: str | None = None) -> list[dict]:
    """The log, newest first."""
    from sqlmodel import col, select

    from megler.models import Audit
    from megler.parse import parse_choice

    query = select(Audit).order_by(col(Audit.id).desc())
    if entity:
        query = query.where(Audit.entity == parse_choice(entity, entities(), "entity"))
    if entity_id is not None:
        query = query.where(Audit.entity_id == str(entity_id))
    if limit:
        query = query.limit(limit)
    return [{"id": a.id, "time": a.time, "command": a.command, "action": a.action,
             "entity": a.entity, "entity_id": a.entity_id} for a in session.exec(query)]


def entities() -> list[str]:
    """What the log names: every table but the log itself, and * for a raw SQL write."""
    from sqlmodel import SQLModel

    import megler.models  # noqa: F401  # registers the tables

    return [*sorted(t for t in SQLModel.metadata.tables if t != "audit"), "*"]
