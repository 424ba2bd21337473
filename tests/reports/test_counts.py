"""Words that agree with their count, for 0, 1 and 2, through the whole report.

The store of count `n` holds `n` companies without R&D experience, each met for
the first time in Q3 2026 with one need that was referred the same day, so that
every counted figure of the report's sentences is `n` (and needs per org is 1).
Zero is written as a numeral with the plural in every language: "0 visits".
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from megler import store
from megler.orgs import OrgFields, add_org
from megler.reports import parse_period, report
from megler.reports.goals import set_goal
from tests.reports.conftest import Q3_END_NEXT_DAY
from tests.reports.scenario import refer, visit

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


MET_ON = date(2026, 8, 3)

SENTENCES = {
    ("en", 0): [
        "In Q3 2026: 0 visits with 0 organisations (0 met for the first time); 0 needs found, "
        "0 referrals made and NOK 0 granted.",
        "0 organisations met: 0 new and 0 returning; 0 of them are companies without R&D "
        "experience; 0 companies applied for their first R&D project.",
        "0 needs found, 0 per organisation met.",
        "0 referrals made in the period; 0 in play (made, changed or still in progress)"],
    ("en", 1): [
        "In Q3 2026: 1 visit with 1 organisation (1 met for the first time); 1 need found, "
        "1 referral made and NOK 0 granted.",
        "1 organisation met: 1 new and 0 returning; 1 of them is a company without R&D "
        "experience; 0 companies applied for their first R&D project.",
        "1 need found, 1 per organisation met.",
        "1 referral made in the period; 1 in play (made, changed or still in progress)"],
    ("en", 2): [
        "In Q3 2026: 2 visits with 2 organisations (2 met for the first time); 2 needs found, "
        "2 referrals made and NOK 0 granted.",
        "2 organisations met: 2 new and 0 returning; 2 of them are companies without R&D "
        "experience; 0 companies applied for their first R&D project.",
        "2 needs found, 1 per organisation met.",
        "2 referrals made in the period; 2 in play (made, changed or still in progress)"],
    ("nb", 0): [
        "I 3. kvartal 2026: 0 besøk hos 0 virksomheter (0 møtt for første gang); 0 behov funnet, "
        "0 henvisninger gjort og 0\u00a0kr innvilget.",
        "0 virksomheter møtt: 0 nye og 0 som vi har møtt før; 0 av dem er bedrifter uten "
        "FoU-erfaring; 0 bedrifter søkte om sitt første FoU-prosjekt.",
        "0 behov funnet, 0 per virksomhet møtt.",
        "0 henvisninger gjort i perioden; 0 i arbeid (gjort, endret eller fortsatt pågående)"],
    ("nb", 1): [
        "I 3. kvartal 2026: 1 besøk hos 1 virksomhet (1 møtt for første gang); 1 behov funnet, "
        "1 henvisning gjort og 0\u00a0kr innvilget.",
        "1 virksomhet møtt: 1 ny og 0 som vi har møtt før; 1 av dem er en bedrift uten "
        "FoU-erfaring; 0 bedrifter søkte om sitt første FoU-prosjekt.",
        "1 behov funnet, 1 per virksomhet møtt.",
        "1 henvisning gjort i perioden; 1 i arbeid (gjort, endret eller fortsatt pågående)"],
    ("nb", 2): [
        "I 3. kvartal 2026: 2 besøk hos 2 virksomheter (2 møtt for første gang); 2 behov funnet, "
        "2 henvisninger gjort og 0\u00a0kr innvilget.",
        "2 virksomheter møtt: 2 nye og 0 som vi har møtt før; 2 av dem er bedrifter uten "
        "FoU-erfaring; 0 bedrifter søkte om sitt første FoU-prosjekt.",
        "2 behov funnet, 1 per virksomhet møtt.",
        "2 henvisninger gjort i perioden; 2 i arbeid (gjort, endret eller fortsatt pågående)"],
    ("sv", 0): [
        "Under kvartal 3 2026: 0 besök hos 0 organisationer (0 mötta för första gången); "
        "0 behov hittade, 0 hänvisningar gjorda och 0\u00a0kr beviljade.",
        "0 organisationer mötta: 0 nya och 0 återkommande; 0 av dem är företag utan "
        "FoU-erfarenhet; 0 företag sökte för sitt första FoU-projekt.",
        "0 behov hittade, 0 per mött organisation.",
        "0 hänvisningar gjorda under perioden; 0 aktuella (gjorda, ändrade eller fortfarande pågående)"],
    ("sv", 1): [
        "Under kvartal 3 2026: 1 besök hos 1 organisation (1 mött för första gången); "
        "1 behov hittat, 1 hänvisning gjord och 0\u00a0kr beviljade.",
        "1 organisation mött: 1 ny och 0 återkommande; 1 av dem är ett företag utan "
        "FoU-erfarenhet; 0 företag sökte för sitt första FoU-projekt.",
        "1 behov hittat, 1 per mött organisation.",
        "1 hänvisning gjord under perioden; 1 aktuell (gjord, ändrad eller fortfarande pågående)"],
    ("sv", 2): [
        "Under kvartal 3 2026: 2 besök hos 2 organisationer (2 mötta för första gången); "
        "2 behov hittade, 2 hänvisningar gjorda och 0\u00a0kr beviljade.",
        "2 organisationer mötta: 2 nya och 0 återkommande; 2 av dem är företag utan "
        "FoU-erfarenhet; 0 företag sökte för sitt första FoU-projekt.",
        "2 behov hittade, 1 per mött organisation.",
        "2 hänvisningar gjorda under perioden; 2 aktuella (gjorda, ändrade eller fortfarande pågående)"],
}

MEDIAN = {
    "en": ("Median time from a need to its first referral: {} {}.", "day", "days"),
    "nb": ("Mediantid fra behov til første henvisning: {} {}.", "dag", "dager"),
    "sv": ("Mediantid från behov till första hänvisning: {} {}.", "dag", "dagar"),
}

GOALS = {  # (reached, total): the sentence in en, nb, sv
    (0, 1): ("0 of 1 goal reached.", "0 av 1 mål nådd.", "0 av 1 mål uppnådda."),
    (1, 1): ("1 of 1 goal reached.", "1 av 1 mål nådd.", "1 av 1 mål uppnått."),
    (1, 2): ("1 of 2 goals reached.", "1 av 2 mål nådd.", "1 av 2 mål uppnått."),
    (2, 2): ("2 of 2 goals reached.", "2 av 2 mål nådd.", "2 av 2 mål uppnådda."),
}


def _met(path: Path, n: int, days_to_referral: int = 0) -> Path:
    """`n` companies without R&D experience, each met once in Q3 with one need referred after `days`."""
    with store.session(path, write=True) as s:
        for i in range(n):
            name = f"Bedrift {i + 1} AS"
            add_org(s, OrgFields(name=name, municipality="Moss", employees=5, rd_experience=False))
            visit(s, [name], MET_ON.isoformat(), needs=[f"Behov {i + 1}"])
            refer(s, f"Behov {i + 1}", "Fagskolen", (MET_ON + timedelta(days_to_referral)).isoformat())
    return path


def _report(db: Path, lang: str) -> str:
    with store.session(db) as s:
        return report(s, parse_period("2026Q3", Q3_END_NEXT_DAY), lang=lang)


@pytest.mark.parametrize("lang, n", sorted(SENTENCES))
def test_counted_sentences_agree_with_their_count(db_path, lang, n):
    made = _report(_met(db_path, n), lang)
    for sentence in SENTENCES[lang, n]:
        assert sentence in made


@pytest.mark.parametrize("lang", sorted(MEDIAN))
@pytest.mark.parametrize("days", [0, 1, 2])
def test_median_days_agree_with_their_count(db_path, lang, days):
    made = _report(_met(db_path, 1, days_to_referral=days), lang)
    sentence, one, many = MEDIAN[lang]
    assert sentence.format(days, one if days == 1 else many) in made


@pytest.mark.parametrize("lang", ["en", "nb", "sv"])
@pytest.mark.parametrize("reached, total", sorted(GOALS))
def test_goals_reached_agree_with_their_counts(db_path, lang, reached, total):
    """The reached goals have a target of 1 (one visit was made); the others of 9."""
    db = _met(db_path, 1)
    with store.session(db, write=True) as s:
        q3 = parse_period("2026Q3", Q3_END_NEXT_DAY)
        for indicator in ["visits", "orgs_visited"][:reached]:
            set_goal(s, q3, indicator, 1)
        for indicator in ["needs", "referrals"][:total - reached]:
            set_goal(s, q3, indicator, 9)
    assert GOALS[reached, total][["en", "nb", "sv"].index(lang)] in _report(db, lang)
