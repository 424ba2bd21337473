"""Does the period report cost little more than `megler due` on a big store?

    python benchmarks/report.py [--runs 5] [--store PATH] [--period 2026Q3]

Makes a 5,000-org / 50,000-visit store with make_store.py when the store is
missing, then times `megler report --period P` against `megler due` on it
(subprocess wall times, median of `--runs`) and prints both and the ratio.
Target: the report takes at most 1.5x the time of `megler due`. The period
defaults to the last complete quarter, which make_store fills with visits.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
TARGET = 1.5
sys.path.insert(0, str(HERE))

from startup import median_time  # noqa: E402  (the one timing helper of the benchmarks)


def ensure_store(path: Path, orgs: int, visits: int) -> None:
    if path.exists():
        return
    print(f"making {path} ({orgs} orgs, {visits} visits); this takes a few minutes",
          file=sys.stderr)
    subprocess.run([sys.executable, str(HERE / "make_store.py"), "--orgs", str(orgs),
                    "--visits", str(visits), str(path)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path,
                        default=Path(tempfile.gettempdir()) / "megler-bench-report-5000-50000.db")
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--visits", type=int, default=50000)
    parser.add_argument("--period", default="last-quarter")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    ensure_store(args.store, args.orgs, args.visits)
    megler = str(Path(sys.executable).with_name("megler"))
    # A config file of its own: the user's language setting must not change the run.
    env = os.environ | {"MEGLER_DB": str(args.store), "NO_COLOR": "1",
                        "MEGLER_CONFIG": str(args.store.with_suffix(".toml"))}
    subprocess.run([megler, "due"], check=True, stdout=subprocess.DEVNULL, env=env)  # warm the cache
    due = median_time([megler, "due"], args.runs, env)
    report = median_time([megler, "report", "--period", args.period], args.runs, env)
    ratio = report / due
    print(f"store: {args.store}")
    print(f"megler due:                      {due * 1000:7.0f} ms (median of {args.runs})")
    print(f"megler report --period {args.period:<8} {report * 1000:7.0f} ms (median of {args.runs})")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {'ok' if ratio <= TARGET else 'OVER'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
