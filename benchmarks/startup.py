"""How much more than importing its libraries does a megler command cost?

    python benchmarks/startup.py [--runs 15] [--store PATH]

Median wall times, in one run: `megler --version` against `python -c "import typer"`
(target <= 1.5x) and `megler due` on a 2,000-org / 10,000-visit store against
`python -c "import typer, sqlmodel"` (target <= 1.3x). The store is made with
make_store.py when it is missing.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def median_time(argv: list[str], runs: int, env: dict | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compare(label: str, ours: list[str], base: list[str], target: float, runs: int) -> None:
    median_time(ours, 2)  # warm the file cache and bytecode
    mine, theirs = median_time(ours, runs), median_time(base, runs)
    verdict = "ok" if mine / theirs <= target else "OVER"
    print(f"{label:<28} {mine * 1000:7.0f} ms  vs {theirs * 1000:6.0f} ms  "
          f"= {mine / theirs:4.2f}x  (target <= {target}x) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--store", type=Path)
    args = parser.parse_args()
    py = sys.executable
    megler = [py, "-m", "megler"]
    store = args.store or Path(tempfile.gettempdir()) / "megler-bench-2000x10000.db"
    if not store.exists():
        subprocess.run([py, HERE / "make_store.py", "--orgs", "2000", "--visits", "10000",
                        store], check=True)
    compare("megler --version", [*megler, "--version"], [py, "-c", "import typer"], 1.5, args.runs)
    compare("megler due (2000 x 10000)", [*megler, "due", "--db", str(store)],
            [py, "-c", "import typer, sqlmodel"], 1.3, args.runs)


if __name__ == "__main__":
    main()
