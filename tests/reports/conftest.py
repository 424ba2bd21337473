"""The report tests: the scenario store, and settings kept away from the user's own."""

import json
from datetime import date
from pathlib import Path

import pytest

from megler import store
from megler.reports import figures_for, parse_period
from tests.reports import scenario

Q3_END_NEXT_DAY = date(2026, 10, 1)


def build_store(path: Path, until: date = date(2026, 12, 31)) -> Path:
    with store.session(path, write=True) as s:
        scenario.build(s, until)
    return path


@pytest.fixture
def scenario_db(db_path, monkeypatch) -> Path:
    """The whole scenario at $MEGLER_DB, with today fixed in December 2026."""
    monkeypatch.setenv("MEGLER_TODAY", "2026-12-15")
    return build_store(db_path)


def figures(db: Path, period: str, **kwargs) -> dict:
    """The figures of a period, through JSON as `--format json` gives them."""
    with store.session(db) as s:
        found = figures_for(s, parse_period(period, date(2026, 12, 15)), **kwargs)
    return json.loads(json.dumps(found, default=str))
