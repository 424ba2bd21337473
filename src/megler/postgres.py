"""A store on PostgreSQL: the only module that imports psycopg.

libpq reads the URL and the environment itself (PGHOST, PGUSER, PGPASSWORD,
~/.pgpass, sslmode), so megler never parses a password, and prints a store only as
`store.Url` shows it. What differs from SQLite sits here: migrations' bookkeeping,
connecting, the errors a user sees, vacuuming after an erasure.
"""

import psycopg
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from megler import migrations
from megler.clock import now
from megler.errors import MeglerError
from megler.pg_migrations import POSTGRES
from megler.where import Url

_LOCK = 7_414_711  # the advisory lock two processes migrating one database take in turn
_WRITE_LOCK = 7_414_712  # the one every writing command holds until it commits


def connect(url: Url) -> psycopg.Connection:
    try:
        db = psycopg.connect(url.url, connect_timeout=10)
        db.execute("SET TIME ZONE 'UTC'")  # times read back as megler wrote them (UTC)
        db.execute("SET lock_timeout = '15s'")  # wait for another megler as SQLite does
        db.adapters.register_loader("numeric", _Number)
        db.commit()
        return db
    except psycopg.Error as e:
        raise error(e, url) from e


class _Number(psycopg.adapt.Loader):
    """NUMERIC read as SQLite gives it: PostgreSQL's sum of BIGINTs is NUMERIC, which
    psycopg reads as a Decimal; SQLite's is an int (and an average a float)."""

    def load(self, data) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


def engine(url: Url) -> Engine:
    """The engine for a migrated store; libpq gets the URL as the user gave it."""
    prepare(url)
    made = create_engine("postgresql+psycopg://", creator=lambda: connect(url),
                         pool_pre_ping=False)

    @event.listens_for(made, "begin")
    def _on_begin(conn):
        # As SQLite's BEGIN IMMEDIATE: a writing command waits for the one before it to
        # commit, so what it reads (is this follow-up done? which orgs are left to merge?)
        # is still true when it writes. Readers never wait.
        if conn.get_execution_options().get("immediate"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")

    return made


def prepare(url: Url) -> list[str]:
    """Bring the database's schema up to date; the names of the steps applied."""
    try:
        with connect(url) as db:
            return apply(db, url)
    except psycopg.Error as e:
        raise error(e, url) from e


def apply(db: psycopg.Connection, url: Url | str = "") -> list[str]:
    """Each step in one transaction with its record, under an advisory lock so that two
    processes never apply one step twice."""
    applied: list[str] = []
    while step := _next_step(db, url):
        applied.append(step)
    return applied


def _next_step(db: psycopg.Connection, url: Url | str) -> str | None:
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        # Asked first: a network's broker may not create tables, even IF NOT EXISTS.
        if not db.execute("SELECT to_regclass('_migrations') IS NOT NULL").fetchone()[0]:  # type: ignore[index]
            db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = [r[0] for r in db.execute("SELECT name FROM _migrations")]
        version = len(done)
        if version > migrations.LATEST:
            raise MeglerError(f"{url} was written by a newer megler (schema {version}, this one "
                              f"knows {migrations.LATEST}); upgrade megler to open it")
        if version == 0 and _foreign_tables(db):
            raise MeglerError(f"{url} holds tables but no megler schema version; "
                              "it is not a megler store")
        if version == migrations.LATEST:
            return None
        name = migrations.MIGRATIONS[version].__name__
        if POSTGRES[name].strip():
            db.execute(POSTGRES[name].encode())  # frozen SQL, no parameters
        db.execute("INSERT INTO _migrations VALUES (%s, %s)",
                   (name, now().strftime("%Y-%m-%d %H:%M:%S")))
        return name


def _foreign_tables(db: psycopg.Connection) -> bool:
    return bool(db.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
                           "AND tablename <> '_migrations'").fetchone())


def password_hash(connection, password: str, role: str) -> str:
    """The password as the server stores it (SCRAM), made by libpq on this side."""
    raw = connection.connection.driver_connection
    return raw.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()


def schema_version(db: psycopg.Connection) -> int:
    return db.execute("SELECT count(*) FROM _migrations").fetchone()[0]  # type: ignore[index]


_REASONS: dict[str, str] = {
    "28P01": "the server refused the login (wrong user or password)",
    "28000": "the server refused the login (no access for this user)",
    "3D000": "the database does not exist; create it first (createdb)",
    "42501": "no permission for this in the database; nothing was changed",
    "53100": "the server's disk is full; nothing was changed",
    "40001": "another megler wrote the same records at the same time; try again",
    "40P01": "another megler wrote the same records at the same time; try again",
    "55P03": "the records are locked by another megler process; try again",
}


def error(e: BaseException | None, url: Url) -> MeglerError:
    """The one line a user sees when the server refuses; never the password."""
    state = getattr(e, "sqlstate", None)
    if state in _REASONS:
        return MeglerError(f"{_REASONS[state]} ({url})")
    if isinstance(e, psycopg.OperationalError):
        # A refused login carries no SQLSTATE in psycopg: the server's own FATAL line says why.
        said = str(e).partition("FATAL:")[2].strip()
        if said:
            return MeglerError(f"the server refused the login: {said.splitlines()[0]} ({url})")
        return MeglerError(f"cannot reach the PostgreSQL server of {url}; is it running?")
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return MeglerError(f"the store at {url} failed: {first.replace(url.url, str(url))}")


def changes(connection) -> int:
    """Rows this transaction has inserted, updated or deleted so far (the audit log's
    "a raw write happened" line; SQLite's total_changes)."""
    return connection.exec_driver_sql(
        "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
        "FROM pg_stat_xact_user_tables").scalar()


def vacuum(url: Url, tables: list[str]) -> None:
    """After an erasure: VACUUM the tables that held the person, so that their rows'
    space is reclaimed rather than left readable in the table's pages."""
    with connect(url) as db:
        db.autocommit = True
        for table in tables:
            db.execute(f'VACUUM "{table}"'.encode())  # names from the models


def sequences(connection, tables: list[str]) -> dict[str, int]:
    """The highest id each table has given, as SQLite's sqlite_sequence keeps it (0 for
    a table that has had no row yet)."""
    found = {}
    for table in sorted(tables):
        seq = _sequence_of(connection, table)
        if seq:
            last, called = connection.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
            found[table] = last if called else 0
    return found


def _sequence_of(connection, table: str) -> str | None:
    """The table's id sequence (SERIAL's name: in a network a table with private text is a
    view over its rows, megler.network, and has none of its own to ask for)."""
    return connection.exec_driver_sql("SELECT to_regclass(%(s)s)::text", {"s": f"{table}_id_seq"}).scalar()


def set_sequence(connection, table: str, seq: int) -> None:
    """Hand out ids above `seq` (what the export says the table gave) and above every id
    the table holds: rows imported with their ids do not move a sequence."""
    name = _sequence_of(connection, table)
    if name:
        highest = connection.exec_driver_sql(
            f'SELECT greatest(%(n)s, (SELECT coalesce(max(id), 0) FROM "{table}"))', {"n": seq}).scalar()
        if highest:
            connection.exec_driver_sql("SELECT setval(%(s)s, %(n)s)", {"s": name, "n": highest})
