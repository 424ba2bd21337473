"""The registers' units on this machine, and the one way to look an org number up.

`megler register import FILE` reads a bulk file into `<store>.register`, a SQLite file
beside the store: one table per country, each replaced whole by the next import of its
register. It is public data, not the broker's cases: it follows the store (`--db`), but
`megler backup` and `megler export` copy the store alone, so a million units never
bloat a backup, and deleting the file loses nothing a new import cannot bring back.

A lookup asks that table first (no network), then Enhetsregisteret's API for a
Norwegian number. A Swedish sole trader's number is a personnummer: it is never looked
up anywhere, not even in the table.
"""

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from megler.clock import today
from megler.errors import InvalidInput, MeglerError
from megler.registers import bolagsverket, brreg
from megler.registers.bulk import Bulk, opened
from megler.registers.unit import Unit
from megler.where import Where

# Set where a command must not reach the network whatever the settings say (the demo,
# whose invented org numbers may belong to real units).
OFFLINE: ContextVar[bool] = ContextVar("megler_registers_offline", default=False)
BATCH = 20_000  # units written at a time: memory stays flat, SQLite stays busy
_NAMES = {"NO": "Enhetsregisteret", "SE": "Bolagsverket"}


def table_path(store: Where) -> Path:
    return store.with_name(f"{store.name}.register")


@dataclass(frozen=True)
class Looked:
    """What a lookup found: the unit and the day the register said so, or why not."""

    unit: Unit | None = None
    noted: date | None = None
    why_not: str | None = None  # one line, for stderr
    asked: bool = True          # False: there was no register to ask (not worth a word)
    damaged: bool = False       # the table beside the store cannot be read


class Registers:
    """The lookups of one command: the table beside the store, opened once, then the
    API; after the API fails once it is not asked again, so a list of 200 numbers
    offline costs one timeout, not 200."""

    def __init__(self, store: Where, url: str) -> None:
        self.url = url
        self.table = _open_table(table_path(store))
        self.unreachable: str | None = None

    def __enter__(self) -> "Registers":
        return self

    def __exit__(self, *_exc) -> None:
        if self.table:
            self.table.close()

    def look_up(self, orgnr: str, country: str) -> Looked:
        found = self.in_table(orgnr, country)
        if found.unit or country != "NO":
            return found
        asked = self._asked(orgnr)
        if found.damaged and not asked.unit:  # both, in one line
            return Looked(why_not=f"{found.why_not}; {asked.why_not}")
        return asked

    def in_table(self, orgnr: str, country: str) -> Looked:
        """What the imported file says, with no network."""
        from megler.orgs import personal_number

        if personal_number(orgnr, country):
            return Looked(why_not="a sole trader's personnummer is never looked up")
        name = _NAMES[country]
        try:
            imported = _imported(self.table, country)
        except sqlite3.DatabaseError:
            return Looked(why_not=f"the table of {name}'s file is damaged (megler register import FILE again)",
                          damaged=True)
        if imported is None:
            return Looked(why_not=f"no {name} file is imported (megler register import FILE)",
                          asked=False)
        columns = ", ".join(Unit.columns()[2:])
        try:
            row = self.table.execute(f"SELECT {columns} FROM {_table(country)} WHERE orgnr = ?",  # type: ignore[union-attr]
                                     (orgnr,)).fetchone()
        except sqlite3.DatabaseError:
            return Looked(why_not=f"the table of {name}'s file is damaged (import the file again)")
        if row is None:
            return Looked(why_not=f"{name}'s file of {imported} knows no org number {orgnr}")
        return Looked(Unit(orgnr, country, *row), imported)

    def standing(self, numbers: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """The status the imported files give each (orgnr, country) they hold (None: in
        good standing), a few hundred numbers a query: `check` asks for every org."""
        from megler.orgs import personal_number

        found: dict[tuple[str, str], str | None] = {}
        wanted = [(n, c) for n, c in numbers if c in _NAMES and not personal_number(n, c)]
        for country in _NAMES:
            try:
                if self.table is None or _imported(self.table, country) is None:
                    continue
            except sqlite3.DatabaseError:
                continue  # damaged: `org add` says so; the check has nothing to compare
            mine = iter([n for n, c in wanted if c == country])
            while chunk := list(islice(mine, 500)):
                marks = ", ".join("?" * len(chunk))
                for orgnr, status in self.table.execute(
                        f"SELECT orgnr, status FROM {_table(country)} WHERE orgnr IN ({marks})", chunk):
                    found[(orgnr, country)] = status
        return found

    def _asked(self, orgnr: str) -> Looked:
        if OFFLINE.get():
            return Looked(why_not="the register is not asked here", asked=False)
        if self.unreachable:
            return Looked(why_not=self.unreachable)
        try:
            unit = brreg.fetch(self.url, orgnr)
        except brreg.Unreachable as e:
            self.unreachable = str(e)
            return Looked(why_not=self.unreachable)
        if unit is None:
            return Looked(why_not=f"Enhetsregisteret knows no org number {orgnr}")
        return Looked(unit, today())


def _open_table(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None


def _imported(db: sqlite3.Connection | None, country: str) -> date | None:
    if db is None:
        return None
    try:
        row = db.execute("SELECT day FROM imported WHERE country = ?", (country,)).fetchone()
    except sqlite3.OperationalError:
        return None  # an empty file, not a table of ours: as if none were imported
    return date.fromisoformat(row[0]) if row else None


def imported(store: Where) -> list[dict]:
    """Each register imported beside the store: its name, country, day and units."""
    db = _open_table(table_path(store))
    if db is None:
        return []
    with closing(db):
        try:
            rows = db.execute("SELECT country, day, units FROM imported ORDER BY country").fetchall()
        except sqlite3.DatabaseError:
            return []
    return [{"register": _NAMES.get(c, c), "country": c, "day": d, "units": n} for c, d, n in rows]


def _table(country: str) -> str:
    return f"unit_{country.lower()}"


# -- import --------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    register: str
    country: str
    units: int
    path: Path


def import_file(store: Where, file: Path) -> Imported:
    """Replace one register's units in the table beside the store by those of its bulk
    file, whole or not at all."""
    with opened(file) as bulk:
        country = _country_of(bulk, file)
        return Imported(_NAMES[country], country, _replace(table_path(store), country, _units(bulk, country)),
                        table_path(store))


def _country_of(bulk: Bulk, file: Path) -> str:
    if bulk.format == "json" or "organisasjonsnummer" in bulk.header:
        return "NO"
    if all(column in bulk.header for column in bolagsverket.COLUMNS):
        return "SE"
    raise InvalidInput(f"{file.name}: a table, but neither Enhetsregisteret's (organisasjonsnummer) "
                       "nor Bolagsverket's (organisationsidentitet)")


def _units(bulk: Bulk, country: str) -> Iterator[Unit]:
    if country == "SE":
        return bolagsverket.units_of(bulk.records())
    if bulk.format == "json":
        return brreg.units_of_json(bulk.records())
    return brreg.units_of_csv(bulk.records())


def _replace(path: Path, country: str, units: Iterable[Unit]) -> int:
    """Write the units into a new table and swap it for the old in one transaction: a
    lookup meanwhile sees the old units, a failure leaves them."""
    from megler.progress import steps

    _create_private(path)
    table, columns = _table(country), Unit.columns()
    try:
        with closing(sqlite3.connect(path, isolation_level=None, timeout=15)) as db:
            db.execute("PRAGMA cache_size = -32768")  # 32 MB, whatever the file's size
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(f"DROP TABLE IF EXISTS new_{table}")
                db.execute(f"CREATE TABLE new_{table} ({', '.join(columns[:1])} TEXT PRIMARY KEY, "
                           f"{', '.join(columns[1:])}) WITHOUT ROWID")
                insert = f"INSERT OR IGNORE INTO new_{table} VALUES ({', '.join('?' * len(columns))})"
                count = 0
                for batch in steps(_batches(units), f"Reading {_NAMES[country]}'s units"):
                    db.executemany(insert, batch)
                    count += len(batch)
                if not count:
                    raise InvalidInput("the file holds no units; the table is left as it was")
                _swap(db, table, country, count)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
    except sqlite3.Error as e:
        raise MeglerError(f"cannot write {path}: {e}") from None
    return count


def _swap(db: sqlite3.Connection, table: str, country: str, count: int) -> None:
    db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute(f"ALTER TABLE new_{table} RENAME TO {table}")
    db.execute("CREATE TABLE IF NOT EXISTS imported (country TEXT PRIMARY KEY, day TEXT, units INTEGER)")
    db.execute("INSERT OR REPLACE INTO imported VALUES (?, ?, ?)", (country, today().isoformat(), count))


def _batches(units: Iterable[Unit]) -> Iterator[list[tuple]]:
    rows = (unit.row() for unit in units)
    while batch := list(islice(rows, BATCH)):
        yield batch


def _create_private(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
