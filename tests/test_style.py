"""The habits that keep the code readable: ruff's lint and mypy's types, clean on src/.

They run as tests so that the README's one test command checks them too; a developer
can skip them in the inner loop with -m 'not slow'.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_ruff_finds_nothing():
    ran = _run("ruff", "check", "src", "tests", "benchmarks")
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_mypy_finds_nothing_in_src():
    ran = _run("mypy", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
