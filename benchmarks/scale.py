"""How megler's reading commands scale: wall time and peak memory on a network's decade.

    python benchmarks/scale.py                      # 20,000 orgs, 200,000 visits
    python benchmarks/scale.py --orgs 2000 --visits 20000 --repeat 3
    python benchmarks/scale.py --db postgresql://…/megler_scale   # the same store on PostgreSQL

With --db, the SQLite store is moved into that (empty) PostgreSQL database once, by
`megler export` and `megler import` as a broker would move it, and every command runs
on both: the budget there is within 2× of the same command on SQLite, and `due`,
`report` and `search` under a second.

The store is made once and kept in /tmp/megler-scale. benchmarks/make_store.py makes the
orgs and a tenth of the visits, two years of them (through the domain functions, as a
broker's commands would: all of them that way takes hours); SQL then copies those visits
with their needs, referrals, events, follow-ups and audit rows until the store has them
all, copy k dated k years earlier, so every table is as big as a decade makes it and a
quarter holds a quarter's visits (2,000–4,500, not all 21,000 of the copies at one date). Each command runs as a broker runs it, a new
process with stdout to a file, and is set against `megler due` (the budget: within 2×).
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
CACHE = Path("/tmp/megler-scale")
TODAY = "2026-09-15"
BUDGET = 2.0  # every command within this many times `due`; on PostgreSQL, of itself on SQLite
UNDER_A_SECOND = ("due", "report --period 2026Q3", "search sveis")  # on PostgreSQL
COMMANDS = [["due"], ["org", "list"], ["contact", "list"], ["visit", "list"], ["need", "list"],
            ["referral", "list"], ["followup", "list"], ["check"], ["export", "{out}"],
            ["export", "--format", "xlsx", "{out}"],
            ["report", "--period", "2026Q3"], ["search", "sveis"]]
# What a copy of the visits takes along: every table whose rows hang on a visit.
COPIED = ["visit", "visitorg", "visitcontact", "need", "referral", "referralevent", "followup",
          "audit"]


def store(orgs: int, visits: int, times: int) -> Path:
    """The cached store of that size, made first if need be."""
    path = CACHE / f"decade-{orgs}x{visits}.db"
    if path.exists():
        return path
    base = CACHE / f"base-{orgs}x{visits // times}.db"
    if not base.exists():
        making = base.with_suffix(".making")
        making.unlink(missing_ok=True)
        subprocess.run([sys.executable, HERE / "make_store.py", "--orgs", str(orgs), "--visits",
                        str(visits // times), making], check=True, env=_env(making))
        making.rename(base)
    copy = path.with_suffix(".making")
    shutil.copyfile(base, copy)
    copy.chmod(0o600)  # as megler keeps a store: `check` would report it otherwise
    multiply(copy, times)
    copy.rename(path)
    return path


def multiply(path: Path, times: int) -> None:
    """Copy the visits and all that hangs on them `times - 1` more times, ids shifted."""
    db = sqlite3.connect(path)
    shift = {t: db.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] for t in COPIED}
    with db:
        for k in range(1, times):
            for table in COPIED:
                db.execute(_copy_sql(db, table, shift, k))
    db.close()


def _copy_sql(db: sqlite3.Connection, table: str, shift: dict[str, int], k: int) -> str:
    """INSERT … SELECT of a table's original rows, its id and its references to copied
    tables moved up by k copies and its dates k years back (the search index follows by
    its triggers)."""
    types = {r[1]: r[2] for r in db.execute(f"PRAGMA table_info({table})")}
    columns = list(types)
    moved = {r[3]: r[2] for r in db.execute(f"PRAGMA foreign_key_list({table})") if r[2] in shift}
    if "id" in columns:
        moved["id"] = table
    earlier = {"DATE": "date({c}, '-{k} years')", "DATETIME": "date({c}, '-{k} years') || substr({c}, 11)"}
    values = [f"{c} + {k * shift[moved[c]]}" if c in moved
              else earlier[types[c]].format(c=c, k=k) if types[c] in earlier else c for c in columns]
    original = " AND ".join(f"coalesce({c}, 0) <= {shift[t]}" for c, t in moved.items())
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {table} WHERE {original}")


def moved_to(target: str, db: Path) -> str:
    """The store at `target` (a PostgreSQL URL or a SQLite path), filled from the SQLite
    store `db` by `megler export` and `megler import` if it is empty."""
    if _count(target, "visit") == 0:
        document = db.with_suffix(".json")
        if not document.exists():
            subprocess.run([sys.executable, "-m", "megler", "export", document], check=True, env=_env(db))
        subprocess.run([sys.executable, "-m", "megler", "import", document], check=True,
                       env=_env(target), stdout=subprocess.DEVNULL)
    return target


def _count(url: str, table: str) -> int:
    from megler import sql, store

    try:
        with store.session(url) as s:
            return sql.value(s, f"SELECT count(*) FROM {table}")
    finally:  # an open connection here would keep the import's WAL from being folded in
        store.close(url)


def _env(db: Path | str) -> dict:
    return os.environ | {"MEGLER_DB": str(db), "MEGLER_TODAY": TODAY, "NO_COLOR": "1",
                         "COLUMNS": "120"}


def measure(db: Path | str, args: list[str], out: Path) -> tuple[float, float, float]:
    """Wall seconds, peak memory (MB) and CPU seconds of one run of `megler ARGS` (CPU
    time barely moves when other work shares the machine; wall time does)."""
    argv = [sys.executable, "-m", "megler", *(a.format(out=out) for a in args)]
    out.unlink(missing_ok=True)
    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=_env(db))
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"megler {' '.join(args)} failed: {errors}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--times", type=int, default=10, help="copies of make_store's visits")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL database to run them on too")
    args = parser.parse_args(argv)
    CACHE.mkdir(exist_ok=True)
    db = store(args.orgs, args.visits, args.times)
    results = run_all(db, args.repeat)
    due, _, due_cpu = results["due"]
    print(f"{db.name}: {args.orgs:,} orgs, {args.visits:,} visits; budget {BUDGET:g}× due\n")
    print(f"{'command':<26} {'wall s':>7} {'peak MB':>8} {'× due':>6} {'cpu s':>6} {'× due':>6}")
    for name, (wall, peak, cpu) in results.items():
        flag = "" if wall <= BUDGET * due else "  over budget"
        print(f"{name.replace('{out}', 'FILE'):<26} {wall:7.2f} {peak:8.0f} {wall / due:6.2f}"
              f" {cpu:6.2f} {cpu / due_cpu:6.2f}{flag}")
    if args.db:  # like with like: an import audits each row it adds, so both are imported
        imported = str(db.with_name(f"{db.stem}-imported.db"))
        compare(run_all(moved_to(imported, db), args.repeat),
                run_all(moved_to(args.db, db), args.repeat))


def run_all(db: Path | str, repeat: int) -> dict[str, tuple[float, float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.json"
        for first in (["due"], ["search", "sveis"]):  # upgrade an older store, fill the index
            measure(db, first, out)
        return {" ".join(c): min(measure(db, c, out) for _ in range(repeat)) for c in COMMANDS}


def compare(sqlite: dict, postgres: dict) -> None:
    print(f"\nOn PostgreSQL; budget {BUDGET:g}× the same command on SQLite, "
          f"and under 1 s for {', '.join(UNDER_A_SECOND)}\n")
    print(f"{'command':<26} {'wall s':>7} {'peak MB':>8} {'× sqlite':>9}")
    for name, (wall, peak, _) in postgres.items():
        over = wall > BUDGET * sqlite[name][0] or (name in UNDER_A_SECOND and wall >= 1)
        print(f"{name.replace('{out}', 'FILE'):<26} {wall:7.2f} {peak:8.0f} "
              f"{wall / sqlite[name][0]:9.2f}{'  over budget' if over else ''}")


if __name__ == "__main__":
    main()
