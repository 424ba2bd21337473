"""kill -9 at random moments: the store is always as before the command or as after it.

Each scenario runs a writing command in a real process and SIGKILLs it at a random
moment, on a fresh copy of one store each time. A third of the kills fall anywhere in
the run, a third once the store is open, and a third in the few milliseconds after
the commit starts writing the WAL, where a torn write would show. Several processes
run at once to keep the test quick.
"""

import random
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from megler import store
from tests.safety.util import ROOT, fresh_copy, integrity, record, snapshot, spawn

pytestmark = pytest.mark.slow  # real processes, killed or racing: skip with -m 'not slow'

KILLS_PER_SCENARIO = 26      # four scenarios: over 100 kills per run
MAX_TRIALS = 45
WORKERS = 4

VISIT = ["visit", "add", "Fredrikstad Mek", "--date", "2026-09-10", "--contact", "1",
         "--notes", "Kari Ødegård viste oss sveiselinja", "--since-last", "Fikk ordren",
         "--next-steps", "Sende kursplan", "--need", "Sveisekurs for 6 ansatte",
         "--need", "To lærlinger i CNC", "--need", "Lederutvikling", "--follow-up", "2026-09-30"]
SCENARIOS = {
    "visit add with needs": VISIT,
    "org merge": ["org", "merge", "Fredrikstad Mek", "Fredrikstad Bryggeri", "--yes"],
    "catalog import": ["catalog", "import", ROOT / "examples" / "catalog"],
    "contact erase --redact": ["contact", "erase", "1", "--redact", "--yes"],
}


@dataclass
class Timing:
    total: float        # seconds from start to exit
    opened: float       # seconds from start until the store's WAL first appears


def _wal(db: Path) -> Path:
    return Path(f"{db}-wal")


def _measure(base: Path, work: Path, args) -> tuple[Timing, dict]:
    db = fresh_copy(base, work / "measure" / "megler.db")
    start, opened = time.monotonic(), None
    proc = spawn(args, db)
    while proc.poll() is None:
        if opened is None and _wal(db).exists():
            opened = time.monotonic() - start
        time.sleep(0.0005)
    total = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr.read()
    return Timing(total, opened or total * 0.7), snapshot(db)


def _wait_until(proc, condition, limit: float) -> None:
    end = time.monotonic() + limit
    while proc.poll() is None and not condition() and time.monotonic() < end:
        time.sleep(0.0003)


def _wal_size(db: Path) -> int:
    try:  # the process may remove its WAL between two looks: that is no error
        return _wal(db).stat().st_size
    except FileNotFoundError:
        return 0


def _trial(n: int, base: Path, work: Path, args, timing: Timing, seed: int) -> tuple[bool, dict, str]:
    rng = random.Random(seed * 1000 + n)
    db = fresh_copy(base, work / f"t{n}" / "megler.db")
    proc = spawn(args, db)
    if n % 3 == 0:
        time.sleep(rng.uniform(0, timing.total))
    elif n % 3 == 1:
        _wait_until(proc, _wal(db).exists, timing.total * 2)
        time.sleep(rng.uniform(0, max(timing.total - timing.opened, 0.01)))
    else:
        _wait_until(proc, lambda: _wal_size(db) > 0, timing.total * 2)
        time.sleep(rng.uniform(0, 0.004))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    checked = integrity(db)
    state = snapshot(db) if checked == "ok" else {}
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    shutil.rmtree(db.parent, ignore_errors=True)
    return killed, state, checked + ("" if killed or proc.returncode == 0 else f" rc={proc.returncode} {err}")


@pytest.fixture(scope="module")
def base_store(_case_template, tmp_path_factory) -> Path:
    """The small case store, checkpointed into one file."""
    db = tmp_path_factory.mktemp("killbase") / "megler.db"
    shutil.copyfile(_case_template, db)
    store.checkpoint(db)
    return db


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_killed_command_leaves_the_store_before_or_after(scenario, base_store, tmp_path):
    args = SCENARIOS[scenario]
    before = snapshot(base_store)
    timing, after = _measure(base_store, tmp_path, args)
    assert after != before, "the command changed nothing: the test would prove nothing"
    kills = trials = lost = 0
    outcomes = {"before": 0, "after": 0}
    seed = random.randrange(10**6)
    with ThreadPoolExecutor(WORKERS) as pool:
        while kills < KILLS_PER_SCENARIO and trials < MAX_TRIALS:
            batch = [pool.submit(_trial, trials + i, base_store, tmp_path, args, timing, seed)
                     for i in range(WORKERS)]
            for future in batch:
                killed, state, checked = future.result()
                trials += 1
                kills += killed
                assert checked == "ok", (scenario, seed, checked)
                if state == before:
                    outcomes["before"] += 1
                elif state == after:
                    outcomes["after"] += 1
                else:
                    lost += 1
    record(f"kill -9: {scenario}", kills=kills, trials=trials, rows_lost_or_torn=lost,
           before_state=outcomes["before"], after_state=outcomes["after"], seed=seed,
           command_seconds=round(timing.total, 2))
    assert lost == 0, (scenario, seed)
    assert kills >= KILLS_PER_SCENARIO * 0.8, f"only {kills} of {trials} runs were killed"
