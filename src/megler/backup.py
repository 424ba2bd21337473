"""`megler backup` and `megler restore`: a consistent copy of the store, and putting one back.

A backup is taken with VACUUM INTO while other commands may go on writing; a restore
checks the copy first, keeps the store as it was beside it, and upgrades an older copy.
"""

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from megler import clock
from megler.errors import MeglerError
from megler.store import (
    claim,
    close,
    connect,
    copy_beside,
    copy_to,
    create_private,
    prepare,
    read_only,
    schema_version,
    store_error,
)


def take_backup(path: Path, target: Path | None = None) -> Path:
    """`megler backup`: a copy of the store at `target`, or beside it with the time."""
    try:
        with closing(read_only(path)) as db:  # VACUUM INTO only reads: an archived store too
            return copy_to(db, target) if target else copy_beside(db, path, "backup")
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    except OSError as e:
        raise MeglerError(f"cannot write the backup {target or path.parent}: {e.strerror}") from e


def verify_backup(source: Path) -> int:
    """The schema version of a backup fit to restore; else one line saying why not."""
    if not source.is_file():
        raise MeglerError(f"{source}: no such file")
    try:
        with closing(read_only(source, timeout=5)) as db:
            version = schema_version(db, source)
            if version < 1 or not _has_table(db, "_migrations"):
                raise MeglerError(f"{source} is not a megler store")
            damage = [r[0] for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
    except sqlite3.Error as e:
        why = "is damaged" if _damaged(e) and "CORRUPT" in e.sqlite_errorname else \
            "is not a readable megler store"
        raise MeglerError(f"{source} {why} ({getattr(e, 'sqlite_errorname', '') or e}); "
                          "choose another backup") from e
    if damage:
        first = " ".join(damage[0].split())[:100]  # SQLite's report spans lines
        raise MeglerError(f"{source} is damaged ({first}); choose another backup")
    return version


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone())


def restore(path: Path, source: Path) -> Path | None:
    """Replace the store by a checked backup; returns where the old store was copied.

    SQLite's backup API writes into the live store under its write lock, so other
    processes and the WAL stay consistent; only a store too damaged to open is
    replaced as a file (with its stale -wal and -shm, which would corrupt the new one).
    """
    verify_backup(source)
    close(path)
    try:
        aside = _set_aside(path) if path.exists() else None
        try:
            _copy_over(source, path)
        except sqlite3.DatabaseError as e:
            if not _damaged(e):
                raise
            _replace_file(source, path)
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    except OSError as e:
        raise MeglerError(f"cannot restore into {path}: {e.strerror}; nothing was changed") from e
    prepare(path)  # an older backup is upgraded now, with its own copy first
    return aside


def _damaged(e: sqlite3.Error) -> bool:
    return getattr(e, "sqlite_errorname", "").startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))


def _set_aside(path: Path) -> Path:
    try:
        with closing(connect(path)) as db:
            return copy_beside(db, path, "before-restore")
    except sqlite3.DatabaseError as e:  # too damaged for VACUUM: keep the bytes as they are
        if not _damaged(e):
            raise

        target = path.with_name(f"{path.stem}-damaged-{clock.stamp()}.bak")
        claim(target)
        shutil.copyfile(path, target)
        return target


def _copy_over(source: Path, path: Path) -> None:
    create_private(path)
    src = read_only(source, timeout=5)
    dst = connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _replace_file(source: Path, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.restoring")
    tmp.unlink(missing_ok=True)
    claim(tmp)
    shutil.copyfile(source, tmp)
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(tmp, path)


# --- PostgreSQL ------------------------------------------------------------------------
# A backup of a PostgreSQL store is megler's own export document (JSON): pg_dump is often
# not installed where megler runs, nor of the server's version, and the document is what
# `megler import` already checks row by row; it also restores into SQLite.

def take_backup_postgres(url, target: Path | None = None) -> Path:
    """`megler backup` of a PostgreSQL store: its export document, private, at `target`
    or in the store's folder of the data folder with the time."""
    from megler import store
    from megler.export import export_document
    from megler.files import json_chunks, write_private

    if target is None:
        url.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = url.with_name(f"{url.stem}-backup-{clock.stamp()}.json")
    if not claim(target):
        raise MeglerError(f"{target} exists already; choose another file")
    try:
        with store.session(url) as s:  # one snapshot: REPEATABLE READ below
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            write_private(target, json_chunks(export_document(s), indent=1))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def restore_postgres(url, source: Path) -> None:
    """Put a backup (an export document) back into an empty PostgreSQL store."""
    from megler import store
    from megler.export import check_export, import_file

    if not source.is_file():
        raise MeglerError(f"{source}: no such file")
    header = check_export(source)
    with store.session(url, write=True) as s:
        import_file(s, source, header)
