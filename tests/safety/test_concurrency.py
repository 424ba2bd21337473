"""Several megler processes on one store: no write lost, no traceback, no lost update."""

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event

from megler import store
from tests.helpers import assert_user_error
from tests.safety.util import ROOT, megler, process_env, record, snapshot

pytestmark = pytest.mark.slow  # real processes, killed or racing: skip with -m 'not slow'

# Each worker is one process that runs `megler followup add` 25 times, as a script would.
WORKER = """
import sys
from megler.cli import main
worker = sys.argv[1]
for n in range(25):
    sys.argv = ["megler", "followup", "add", "Fredrikstad Mek", "--due", "+1w",
                "--text", f"worker {worker} item {n}"]
    try:
        main()
    except SystemExit as e:
        if e.code:
            print(f"exit {e.code}", file=sys.stderr)
"""


def _worker(db, number: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WORKER, str(number)], env=process_env(db),
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_eight_processes_adding_follow_ups_at_once_lose_nothing(case_db):
    before = _count(case_db, "followup")
    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda n: _worker(case_db, n), range(8)))
    added = _count(case_db, "followup") - before
    tracebacks = sum("Traceback" in r.stderr for r in runs)
    record("concurrency: 8 processes x 25 followup add", writes=200, rows_added=added,
           writes_lost=200 - added, tracebacks=tracebacks)
    assert [r.returncode for r in runs] == [0] * 8
    assert all("Added follow-up" in r.stderr and "exit" not in r.stderr for r in runs)
    assert tracebacks == 0
    assert added == 200
    texts = {row[0] for row in _rows(case_db, "SELECT text FROM followup")}
    assert {f"worker {w} item {n}" for w in range(8) for n in range(25)} <= texts


def test_eight_processes_creating_a_new_store_at_once(tmp_path):
    db = tmp_path / "new" / "megler.db"
    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda n: megler("org", "add", f"Verksted {n}", db=db), range(8)))
    assert [(r.returncode, r.stderr.count("Traceback")) for r in runs] == [(0, 0)] * 8
    assert _count(db, "org") == 8


def test_two_processes_editing_one_org_both_apply(case_db):
    """Writers take the lock before they read: the second edit lands on top of the first."""
    rounds = 5
    for n in range(rounds):
        with ThreadPoolExecutor(2) as pool:
            a = pool.submit(megler, "org", "edit", "Fredrikstad Mek", "--employees", 100 + n, db=case_db)
            b = pool.submit(megler, "org", "edit", "Fredrikstad Mek", "--industry", f"Sveis {n}", db=case_db)
            runs = [a.result(), b.result()]
        assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
        employees, industry = _rows(case_db, "SELECT employees, industry FROM org WHERE id = 1")[0]
        assert (employees, industry) == (100 + n, f"Sveis {n}")
    record("concurrency: two processes editing one org", rounds=rounds, updates=2 * rounds,
           updates_lost=0)


def test_a_store_locked_by_another_program_gives_one_line(case_db, cli):
    _short_busy_timeout(case_db)
    before = snapshot(case_db)
    holder = sqlite3.connect(case_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        ran = cli("followup", "add", "Fredrikstad Mek", "--text", "Ringe")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_user_error(ran, "locked by another megler process or program", str(case_db))
    assert snapshot(case_db) == before


def _short_busy_timeout(db) -> None:
    """Wait 50 ms for a lock instead of 15 s; connections made from now on."""
    engine = store.engine(db)

    @event.listens_for(engine, "connect")
    def _short(dbapi, _record):
        dbapi.execute("PRAGMA busy_timeout = 50")

    engine.dispose()


def _count(db, table: str) -> int:
    return _rows(db, f"SELECT count(*) FROM {table}")[0][0]


def _rows(db, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
