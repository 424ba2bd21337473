"""Shared by the safety tests: real megler processes, store snapshots, the figures."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import TODAY

ROOT = Path(__file__).resolve().parents[2]
FIXED_TODAY = TODAY.isoformat()
FIGURES: dict[str, dict] = {}


def megler(*args, db: Path, env: dict | None = None, timeout: float = 60, prefix=(), **kw):
    """`python -m megler ARGS` in a fresh process: (exit code, stdout, stderr)."""
    return subprocess.run([*prefix, sys.executable, "-m", "megler", *map(str, args)],
                          env=process_env(db, env), capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, **kw)


def spawn(args, db: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "megler", *map(str, args)],
                            env=process_env(db, env), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def process_env(db: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEGLER_")}
    env.update({"MEGLER_DB": str(db), "MEGLER_TODAY": FIXED_TODAY, "NO_COLOR": "1",
                "COLUMNS": "200", "MEGLER_CONFIG": str(db.parent / "no-config.toml")})
    return env | (extra or {})


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (the search index too), timestamps masked.

    Timestamps say when a run happened, not what it did: two runs of one command
    must give equal snapshots.
    """
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: _rows(con, name) for name in names}
    finally:
        con.close()


def _rows(con: sqlite3.Connection, table: str) -> list[tuple]:
    info = con.execute(f"PRAGMA table_info('{table}')").fetchall()
    masked = {i for i, col in enumerate(info) if col[2].upper() == "DATETIME"
              or col[1] == "applied_at"}
    rows = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid' if table != "search" else
                       "SELECT rowid, title, body FROM search ORDER BY rowid").fetchall()
    return [tuple("T" if i in masked else v for i, v in enumerate(row)) for row in rows]


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        result = con.execute("PRAGMA integrity_check").fetchone()[0]
        fts = con.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
        del fts
        return result
    except sqlite3.DatabaseError as e:
        return f"search index: {e}"
    finally:
        con.close()


def fresh_copy(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


def record(name: str, **figures) -> None:
    """Keep a figure for the note; $MEGLER_SAFETY_FIGURES collects them across a run."""
    FIGURES.setdefault(name, {}).update(figures)
    print(f"\n[figures] {name}: {figures}")
    if out := os.environ.get("MEGLER_SAFETY_FIGURES"):
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"test": name, **figures}) + "\n")
