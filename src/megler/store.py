"""Where the store lives and how it is opened.

One SQLite file, private to the user, in WAL mode with foreign keys on and a busy
timeout, so that two megler processes at once wait for each other instead of
failing. Every command works inside one `session()`: it commits whole or not at all.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from megler import migrations
from megler.errors import MeglerError

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 15000",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",  # erased personal data is overwritten, not left in free pages
)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("megler") / "megler.db"


def resolve(path: str | Path | None) -> Path:
    """The store to use: the given path, else $MEGLER_DB, else the user's data folder."""
    chosen = path or os.environ.get("MEGLER_DB") or default_path()
    return Path(chosen).expanduser()


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection with megler's pragmas, in autocommit mode."""
    db = sqlite3.connect(path, isolation_level=None, timeout=15)
    for pragma in PRAGMAS:
        db.execute(pragma)
    return db


def prepare(path: Path) -> list[str]:
    """Create the store if needed and bring its schema up to date.

    A store that already holds data is copied aside before it is upgraded.
    Returns the names of the migrations applied.
    """
    try:
        _create_private(path)
        db = connect(path)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > migrations.LATEST:
                raise MeglerError(f"{path} was written by a newer megler "
                                  f"(schema {version}, this one knows {migrations.LATEST})")
            if version == migrations.LATEST:
                return []
            if version > 0:
                backup(db, path.with_name(f"{path.stem}-schema{version}-{_stamp()}.bak"))
            return migrations.apply(db)
        finally:
            db.close()
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    except OSError as e:
        raise MeglerError(f"cannot open the store at {path}: {e.strerror}") from e


def _create_private(path: Path) -> None:
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.parent == default_path().parent:
        path.parent.chmod(0o700)


def backup(db: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of an open store, private like the store itself."""
    if target.exists():
        raise MeglerError(f"{target} exists already; choose another file")
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    copy = sqlite3.connect(target)
    try:
        db.backup(copy)
    finally:
        copy.close()
    return target


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


_engines: dict[Path, Engine] = {}


def engine(path: str | Path | None = None) -> Engine:
    """The engine for a store, created, migrated and cached on first use."""
    where = resolve(path)
    if where not in _engines:
        prepare(where)
        _engines[where] = _make_engine(where)
    return _engines[where]


def _make_engine(path: Path) -> Engine:
    made = create_engine(f"sqlite:///{path}", connect_args={"timeout": 15})

    @event.listens_for(made, "connect")
    def _on_connect(dbapi, _record):
        dbapi.isolation_level = None  # we issue BEGIN ourselves, below
        for pragma in PRAGMAS:
            dbapi.execute(pragma)

    @event.listens_for(made, "begin")
    def _on_begin(conn):
        # A writer takes the write lock up front: a deferred transaction that
        # reads first and writes later can fail at once instead of waiting.
        immediate = conn.get_execution_options().get("immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return made


@contextmanager
def session(path: str | Path | None = None, *, write: bool = False) -> Iterator[Session]:
    """One transaction on the store: committed when the block ends, else rolled back."""
    bind = engine(path).execution_options(immediate=write)
    try:
        with Session(bind, expire_on_commit=False) as s:
            yield s
            s.commit()
    except OperationalError as e:
        raise store_error(e.orig, resolve(path)) from e


def store_error(e: BaseException, path: Path) -> MeglerError:
    """The one line a user sees when SQLite itself refuses."""
    name = getattr(e, "sqlite_errorname", "")
    reasons = {
        "SQLITE_BUSY": "the store is busy in another megler process; try again",
        "SQLITE_READONLY": "the store is read-only; nothing was changed",
        "SQLITE_FULL": "the disk is full; nothing was changed",
        "SQLITE_CANTOPEN": "cannot open the store",
        "SQLITE_NOTADB": "this file is not a megler store",
        "SQLITE_CORRUPT": "the store is damaged; run `megler check` and restore a backup",
    }
    for code, text in reasons.items():
        if name.startswith(code):
            return MeglerError(f"{text} ({path})")
    return MeglerError(f"the store at {path} failed: {e}")
