"""Running the real command line in-process, and reading a store back."""

import json
import sqlite3
import sys
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


def records(db: Path) -> dict:
    """The store's tables as exported, without the audit log, which every write adds to
    (an undo too): what the broker sees as the data."""
    return {k: v for k, v in export(db)["tables"].items() if k != "audit"}


def count(db: Path | str, table: str) -> int:
    """Rows in a table of the store, on either backend; none in a store not made yet."""
    if str(db).startswith("postgresql://"):
        from megler import sql, store

        with store.session(db) as s:
            return sql.value(s, f"SELECT count(*) FROM {table}")
    if not Path(db).exists():
        return 0
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


def at_terminal(args: list, *, env: dict | None = None, timeout: float = 120) -> Ran:
    """Run `megler ARGS` in a new process whose stdin is a terminal (a pty), as a person
    runs it: only there does megler open an editor. stdout and stderr are read apart."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "megler", *map(str, args)], stdin=slave,
                              capture_output=True, text=True, env=os.environ | (env or {}),
                              timeout=timeout)
    finally:
        os.close(master)
        os.close(slave)
    return Ran(done.returncode, done.stdout, done.stderr)


def read_terminal(leader: int) -> bytes:
    """All a pseudo-terminal showed, read from its leader side until the process closed it."""
    import os

    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def kept_draft(err: str) -> Path:
    """The template an error says it kept, from the command it names to store it."""
    import re
    import shlex

    found = re.search(r"megler visit add (?:--db \S+ )?--from (.+?)` ", err)
    assert found, err
    return Path(shlex.split(found.group(1))[0])


def editor(tmp_path: Path, body: str) -> str:
    """A real $EDITOR: a script that records what it was given and writes `body` back."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(tmp_path / 'seen.md')!r}).write_text(path.read_text('utf-8'), 'utf-8')\n"
        f"path.write_text({body!r}, encoding='utf-8')\n", encoding="utf-8")
    return f"{sys.executable} {script}"
