"""Writes that depend on what they read, started at the same instant in several processes:
exactly one wins, the others are told in one line why not, and the store stays whole.

Each worker imports megler first and then waits for a shared start time, so the
commands' read-then-write windows overlap rather than following one another.
"""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import _build_case_store
from tests.helpers import TODAY, count, export, records
from tests.safety.util import ROOT

pytestmark = pytest.mark.slow  # real processes racing: skip with -m 'not slow'

AT_ONCE = """
import sys, time
from megler.cli import main
start, args = float(sys.argv[1]), sys.argv[2:]
time.sleep(min(2.5, max(0.0, start - time.time())))  # a clock faked per process: at once
sys.argv = ["megler", *args]
main()
"""


def race(db, tmp_path, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    """Run each command in its own process, all starting together."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEGLER_")} | {
        "MEGLER_DB": str(db), "MEGLER_TODAY": TODAY.isoformat(), "NO_COLOR": "1",
        "MEGLER_CONFIG": str(tmp_path / "none.toml")}
    start = time.time() + 2.5  # after every process has imported megler (AT_ONCE caps it)

    def run(args):
        return subprocess.run([sys.executable, "-c", AT_ONCE, str(start), *args], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=120)

    with ThreadPoolExecutor(len(commands)) as pool:
        runs = list(pool.map(run, commands))
    assert not [r.stderr for r in runs if "Traceback" in r.stderr]
    return runs


def one_won(runs, refusal: str) -> None:
    codes = sorted(r.returncode for r in runs)
    assert codes == [0] + [1] * (len(runs) - 1), [r.stderr for r in runs]
    for lost in (r for r in runs if r.returncode):
        assert len(lost.stderr.strip().splitlines()) == 1 and refusal in lost.stderr, lost.stderr


def test_a_follow_up_done_by_eight_processes_at_once_is_done_once(any_db, tmp_path):
    _build_case_store(any_db)
    runs = race(any_db, tmp_path, *[["followup", "done", "1"]] * 8)
    one_won(runs, "was done on")
    changes = [a for a in export(any_db)["tables"]["audit"]
               if a["entity"] == "followup" and a["action"] == "change"]
    assert len(changes) == 1


def test_a_referral_sent_two_ways_by_eight_processes_at_once_goes_one_way(any_db, tmp_path):
    _build_case_store(any_db)
    ways = ["declined", "enrolled"] * 4  # from suggested either may come, but not the other after
    runs = race(any_db, tmp_path, *[["referral", "update", "1", "--status", w] for w in ways])
    won = {w for w, r in zip(ways, runs, strict=True) if r.returncode == 0}
    assert len(won) == 1, [r.stderr for r in runs]
    (status,) = won
    lost = [r for w, r in zip(ways, runs, strict=True) if w != status]
    assert all(r.returncode == 1 and "cannot become" in r.stderr for r in lost), [r.stderr for r in lost]
    tables = records(any_db)
    assert tables["referral"][0]["status"] == status
    assert [e["status"] for e in tables["referralevent"]] == ["suggested"] + [status] * 4


def test_two_orgs_merged_into_each_other_at_once_end_as_one(any_db, tmp_path):
    _build_case_store(any_db)
    visits, needs = count(any_db, "visit"), count(any_db, "need")
    runs = race(any_db, tmp_path, ["org", "merge", "1", "2", "--yes"],
                ["org", "merge", "2", "1", "--yes"])
    one_won(runs, "no org")
    orgs = {o["id"] for o in records(any_db)["org"]}
    assert len(orgs & {1, 2}) == 1
    assert count(any_db, "visit") == visits and count(any_db, "need") == needs
    assert {v["org_id"] for v in records(any_db)["visitorg"]} <= orgs
