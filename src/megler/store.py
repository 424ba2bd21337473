"""Where the store lives and how it is opened.

One SQLite file, private to the user, in WAL mode with foreign keys on and a busy
timeout, so that two megler processes at once wait for each other instead of
failing. Every command works inside one `session()`: it commits whole or not at all.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session

from megler import clock, migrations
from megler.errors import MeglerError
from megler.where import Url, Where, default_path, is_url, shown  # noqa: F401  (the store's names)

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 15000",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",  # erased personal data is overwritten, not left in free pages
)




def _setting() -> str | None:
    from megler import config

    return config.get("store") or None


def resolve(path: str | Where | None) -> Where:
    """The store to use: the given path or URL, else $MEGLER_DB, else the user's data folder."""
    chosen = path or os.environ.get("MEGLER_DB") or _setting() or default_path()
    if isinstance(chosen, Url):
        return chosen
    if is_url(chosen):
        return Url(str(chosen))
    return Path(os.path.expanduser(chosen))  # `~nobody/x` stays as it is, not an error


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection with megler's pragmas, in autocommit mode."""
    db = sqlite3.connect(path, isolation_level=None, timeout=15)
    for pragma in PRAGMAS:
        db.execute(pragma)
    return db


def read_only(path: Path, timeout: float = 15) -> sqlite3.Connection:
    """A connection that cannot write the file at `path`, whatever its name holds.

    SQLite's read-only mode needs a URI; the path goes in percent-encoded, so a store
    named `s?mode=ro.db` or `s%41.db` is that file and no other. A store in a folder
    nobody may write (a read-only share, an archive disk) with no WAL left to fold in
    is opened immutable: SQLite then needs no -shm file beside it.
    """
    path = Path(path).absolute()
    frozen = not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists()
    return sqlite3.connect(f"{path.as_uri()}?mode=ro{'&immutable=1' if frozen else ''}",
                           uri=True, timeout=timeout)


def prepare(path: Where) -> list[str]:
    """Create the store if needed and bring its schema up to date.

    A store that already holds data is copied aside before it is upgraded.
    Returns the names of the migrations applied.
    """
    if isinstance(path, Url):
        from megler import postgres

        return postgres.prepare(path)
    try:
        create_private(path)
        with closing(connect(path)) as db:
            version = schema_version(db, path)
            if version == migrations.LATEST:
                return []
            aside = copy_beside(db, path, f"schema{version}") if version > 0 else None
            return _upgrade(db, path, version, aside)
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    except OSError as e:
        raise MeglerError(f"cannot open the store at {path}: {e.strerror}") from e


def _upgrade(db: sqlite3.Connection, path: Path, version: int, aside: Path | None) -> list[str]:
    """The migrations applied; if none could be, the copy set aside goes again, so that a
    store that keeps failing its upgrade does not fill the folder with copies of itself."""
    try:
        applied = migrations.apply(db)
    except BaseException:
        if aside and schema_version(db, path) == version:
            aside.unlink(missing_ok=True)
        raise
    _index_search(db)
    return applied


def _index_search(db: sqlite3.Connection) -> None:
    """What the steps left for the search index, indexed now: once, during the upgrade,
    rather than by whichever command comes first."""
    from megler.search import reindex

    db.execute("BEGIN IMMEDIATE")
    try:
        reindex(db)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def schema_version(db: sqlite3.Connection, path: Path) -> int:
    """The store's schema version; refuses what this megler cannot read or upgrade."""
    # One statement, one snapshot: read apart, another process's first migration could
    # commit in between, and a new store would look like tables without a version.
    version, tables = db.execute("SELECT (SELECT user_version FROM pragma_user_version), "
                                 "(SELECT count(*) FROM sqlite_master)").fetchone()
    if version > migrations.LATEST:
        raise MeglerError(f"{path} was written by a newer megler "
                          f"(schema {version}, this one knows {migrations.LATEST}); "
                          "upgrade megler to open it")
    if version == 0 and tables:
        # Migrating would fail half-way on "table exists", or worse, hide the data.
        raise MeglerError(f"{path} holds tables but no megler schema version; "
                          "it is not a megler store")
    return version


def create_private(path: Path) -> None:
    # exist_ok and O_CREAT without O_EXCL: several processes may create the store at once
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.parent == default_path().parent:
        path.parent.chmod(0o700)


def copy_to(db: sqlite3.Connection, target: Path) -> Path:
    """A consistent, compact copy of an open store, private like the store itself.

    VACUUM INTO reads one snapshot, so writers may go on meanwhile; unlike a page
    copy it leaves out free pages, where erased data could otherwise linger.
    """
    if not claim(target):
        raise MeglerError(f"{target} exists already; choose another file")
    return _copy_into(db, target)


def copy_beside(db: sqlite3.Connection, path: Path, label: str) -> Path:
    """A backup named `<store>-<label>-<time>.bak` in the store's folder."""
    base = path.with_name(f"{path.stem}-{label}-{clock.stamp()}")
    target, n = base.with_name(base.name + ".bak"), 1
    while not claim(target):  # two processes upgrading at once each keep their copy
        n += 1
        target = base.with_name(f"{base.name}-{n}.bak")
    return _copy_into(db, target)


def claim(target: Path) -> bool:
    """Create the empty file, private from the first byte; False if it exists."""
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def _copy_into(db: sqlite3.Connection, target: Path) -> Path:
    try:
        db.execute("VACUUM INTO ?", (str(target),))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def checkpoint(path: Path) -> bool:
    """Fold the WAL into the store and truncate it; False if a reader kept it busy."""
    with closing(connect(path)) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy


def files(path: Path) -> list[Path]:
    """The store's files that exist now: the db and SQLite's -wal and -shm beside it."""
    candidates = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]
    return [p for p in candidates if p.exists()]


_engines: dict[Where, Engine] = {}


def close(path: str | Where | None = None) -> None:
    """Close megler's connections to a store (its WAL is folded in when the last one goes)."""
    engine = _engines.pop(resolve(path), None)
    if engine:
        engine.dispose()


def close_all() -> None:
    """Close every store this process has open."""
    for path in list(_engines):
        close(path)


def engine(path: str | Where | None = None) -> Engine:
    """The engine for a store, created, migrated and cached on first use."""
    where = resolve(path)
    if where not in _engines:
        if isinstance(where, Url):
            from megler import postgres

            _engines[where] = postgres.engine(where)
        elif in_read_only_folder(where):
            _engines[where] = _read_only_engine(where)
        else:
            prepare(where)
            _engines[where] = _make_engine(where)
    return _engines[where]


def in_read_only_folder(path: Where) -> bool:
    """A store megler may read but not change: an archive, a read-only share."""
    return isinstance(path, Path) and path.is_file() and not os.access(path.parent, os.W_OK)


def _read_only_engine(path: Path) -> Engine:
    """Every command that only reads works on it; one that writes is told it is read-only."""
    try:
        with closing(read_only(path)) as db:
            if schema_version(db, path) != migrations.LATEST:
                raise MeglerError(f"{path} needs an upgrade, but its folder is read-only; "
                                  "copy it to a folder you can write and open that")
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    return _make_engine(path, creator=lambda: read_only(path), pragmas=PRAGMAS[1:3])


def _make_engine(path: Path, creator=None, pragmas: tuple[str, ...] = PRAGMAS) -> Engine:
    # URL.create takes the path as it is; in "sqlite:///{path}" a ? or % would be read as URL.
    url = URL.create("sqlite", database=str(path))
    made = (create_engine(url, creator=creator) if creator
            else create_engine(url, connect_args={"timeout": 15}))

    @event.listens_for(made, "connect")
    def _on_connect(dbapi, _record):
        dbapi.isolation_level = None  # we issue BEGIN ourselves, below
        for pragma in pragmas:
            dbapi.execute(pragma)
        # SQLite's lower() knows only ASCII: "årjäng" must find "Årjäng" in the query itself
        dbapi.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(made, "begin")
    def _on_begin(conn):
        # A writer takes the write lock up front: a deferred transaction that
        # reads first and writes later can fail at once instead of waiting.
        immediate = conn.get_execution_options().get("immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return made


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


@contextmanager
def session(path: str | Where | None = None, *, write: bool = False,
            undoable: bool = False) -> Iterator[Session]:
    """One transaction on the store: committed when the block ends, else rolled back.

    A writing session also records what it touches in the audit log (megler.audit);
    an undoable one keeps what it changes for `megler undo` (megler.undo).
    """
    bind = engine(path).execution_options(immediate=write)
    try:
        with Session(bind, expire_on_commit=False) as s:
            if write:
                from megler import audit, brokers

                audit.install(s)
                brokers.install(s)
            if undoable:
                from megler import undo

                undo.install(s)
            yield s
            if write:
                from megler.search import refresh

                refresh(s)  # the triggers noted what changed; the index follows in this transaction
            s.commit()
    except (OperationalError, DatabaseError) as e:
        if isinstance(e, IntegrityError):
            raise  # a broken constraint is a bug in megler, not the user's to fix
        raise store_error(e.orig, resolve(path)) from e


def store_error(e: BaseException | None, path: Where) -> MeglerError:
    """The one line a user sees when SQLite or PostgreSQL itself refuses."""
    if isinstance(path, Url):
        from megler import postgres

        return postgres.error(e, path)
    name = getattr(e, "sqlite_errorname", "")
    reasons = {
        "SQLITE_BUSY": "the store is locked by another megler process or program; try again",
        "SQLITE_READONLY": "the store or its folder is read-only; nothing was changed",
        "SQLITE_FULL": "the disk is full; nothing was changed",
        "SQLITE_CANTOPEN": "cannot open the store (is its folder writable?)",
        "SQLITE_IOERR": "the store could not be read or written (disk error); nothing was changed",
        "SQLITE_PERM": "no permission to write the store; nothing was changed",
        "SQLITE_NOTADB": "this file is not a megler store",
        "SQLITE_CORRUPT": "the store is damaged; run `megler check` and restore a backup",
    }
    for code, text in reasons.items():
        if name.startswith(code):
            return MeglerError(f"{text} ({path})")
    return MeglerError(f"the store at {path} failed: {e}")
