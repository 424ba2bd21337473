"""A network's brokers writing at once, each as their own PostgreSQL role: nothing lost,
no traceback, nothing seen across the row-level security policy.

    python benchmarks/network.py postgresql://owner@/megler_network   # an empty database
    python benchmarks/network.py URL --brokers 20 --processes 16 --writes 25

The database's owner runs `megler network init` and adds the brokers; then `processes`
processes, each logged in as one of the brokers, run `writes` mixed writes each (a
contact, a visit with private notes, a need, a follow-up, an org edit), all at once.
Afterwards each broker reads the store as themselves, through megler and with plain
psycopg: their own rows are all there, and no colleague's contact, follow-up or note.
tests/test_network.py runs the same with fewer writes.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# One broker's process: `writes` commands in a row, as a script would run them.
WORKER = """
import sys
from megler.cli import main
broker, writes = sys.argv[1], int(sys.argv[2])
for n in range(writes):
    sys.argv = ["megler", *[
        ["contact", "add", "Fredrikstad Mek AS", f"Kontakt {broker} {n}"],
        ["visit", "add", "Fredrikstad Mek AS", "--notes", f"notat {broker} {n}"],
        ["need", "add", "Fredrikstad Mek AS", f"behov {broker} {n}", "--kind", "competence"],
        ["followup", "add", "Fredrikstad Mek AS", "--due", "+1w", "--text", f"oppfølging {broker} {n}"],
        ["org", "edit", "Fredrikstad Mek AS", "--employees", str(10 + n)],
    ][n % 5]]
    try:
        main()
    except SystemExit as e:
        if e.code:
            print(f"exit {e.code}", file=sys.stderr)
"""
KINDS = 5  # the commands above, in turn


def as_role(url: str, role: str) -> str:
    """The same database, logged in as `role`."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1] if '@' in rest else rest}"


def megler(*args: str, db: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "megler", *args, "--db", db], input=stdin,
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=300)


def _env() -> dict:
    return os.environ | {"MEGLER_TODAY": "2026-09-15", "NO_COLOR": "1"}


def set_up(url: str, brokers: int, tag: str) -> list[str]:
    """The network with its brokers (named `b<k>_<tag>`: roles are the whole server's)."""
    for args in (["network", "init"], ["org", "add", "Fredrikstad Mek AS"]):
        done = megler(*args, db=url)
        assert done.returncode == 0, done.stderr
    names = [f"b{k}_{tag}" for k in range(brokers)]
    for name in names:
        done = megler("network", "add-broker", name, "--password-stdin", db=url, stdin="et passord\n")
        assert done.returncode == 0, done.stderr
    return names


def write_at_once(url: str, names: list[str], processes: int, writes: int) -> dict:
    """Every process at once, each as one broker; the tracebacks, failures and wall time."""
    writers = names[:processes]

    def work(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", WORKER, name, str(writes)], cwd=ROOT,
                              env=_env() | {"MEGLER_DB": as_role(url, name)},
                              capture_output=True, text=True, timeout=600)

    started = time.perf_counter()
    with ThreadPoolExecutor(processes) as pool:
        runs = list(pool.map(work, writers))
    seconds = time.perf_counter() - started
    return {"writers": writers, "seconds": seconds,
            "tracebacks": sum("Traceback" in r.stderr for r in runs),
            "failed": sum(r.returncode != 0 or "exit " in r.stderr for r in runs),
            "first_error": next((r.stderr[-400:] for r in runs if r.returncode or "exit " in r.stderr), "")}


def audit(url: str, names: list[str], writers: list[str], writes: int) -> dict:
    """What each broker sees, as themselves: their own writes all there, nothing of others."""
    import psycopg

    per_kind = {k: len(range(k, writes, KINDS)) for k in range(KINDS)}
    lost = leaked = 0
    for name in names:
        mine = per_kind if name in writers else dict.fromkeys(range(KINDS), 0)
        with psycopg.connect(as_role(url, name)) as db:
            def one(sql: str, *args):
                return db.execute(sql, args).fetchone()[0]

            own = {0: one("SELECT count(*) FROM contact WHERE broker = %s", name),
                   1: one("SELECT count(*) FROM visit WHERE broker = %s AND notes LIKE 'notat%%'", name),
                   2: one("SELECT count(*) FROM need WHERE broker = %s", name),
                   3: one("SELECT count(*) FROM followup WHERE broker = %s", name)}
            lost += sum(mine[k] - own[k] for k in own)
            leaked += one("SELECT count(*) FROM contact WHERE broker <> %s", name)
            leaked += one("SELECT count(*) FROM followup WHERE broker <> %s", name)
            leaked += one("SELECT count(*) FROM visit WHERE broker <> %s AND notes IS NOT NULL", name)
            leaked += one("SELECT count(*) FROM audit WHERE broker <> %s", name)
    contacts = json.loads(megler("contact", "list", "--format", "json", "--all",
                                 db=as_role(url, writers[0])).stdout or "[]")
    leaked += sum(c.get("broker") != writers[0] for c in contacts)
    return {"lost": lost, "leaked": leaked}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="an empty PostgreSQL database, as its owner")
    parser.add_argument("--brokers", type=int, default=20)
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--writes", type=int, default=25)
    args = parser.parse_args(argv)
    tag = args.url.split("?")[0].rsplit("/", 1)[1]
    names = set_up(args.url, args.brokers, tag)
    ran = write_at_once(args.url, names, args.processes, args.writes)
    seen = audit(args.url, names, ran["writers"], args.writes)
    total = args.processes * args.writes
    print(f"{args.brokers} brokers, {args.processes} processes x {args.writes} writes = {total} "
          f"in {ran['seconds']:.1f} s ({total / ran['seconds']:.0f} writes/s); "
          f"lost {seen['lost']}, leaked {seen['leaked']}, tracebacks {ran['tracebacks']}, "
          f"failed processes {ran['failed']}")
    if ran["first_error"]:
        print(ran["first_error"])


if __name__ == "__main__":
    main()
