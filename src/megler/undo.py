"""`megler undo`: put back what the last undoable command changed.

A command that deletes, merges or edits records opens its session with
`undoable=True`. The session then keeps a before-image of every row it changes or
deletes, rows the database removes or unlinks by itself (ON DELETE CASCADE and SET
NULL) included, and the key of every row it adds, through ORM flushes and bulk
statements alike, as the audit log does. `undo_last` replays those images backwards
in one transaction, unless a later command touched the same rows.

The images hold what the broker wrote (a deleted visit's notes), so erasing a person
drops every image that holds their name or address (see privacy.erase_contact).

    >>> with store.session(db, write=True, undoable=True) as s:   # doctest: +SKIP
    ...     delete_visit(s, 7)
    >>> with store.session(db, write=True) as s:                  # doctest: +SKIP
    ...     undo_last(s)                                          # visit 7 is back
"""

import json
from typing import Any

_IMAGES = "undo_images"   # session.info key: the images of this transaction, in order
SKIPPED = {"audit", "undo"}
UNDO_COMMAND = "megler undo"  # undoing in turn does not block the undo before it


def install(session) -> None:
    from sqlalchemy import event

    session.info[_IMAGES] = []
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "do_orm_execute", _on_execute)
    event.listen(session, "before_commit", _before_commit)


def _before_flush(session, _context, _instances) -> None:
    from sqlalchemy import inspect

    for obj in list(session.dirty):
        if session.is_modified(obj):
            _keep(session, "change", inspect(obj).mapper.local_table, _where(obj))
    for obj in list(session.deleted):
        _keep(session, "delete", inspect(obj).mapper.local_table, _where(obj))


def _after_flush(session, _context) -> None:
    from sqlalchemy import inspect

    for obj in session.new:
        table = inspect(obj).mapper.local_table
        if table.name not in SKIPPED:
            key = dict(zip([c.name for c in table.primary_key.columns],
                           inspect(obj).mapper.primary_key_from_instance(obj), strict=True))
            session.info[_IMAGES].append(["add", table.name, key, None])


def _on_execute(state):
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and table is not None and table.name not in SKIPPED:
        where = state.statement.whereclause
        _keep(state.session, "change" if state.is_update else "delete", table, where)
    return None


def _where(obj):
    from sqlalchemy import and_, inspect

    mapper = inspect(obj).mapper
    key = mapper.primary_key_from_instance(obj)
    return and_(*(column == value for column, value in zip(mapper.primary_key, key, strict=True)))


def _keep(session, action: str, table, where) -> None:
    """The rows `where` picks, as they are now; for a delete, first what the database
    will delete or unlink with them."""
    from sqlalchemy import select

    if table.name in SKIPPED:
        return
    rows = [dict(r._mapping) for r in session.connection().execute(
        select(table) if where is None else select(table).where(where))]
    if action == "delete":
        for row in rows:
            _keep_dependents(session, table, row)
    key_names = [c.name for c in table.primary_key.columns]
    session.info[_IMAGES] += [[action, table.name, {k: row[k] for k in key_names}, row]
                              for row in rows]


def _keep_dependents(session, table, row: dict) -> None:
    """Rows that point at `row` through a foreign key the database acts on by itself."""
    from sqlmodel import SQLModel

    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.ondelete in ("CASCADE", "SET NULL"):
                action = "delete" if fk.ondelete == "CASCADE" else "change"
                _keep(session, action, other, fk.parent == row[fk.column.name])


def _before_commit(session) -> None:
    images = session.info.get(_IMAGES)
    if not images:
        return
    from sqlalchemy import func, insert, select
    from sqlmodel import SQLModel

    from megler.audit import COMMAND, WRITTEN
    from megler.clock import now
    from megler.files import json_text
    from megler.models import Audit

    last_audit = session.connection().execute(select(func.max(Audit.id))).scalar() or 0
    first_audit = last_audit - session.info.get(WRITTEN, 0) + 1
    # Straight on the connection, as the audit log does: through the session it would be
    # recorded itself.
    session.connection().execute(insert(SQLModel.metadata.tables["undo"]), {
        "time": now(), "command": COMMAND.get(), "images": json_text(images, indent=0),
        "audit_from": first_audit, "audit_id": last_audit})
    session.info[_IMAGES] = []


def last_undoable(s):
    """The last command not undone yet, as an Undo row; refused when there is none."""
    from sqlmodel import col, select

    from megler.errors import InvalidInput
    from megler.models import Undo

    last = s.exec(select(Undo).where(col(Undo.undone_at).is_(None))
                  .order_by(col(Undo.id).desc()).limit(1)).first()
    if last is None:
        raise InvalidInput("there is nothing to undo")
    return last


def undo_last(s) -> dict[str, Any]:
    """Replay the last undoable command backwards; refused when a later command changed
    what it would put back. Returns what was undone."""
    from megler.clock import now
    from megler.errors import InvalidInput

    last = last_undoable(s)
    images = json.loads(last.images)
    touched = _touched_since(s, last.audit_id, images)
    if touched:
        raise InvalidInput(f"cannot undo `{last.command}` of {last.time:%Y-%m-%d %H:%M}: "
                           f"{touched} changed since; change it back by hand")
    for action, table, key, values in reversed(images):
        _put_back(s, action, table, key, values)
    last.undone_at = now()
    s.add(last)
    s.flush()
    return {"command": last.command, "time": last.time, "rows": len(images)}


def _touched_since(s, audit_id: int, images: list) -> str | None:
    """The first row of `images` that a later command wrote (by the audit log), if any."""
    from sqlmodel import col, select

    from megler.models import Audit, Undo

    rows = {(table, "/".join(str(v) for v in key.values())) for _, table, key, _ in images}
    undone = s.exec(select(Undo.audit_from, Undo.audit_id).where(col(Undo.undone_at).is_not(None),
                                                                 col(Undo.audit_id) > audit_id)).all()
    later = s.exec(select(Audit.id, Audit.entity, Audit.entity_id)
                   .where(col(Audit.id) > audit_id, Audit.command != UNDO_COMMAND)).all()
    for number, entity, entity_id in later:
        if any(first <= number <= last for first, last in undone):
            continue  # a command undone since no longer stands in the way
        if (entity, entity_id) in rows or entity == "*":
            return f"{entity} #{entity_id}" if entity != "*" else "the store"
    return None


def _put_back(s, action: str, name: str, key: dict, values: dict | None) -> None:
    from sqlalchemy import and_
    from sqlmodel import SQLModel

    from megler.export import typed

    table = SQLModel.metadata.tables[name]
    where = and_(*(table.c[k] == v for k, v in key.items()))
    if action == "add":
        s.execute(table.delete().where(where))
    elif action == "delete":
        s.execute(table.insert().values(typed(table, values or {})))
    else:
        s.execute(table.update().where(where).values(typed(table, values or {})))
