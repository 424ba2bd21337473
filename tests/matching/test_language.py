"""Language-aware matching: concepts by the text's own stemmer, light-verb phrases, nouns
kept apart from verbs, and what a match shows a broker (words as written, concept names)."""

from datetime import date

import pytest

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile, explain, terms
from megler.matching.analysis import Analyzer
from megler.matching.synonyms import Synonyms
from megler.matching.text import stem, stop_flags, words

ON = date(2026, 3, 1)
ORG = OrgProfile(kind="company", country="NO", municipality="Halden", employees=40)


def concepts(text: str, lang: str) -> set[str]:
    return {k[1:] for k in terms(text, lang) if k.startswith("§")}


# ---- concepts are found with the text's own stemmer -------------------------------------
@pytest.mark.parametrize("text, lang, concept", [
    ("maskiner", "nb", "machining"),      # English stem of "maskinering" is "maskin"
    ("maskinfører", "sv", "machining"),
    ("må lære nye rutiner", "nb", "teacher"),   # Swedish stem of "lärarna" is "lär"
    ("lära sig", "sv", "teacher"),
])
def test_no_concept_through_another_languages_stemmer(text, lang, concept):
    assert concept not in concepts(text, lang)


@pytest.mark.parametrize("text, lang, concept", [
    ("maskinering", "nb", "machining"), ("CNC-maskinering", "nb", "machining"),
    ("lærere", "nb", "teacher"), ("lærerne", "nb", "teacher"), ("lärare", "sv", "teacher"),
    ("lärarna", "sv", "teacher"), ("teachers", "en", "teacher"),
    ("machine learning", "nb", "ai"), ("R&D", "sv", "rd"),   # English words in any text
    ("søknadsfristen", "nb", "funding"), ("ansökan", "sv", "funding"),
    ("elektriske biler", "nb", "vehicles"), ("gjøre folk trygge", "nb", "hse"),
    ("aluminiumsskrap", "nb", "circular"),
])
def test_concept_in_the_texts_own_language(text, lang, concept):
    assert concept in concepts(text, lang)


@pytest.mark.parametrize("noun, verb, lang", [
    ("lærere", "lære", "nb"), ("lærer", "lære", "nb"), ("lärare", "lära", "sv"),
])
def test_teacher_is_not_to_learn(noun, verb, lang):
    assert stem(noun, lang) != stem(verb, lang)


# ---- light verbs --------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, stopped", [
    ("vil bygge opp et lager", "nb", ["bygge", "opp"]),
    ("komme i gang med lean", "nb", ["komme", "gang"]),
    ("sette i gang et prosjekt", "nb", ["sette", "gang"]),
    ("legge til rette for lærlinger", "nb", ["legge", "rette"]),
    ("vill bygga upp ett lager", "sv", ["bygga", "upp"]),
    ("komma igång med lean", "sv", ["komma", "igång"]),
    ("set up a pilot", "en", ["set", "up"]),
])
def test_light_verb_phrases_are_stop_words(text, lang, stopped):
    ws = words(text)
    flags = dict(zip(ws, stop_flags(ws, lang), strict=True))
    assert all(flags[w] for w in stopped)
    assert not flags["lager" if "lager" in flags else ws[-1]]


@pytest.mark.parametrize("text, lang, word", [
    ("bygge nytt lager", "nb", "bygge"),      # no particle: the verb keeps its meaning
    ("ta i bruk KI", "nb", "bruk"),           # taking a tool into use is a need
])
def test_verbs_without_their_particle_stay(text, lang, word):
    ws = words(text)
    assert not dict(zip(ws, stop_flags(ws, lang), strict=True))[word]


def test_building_up_does_not_reach_construction():
    m = Matcher([Entry(1, "offering", "Byggfag og bygg og anlegg", keywords=("bygg",)),
                 Entry(2, "offering", "Lean i produksjonen", keywords=("lean",))])
    ranked = m.rank(NeedQuery("vil bygge opp lean i produksjonen", ORG, ON))
    assert [x.entry.id for x in ranked if x.parts["text"] > 0] == [2]


# ---- what a match shows -----------------------------------------------------------------
@pytest.fixture(scope="module")
def matcher():
    return Matcher([
        Entry(1, "offering", "Kunstig intelligens for ledere", keywords=("KI", "lederopplæring"),
              description="Maskinlæring og språkmodeller i egen virksomhet."),
        Entry(2, "instrument", "Kompetansemidler", keywords=("tilskudd", "kompetanseutvikling"),
              audience=("company",)),
        Entry(3, "offering", "Sikkert arbeid på el-bil", keywords=("høyvolt",)),
    ])


@pytest.mark.parametrize("need, entry, shown", [
    ("Trenger lederopplæring i KI for mellomledere", 1, ["lederopplæring", "KI"]),
    ("Ønsker maskinlæring og støtte", 1, ["maskinlæring"]),
    ("Mekanikerne skal jobbe på el-biler", 3, ["el-biler"]),
])
def test_terms_are_the_needs_words_as_written(matcher, need, entry, shown):
    m = next(x for x in matcher.rank(NeedQuery(need, ORG, ON)) if x.entry.id == entry)
    assert all(w in m.terms for w in shown)
    assert not [t for t in m.terms if "_" in t or t.startswith("§")]


def test_concepts_are_shown_by_name(matcher):
    m = next(x for x in matcher.rank(NeedQuery("Trenger lederopplæring i KI", ORG, ON))
             if x.entry.id == 1)
    assert "KI / AI" in m.concepts or "KI" in " ".join(m.concepts)
    assert "concepts: " in explain(m)
    assert not [c for c in m.concepts if "_" in c]


@pytest.mark.parametrize("concept, lang, label", [
    ("competence_dev", "nb", "kompetanseutvikling"), ("competence_dev", "sv", "kompetensutveckling"),
    ("rd", "sv", "FoU"), ("training", "sv", "utbildning"), ("nobody_knows", "nb", "nobody knows"),
])
def test_concept_labels(concept, lang, label):
    assert Synonyms.load().label(concept, lang) == label


def test_every_shipped_concept_has_a_label():
    syn = Synonyms.load()
    assert not [c for c in syn.phrases_by_concept() if c not in syn.labels]


def test_query_reports_the_words_that_said_a_concept():
    _, found = Analyzer(Synonyms.load()).query("Vil ta i bruk kunstig intelligens", "nb",
                                               {"part": 0.5, "concept": 1.0, "related": 0.3})
    assert found["ai"] == "kunstig intelligens"
