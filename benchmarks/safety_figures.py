"""The data-safety figures for the note: kills and rows lost, concurrent writes and
writes lost, malformed inputs and tracebacks, erased names found afterwards.

    python benchmarks/safety_figures.py

Runs tests/safety (about a minute) and sums what its tests recorded. Every "lost",
"found" and "traceback" figure must be 0.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.jsonl"
        env = os.environ | {"MEGLER_SAFETY_FIGURES": str(out)}
        run = subprocess.run([sys.executable, "-m", "pytest", "tests/safety", "-q", "-p",
                              "no:cacheprovider"], cwd=ROOT, env=env)
        rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    kills = [r for r in rows if r["test"].startswith("kill -9")]
    lines = [
        ("kills injected", sum(r["kills"] for r in kills)),
        ("rows lost or torn after a kill", sum(r["rows_lost_or_torn"] for r in kills)),
        ("kills that left the before-state / after-state",
         f"{sum(r['before_state'] for r in kills)} / {sum(r['after_state'] for r in kills)}"),
    ]
    for r in rows:
        if r["test"].startswith("concurrency: 8"):
            lines += [("concurrent writes (8 processes x 25)", r["writes"]),
                      ("concurrent writes lost", r["writes_lost"]),
                      ("tracebacks from concurrent processes", r["tracebacks"])]
        elif r["test"].startswith("concurrency: two"):
            lines += [("concurrent edits of one org", r["updates"]),
                      ("edits lost", r["updates_lost"])]
        elif r["test"].startswith("erasure"):
            lines += [("erased names, e-mails and phones looked for", r["names_and_emails_erased"]),
                      ("erased strings found afterwards", r["found_afterwards"])]
    malformed = [r for r in rows if r["test"].startswith("malformed input")]
    lines += [("malformed inputs tried", sum(r["tried"] for r in malformed)),
              ("tracebacks seen", sum(r["tracebacks"] for r in malformed))]
    made = [r for r in rows if r["test"].startswith("property:")]
    lines += [("command lines made by hypothesis", sum(r["tried"] for r in made)),
              ("tracebacks among them", sum(r["tracebacks"] for r in made))]
    width = max(len(k) for k, _ in lines) if lines else 0
    print()
    for key, value in lines:
        print(f"{key:<{width}}  {value}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
