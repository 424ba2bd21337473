"""Unknown words read as the catalog word meant: typos (also in compounds), cut-off
abbreviations, nynorsk; plus the benchmark's catalog-shift option."""

import sys
from datetime import date
from pathlib import Path

import pytest

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile
from megler.matching.analysis import abbreviations
from megler.matching.text import is_stopword, stem

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from match_quality import breaks_rules, drop_entries  # noqa: E402

ON = date(2026, 3, 1)
ORG = OrgProfile(kind="company", country="NO", municipality="Bodø")
CATALOG = [
    Entry(1, "offering", "Fagbrev for tømrere og praksiskandidater", keywords=("tømrer",)),
    Entry(2, "offering", "Opplæring i informasjonssikkerhet for ansatte", keywords=("IT",)),
    Entry(3, "offering", "Truckopplæring og lagerdrift", keywords=("truck", "lager")),
    Entry(4, "offering", "Videreutdanning for sykepleiere i demens", keywords=("sykehjem",)),
    Entry(5, "offering", "Helsefagarbeider for voksne", description="Kveldskurs mot fagbrev."),
    Entry(6, "offering", "Saksbehandling og ledelse i kommunale tjenester",
          description="For ledere i hjemmetjenesten.", audience=("municipality", "company")),
    Entry(7, "instrument", "SkatteFUNN", description="Skattefradrag for FoU-prosjekter."),
    Entry(8, "offering", "Sveisekurs", description="Sveising for industrien."),
]
MATCHER = Matcher(CATALOG)


def top(text: str) -> int:
    return MATCHER.rank(NeedQuery(text, ORG, ON), top=3)[0].entry.id


@pytest.mark.parametrize("text, expected", [
    ("trenger fagbrev for tømmrere", 1),                       # typo in the word
    ("kurs i informasjonsikkerheten", 2),                      # typo, long compound
    ("lagerfolk må ha trukkopplæring", 3),                     # typo inside a compound
    ("sykepleire trenger vidreutdanning", 4),                  # typos, known compound end
    ("søker Skattefun for prosjektet", 7),                     # typo in a name
])
def test_typing_errors(text, expected):
    assert top(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("vil gi helsefagarb. et løp på kveldstid", 5),
    ("trenger oppl. i truck", 3),
])
def test_cut_off_abbreviations(text, expected):
    assert top(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("sjukepleiarane treng vidareutdanning i demens", 4),
    ("leiarar i heimetenesta treng kurs i sakshandsaming", 6),
    ("dei tilsette treng opplæring i informasjonstryggleik og informasjonssikkerheit", 2),
])
def test_nynorsk(text, expected):
    assert top(text) == expected


@pytest.mark.parametrize("text, cut", [
    ("Gi helsefagarb. oppl. for perm.? Ja. Nei", {"helsefagarb", "oppl", "perm"}),
    ("Trenger kurs. Søker midler.", {"midler"}),  # the last word: unknown ones only matter
    ("ca. 20 stk. i år", {"ca", "stk"}),
])
def test_abbreviations_are_words_cut_off_by_a_full_stop(text, cut):
    assert abbreviations(text) == cut


@pytest.mark.parametrize("word, language", [("ikkje", "nb"), ("treng", "nb"), ("trenger", "nn"),
                                            ("eit", "nn")])
def test_bokmal_and_nynorsk_stop_words_count_for_both(word, language):
    assert is_stopword(word, language)


@pytest.mark.parametrize("nynorsk, bokmal", [("sjukepleiarar", "sjukepleier"),
                                             ("helsefagarbeidarar", "helsefagarbeidere"),
                                             ("seminar", "seminarer")])
def test_nynorsk_agent_nouns_stem_like_bokmal(nynorsk, bokmal):
    assert stem(nynorsk, "nn") == stem(bokmal, "nb")


@pytest.mark.parametrize("word", ["sveisekurs", "Sveising", "industrien"])
def test_known_words_are_not_bent(word):
    groups, _ = MATCHER.index.analyzer.query(word, "nb", {"fuzzy": 0.8, "part": 0.5, "concept": 1,
                                                          "related": 0.3}, MATCHER.index.known,
                                             MATCHER.index.fuzzy)
    assert all(g.weight != 0.8 for g in groups)


def _set():
    entry = dict(country="NO", regions=["*"], audience=["company"], deadline=None)
    catalog = [dict(entry, id=f"c{i:03}") for i in range(20)]
    needs = [{"id": f"n{i}", "org": {"country": "NO", "kind": "company", "region": "Nordland",
                                     "municipality": "Bodø"}, "date": "2026-03-01",
              "relevant": {f"c{i:03}": 3, f"c{i + 1:03}": 1}, "ineligible": [f"c{i + 2:03}"]}
             for i in range(0, 18, 3)]
    return {"version": 1, "catalog": catalog, "needs": needs}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_drop_removes_entries_and_their_labels(seed):
    data = _set()
    out = drop_entries(data, 0.3, seed)
    ids = {c["id"] for c in out["catalog"]}
    assert len(ids) == 14
    for n in out["needs"]:
        assert set(n["relevant"]) <= ids and set(n["ineligible"]) <= ids
        assert any(g >= 2 for g in n["relevant"].values())
    assert drop_entries(data, 0.3, seed) == out  # seeded


@pytest.mark.parametrize("change, broken", [
    ({}, False), ({"country": "SE"}, True), ({"regions": ["Østfold"]}, True),
    ({"regions": ["Bodø"]}, False), ({"audience": ["individual"]}, True),
    ({"deadline": "2026-02-01"}, True), ({"max_employees": 5}, True),
])
def test_strict_rules(change, broken):
    data = _set()
    need = data["needs"][0]
    need["org"]["employees"] = 10
    assert breaks_rules(data["catalog"][0] | change, need) == broken
