"""Running the real command line in-process, and reading a store back."""

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from typer.testing import CliRunner

from megler.cli import app

# Typer's runner keeps stderr apart from stdout (its vendored click >= 8.2 does by default).
_runner = CliRunner()


class Ran(NamedTuple):
    code: int
    out: str
    err: str


def invoke(args: list[str], *, input: str | None = None, env: dict | None = None) -> Ran:
    """Run `megler ARGS`; an exception other than an exit is a bug and is raised here."""
    result = _runner.invoke(app, [str(a) for a in args], input=input, env=env,
                            catch_exceptions=False, prog_name="megler")
    return Ran(result.exit_code, result.stdout, result.stderr)


def export(db: Path) -> dict:
    """The whole store as `megler export` prints it."""
    ran = invoke(["export", "--db", db])
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def assert_user_error(ran: Ran, *fragments: str) -> None:
    """Exit 1, one line `Error: …` on stderr naming the fragments, nothing on stdout."""
    assert ran.code == 1, (ran.code, ran.out, ran.err)
    assert ran.out == ""
    lines = ran.err.splitlines()
    assert len(lines) == 1, ran.err
    assert lines[0].startswith("Error: "), ran.err
    assert "Traceback" not in ran.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


TODAY = date(2026, 9, 15)  # the day the domain tests pretend it is


def days(n: int) -> date:
    """TODAY moved by n days."""
    return TODAY + timedelta(days=n)
