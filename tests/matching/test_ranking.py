"""Ranking sanity on a tiny in-code catalog: text, context, eligibility, explanation."""

from datetime import date

import pytest

from megler.matching import WEIGHTS, Entry, Matcher, NeedQuery, OrgProfile, explain

ON = date(2026, 3, 1)
HALDEN = OrgProfile(kind="company", country="NO", region="Østfold", municipality="Halden",
                    industry="mekanisk industri", employees=40)
UDDEVALLA = OrgProfile(kind="municipality", country="SE", municipality="Uddevalla", employees=3000)

CATALOG = [
    Entry(1, "offering", "Sveiseteknikk og sveisesertifikat – bedriftskurs", provider="Fagskolen",
          description="Praktisk kurs i sveising for industrien, sertifisering etter ISO 9606.",
          keywords=("sveising", "sertifisering")),
    Entry(2, "offering", "Kunstig intelligens for ledere",
          description="Hvordan ta i bruk maskinlæring og språkmodeller i egen virksomhet.",
          keywords=("KI", "digitalisering"), provider="Handelshøyskolen"),
    Entry(3, "instrument", "Kompetansemidler for arbeidslivet", agency="Østfold fylkeskommune",
          description="Tilskudd til kompetanseheving i bedrifter i Østfold.",
          keywords=("tilskudd", "kompetanseutvikling"), regions=("Østfold",),
          audience=("company",)),
    Entry(4, "instrument", "Tilskudd til kompetanseutvikling i næringslivet",
          agency="Nordland fylkeskommune", description="Tilskudd til kurs for bedrifter.",
          keywords=("tilskudd",), regions=("Nordland",), audience=("company",)),
    Entry(5, "offering", "Specialistundersköterska inom demensvård", language="sv",
          country="SE", description="YH-kurs för undersköterskor i äldreomsorgen.",
          keywords=("demens", "YH"), audience=("municipality", "company")),
    Entry(6, "offering", "Lærlingordning i industrifag", provider="Opplæringskontoret",
          description="Vi følger opp lærlinger og lærebedrifter.", keywords=("lærling",),
          audience=("company",)),
    Entry(7, "instrument", "Stipend for studenter", description="Tilskudd til kurs og studier.",
          audience=("individual",)),
    Entry(8, "instrument", "Innovasjonsprosjekt (utløpt)", description="Tilskudd til kurs.",
          deadline=date(2026, 2, 1), audience=("company",)),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(CATALOG)


def rank(matcher, text, org=HALDEN, **kw):
    return matcher.rank(NeedQuery(text, org, ON), **kw)


def ids(matches):
    return [m.entry.id for m in matches]


@pytest.mark.parametrize("text, best", [
    ("trenger sveisekurs for seks ansatte", 1),          # compound against the catalog
    ("vil teste KI i saksbehandlingen", 2),             # abbreviation → synonym
    ("ønsker å ta inn to lærlinger til høsten", 6),      # inflection
    ("trenger kurs i sveisnig", 1),                     # typing error
])
def test_best_match(matcher, text, best):
    assert ids(rank(matcher, text))[0] == best


def test_swedish_need_finds_swedish_entry(matcher):
    assert ids(rank(matcher, "Behöver utbilda undersköterskor i demensvård", UDDEVALLA))[0] == 5


def test_ineligible_entries_never_rank(matcher):
    got = ids(rank(matcher, "søker tilskudd til kurs", top=20))
    assert not {4, 5, 7, 8} & set(got)          # Nordland, Sweden, individuals, deadline


def test_ineligible_entries_come_last_with_reasons(matcher):
    got = rank(matcher, "søker tilskudd til kurs", top=20, include_ineligible=True)
    eligible = [m for m in got if not m.reasons]
    assert got[:len(eligible)] == eligible
    by_id = {m.entry.id: m for m in got}
    assert by_id[4].reasons == ["serves Nordland, org is in Halden (Østfold)"]
    assert by_id[7].reasons == ["is for individuals only, not organisations"]


def test_funding_need_leans_to_instruments(matcher):
    assert ids(rank(matcher, "søker tilskudd til kompetanseutvikling"))[0] == 3


def test_kind_filter(matcher):
    assert {m.entry.kind for m in rank(matcher, "kurs", kinds={"instrument"})} == {"instrument"}


def test_score_is_a_sum_of_named_parts(matcher):
    for m in rank(matcher, "trenger sveisekurs og tilskudd", top=5):
        assert set(m.parts) == set(WEIGHTS)
        assert abs(sum(m.parts.values()) - m.score) < 0.05
        assert 0 <= m.score <= 100
        assert m.confidence in ("strong", "possible", "weak")
        assert m.parts["text"] <= WEIGHTS["text"]


def test_match_explains_itself(matcher):
    m = rank(matcher, "trenger sveisekurs", top=1)[0]
    assert "sveisekurs" in m.terms
    assert explain(m).startswith(m.confidence)


def test_local_entry_beats_national_one_on_equal_text():
    twins = [Entry(1, "instrument", "Tilskudd til kurs", audience=("company",)),
             Entry(2, "instrument", "Tilskudd til kurs", regions=("Østfold",), audience=("company",))]
    assert ids(Matcher(twins).rank(NeedQuery("tilskudd til kurs", HALDEN, ON)))[0] == 2


def test_index_round_trips_through_bytes(matcher):
    again = Matcher.loads(matcher.dumps())
    need = NeedQuery("trenger sveisekurs og KI", HALDEN, ON)
    assert ids(again.rank(need)) == ids(matcher.rank(need))


def test_bad_cache_is_refused():
    import pickle
    with pytest.raises(ValueError):
        Matcher.loads(pickle.dumps((0, None)))


def test_empty_need_and_empty_catalog():
    assert Matcher([]).rank(NeedQuery("kurs", HALDEN, ON)) == []
    assert len(Matcher(CATALOG).rank(NeedQuery("", HALDEN, ON), top=3)) == 3


def test_matching_does_not_import_ui_or_database():
    import subprocess
    import sys
    code = ("import sys, megler.matching as m; m.Matcher([]); "
            "bad = {'typer', 'rich', 'sqlmodel', 'sqlalchemy'} & set(sys.modules); "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
