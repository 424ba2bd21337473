"""Words, numbers and dates per language."""

import re
from datetime import date

import pytest

from megler.reports import formats as f
from megler.reports.i18n import LANGS, TEXTS, counted, text
from megler.reports.indicators import INDICATORS
from megler.reports.nace import NAMES, section_of
from megler.reports.periods import parse_period
from megler.reports.pipeline import TARGET_KINDS
from megler.vocabulary import NeedKind, NeedStatus, ReferralStatus, VisitKind

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


NBSP = "\u00a0"


def test_every_text_exists_in_all_three_languages_with_the_same_blanks():
    """The same values in each language; a language may add a `{name:one|many}` choice
    on a value it also shows, but not one on a value it does not show."""
    for key, texts in TEXTS.items():
        assert len(texts) == len(LANGS) and all(t.strip() for t in texts), key
        shown = [set(re.findall(r"{(\w+)}", t)) for t in texts]
        assert shown[0] == shown[1] == shown[2], key
        for t in texts:
            choices = re.findall(r"{(\w+):([^{}]*)}", t)
            assert all(name in shown[0] and form.count("|") == 1 for name, form in choices), key


@pytest.mark.parametrize("count, one", [(0, False), (1, True), (2, False), ("1", True),
                                        ("1,5", False), ("21", False), ("-1", False)])
def test_only_a_count_shown_as_1_takes_the_singular(count, one):
    word = "day" if one else "days"
    assert counted(count, "day", "days") == f"{count} {word}"
    assert text("s_median", "en", days=count).endswith(f": {count} {word}.")


def test_every_vocabulary_word_and_indicator_has_a_label():
    needed = {*NeedKind, *NeedStatus, *ReferralStatus, *VisitKind, *TARGET_KINDS,
              "unknown", *(f"i_{name}" for name in INDICATORS)}
    assert needed <= set(TEXTS)
    assert all(len(names) == 3 for names in NAMES.values())


@pytest.mark.parametrize("lang, number, money, share, day", [
    ("en", "1,250,000", "NOK 1,250,000", "75%", "15 September 2026"),
    ("nb", f"1{NBSP}250{NBSP}000", f"1{NBSP}250{NBSP}000{NBSP}kr", f"75{NBSP}%", "15. september 2026"),
    ("sv", f"1{NBSP}250{NBSP}000", f"1{NBSP}250{NBSP}000{NBSP}NOK", f"75{NBSP}%", "15 september 2026"),
])
def test_formats(lang, number, money, share, day):
    assert f.number(1_250_000, lang) == number
    assert f.amount(1_250_000, lang, "NOK") == money
    assert f.share(0.75, lang) == share
    assert f.day(date(2026, 9, 15), lang) == day


def test_decimals_and_signs():
    assert (f.number(6.5, "en"), f.number(6.5, "nb"), f.number(1.0, "sv")) == ("6.5", "6,5", "1")
    assert f.number(1234.56, "nb") == f"1{NBSP}234,56"
    assert (f.signed(5, "en"), f.signed(-2, "nb"), f.signed(0, "sv")) == ("+5", "-2", "0")
    assert f.signed(-250_000, "en", currency="NOK") == "-NOK 250,000"


@pytest.mark.parametrize("lang, nok, sek", [
    ("en", "NOK 1,800,000", "SEK 250,000"),
    ("nb", f"1{NBSP}800{NBSP}000{NBSP}kr", f"250{NBSP}000{NBSP}SEK"),
    ("sv", f"1{NBSP}800{NBSP}000{NBSP}NOK", f"250{NBSP}000{NBSP}kr"),
])
def test_each_language_calls_its_own_currency_kr_and_names_the_other(lang, nok, sek):
    assert (f.amount(1_800_000, lang, "NOK"), f.amount(250_000, lang, "SEK")) == (nok, sek)


@pytest.mark.parametrize("text, en, nb, sv", [
    ("2026Q3", "Q3 2026", "3. kvartal 2026", "kvartal 3 2026"),
    ("2026", "2026", "2026", "2026"),
    ("2026-05", "May 2026", "mai 2026", "maj 2026"),
    ("2026-07-01..2026-08-15", "1 July 2026 – 15 August 2026",
     "1. juli 2026 – 15. august 2026", "1 juli 2026 – 15 augusti 2026"),
])
def test_period_names(text, en, nb, sv):
    period = parse_period(text, date(2026, 12, 1))
    assert [f.period(period, lang) for lang in LANGS] == [en, nb, sv]


@pytest.mark.parametrize("division, section", [
    ("01", "A"), ("03", "A"), ("10", "C"), ("25", "C"), ("33", "C"), ("35", "D"), ("41", "F"),
    ("62", "J"), ("84", "O"), ("86", "Q"), ("99", "U"), ("00", "unknown"), ("04", "unknown"),
    (None, "unknown"),
])
def test_nace_sections(division, section):
    assert section_of(division) == section
