"""The scenario's Q3 report in three languages, against the files in golden/.

After a deliberate change to the report, rewrite them and review the diff:

    UPDATE_GOLDEN=1 pytest tests/reports/test_golden.py
"""

import os
import re
from pathlib import Path

import pytest

from megler import store
from megler.reports import parse_period, report
from megler.reports.goals import set_goal
from megler.reports.i18n import LANGS, TEXTS
from tests.reports.conftest import Q3_END_NEXT_DAY

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def goals_db(scenario_db) -> Path:
    """The scenario with three goals for Q3: one reached, one nearly, one not."""
    with store.session(scenario_db, write=True) as s:
        q3 = parse_period("2026Q3", Q3_END_NEXT_DAY)
        set_goal(s, q3, "orgs_visited", 5)
        set_goal(s, q3, "funding_granted_nok", "1M")
        set_goal(s, q3, "applications", 2)
    return scenario_db


def _write_report(db: Path, period: str, lang: str, fmt: str = "md") -> str:
    with store.session(db) as s:
        return report(s, parse_period(period, Q3_END_NEXT_DAY), lang=lang, fmt=fmt,
                      broker="Kari Ødegård")


@pytest.mark.parametrize("lang", LANGS)
def test_golden_report(goals_db, lang):
    made = _write_report(goals_db, "2026Q3", lang)
    golden = GOLDEN / f"2026Q3.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(made, encoding="utf-8")
    assert made == golden.read_text(encoding="utf-8")


def test_golden_figures(goals_db):
    made = _write_report(goals_db, "2026Q3", "en", "json")
    golden = GOLDEN / "2026Q3.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(made, encoding="utf-8")
    assert made == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_no_words_from_another_language(scenario_db, lang):
    """Each heading and label of the other languages (where they differ) is absent."""
    made = _write_report(scenario_db, "2026Q3", lang)
    mine = {texts[LANGS.index(lang)] for texts in TEXTS.values()}
    for key, texts in TEXTS.items():
        for other, words in zip(LANGS, texts, strict=True):
            if other == lang or words in mine or "{" in words or len(words) < 6:
                continue
            assert not re.search(rf"(?<!\w){re.escape(words)}(?!\w)", made), (lang, key, words)


@pytest.mark.parametrize("lang, amount, day", [
    ("en", "NOK 1,550,000", "15 September 2026"),
    ("nb", "1\u00a0550\u00a0000\u00a0kr", "15. september 2026"),
    ("sv", "1\u00a0550\u00a0000\u00a0NOK", "15 september 2026"),  # a Swede reads kr as SEK
])
def test_numbers_and_dates_per_language(scenario_db, lang, amount, day):
    made = _write_report(scenario_db, "2026Q3", lang)
    assert amount in made and day in made


def test_an_empty_period_is_a_report_of_zeros(scenario_db):
    made = _write_report(scenario_db, "2025Q1", "nb")
    assert "# Rapport for 1. kvartal 2025" in made
    assert "| Besøk | 0 | 0 | 0 | – | – |" in made
    assert "pie" not in made  # a pie of nothing is not drawn; its table is
