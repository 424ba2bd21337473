"""Broker paraphrases, idioms and stop words, unknown-word compounds, default need kind."""

from datetime import date

import pytest

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile, terms
from megler.matching.index import Index
from megler.matching.synonyms import Synonyms
from megler.matching.text import stem, stop_flags


@pytest.mark.parametrize("text, lang, concept", [
    ("vi vil lære seg å bruke verktøyet", "nb", "§training"),
    ("de ska lära sig nya maskiner", "sv", "§training"),
    ("de vil få papirer på det de kan", "nb", "§trade_cert"),
    ("vill få papper på kunskaperna", "sv", "§trade_cert"),
    ("vi vil søke penger til prosjektet", "nb", "§funding"),
    ("vi vill söka pengar till projektet", "sv", "§funding"),
    ("hvem kan betale for kurset", "nb", "§funding"),
    ("vil forske på nye fôrtyper", "nb", "§rd"),
    ("vill forska på nya material", "sv", "§rd"),
    ("vil teste ut en ny metode", "nb", "§pilot"),
    ("vet ikke om det lar seg gjøre", "nb", "§preproject"),
    ("vil ta inn ungdom i bedriften", "nb", "§apprentice"),
    ("vill ta emot ungdomar", "sv", "§apprentice"),
    ("får ikke tak i folk", "nb", "§recruitment"),
    ("det är svårt att hitta personal", "sv", "§recruitment"),
    ("offerterna tar lång tid", "sv", "§erp"),
    ("ordrehåndtering og planlegging", "nb", "§erp"),
    ("lang ledetid i produksjonen", "nb", "§lean"),
    ("guided hikes and kayaking", "en", "§tourism"),
    ("autonomous surface drones", "en", "§automation"),
    ("develop winter products", "en", "§season"),
])
def test_broker_paraphrases_reach_concepts(text, lang, concept):
    assert concept in terms(text, lang)


@pytest.mark.parametrize("ws, lang", [
    (["ledelse", "i", "praksis"], "nb"),
    (["säkerhet", "i", "praktiken"], "sv"),
    (["safety", "in", "practice"], "en"),
])
def test_in_practice_is_no_internship(ws, lang):
    assert stop_flags(ws, lang) == [False, True, True]


@pytest.mark.parametrize("text, lang, internship", [
    ("Informationssäkerhet i praktiken", "sv", False),
    ("Ledelse i praksis", "nb", False),
    ("fler praktikplatser", "sv", True),
    ("praksisplass for elever", "nb", True),
])
def test_internship_concept_only_for_internships(text, lang, internship):
    assert ("§internship" in terms(text, lang)) == internship


@pytest.mark.parametrize("word, lang", [
    ("inom", "sv"), ("genom", "sv"), ("bland", "sv"), ("eftersom", "sv"),
    ("innenfor", "nb"), ("blant", "nb"), ("fordi", "nb"),
])
def test_function_words_are_stop_words(word, lang):
    assert stop_flags([word], lang) == [True]


@pytest.fixture(scope="module")
def index():
    entries = [Entry(1, "offering", "Digitalt nattilsyn i hjemmetjenesten"),
               Entry(2, "offering", "Nattarbeid og turnus"),
               Entry(3, "offering", "Nattevakt")]
    return Index(entries, Synonyms.load())


@pytest.mark.parametrize("key, found", [
    ("natt", ["nattarbeid", "nattevakt", "nattilsyn"]),
    ("nat", []),                             # too short to be a compound's first part
    ("hjemmetjenest", []),                   # the rest would be a mere ending
])
def test_compounds_starting_with_a_key(index, key, found):
    assert index.compounds(key) == found


@pytest.mark.parametrize("word, lang, hit", [
    ("natta", "nb", "nattilsyn"),     # unknown word: a compound that starts with it
    ("nattilsin", "nb", "nattilsyn"),  # misspelt: the typo corrector comes first
])
def test_unknown_word_meets_catalog_keys(index, word, lang, hit):
    meant, keys = index.fuzzy(word, lang)
    assert hit in keys or meant and stem(meant, lang) == hit


ORG = OrgProfile(kind="company", country="NO", municipality="Halden")
CATALOG = [Entry(1, "offering", "Sikkert arbeid på elbiler – kurs", keywords=("elbil",)),
           Entry(2, "instrument", "Sikkert arbeid på elbiler – tilskudd", keywords=("elbil",)),
           Entry(3, "provider", "Sikkert arbeid på elbiler – senter", keywords=("elbil",))]


@pytest.mark.parametrize("text, first", [
    ("verkstedet får flere elbiler", 1),               # no cue: a broker's usual need
    ("verkstedet søker tilskudd til elbiler", 2),      # a funding cue still decides
])
def test_need_without_kind_cue_is_read_as_competence(text, first):
    matches = Matcher(CATALOG).rank(NeedQuery(text, ORG, date(2026, 3, 1)))
    assert matches[0].entry.id == first


FEEDBACK = [Entry(1, "offering", "Sveisekurs", keywords=("sveising", "sertifikat")),
            Entry(2, "offering", "Sveisekurs for robotceller", keywords=("robot", "sveising")),
            Entry(3, "offering", "Truckkurs", keywords=("truck", "sertifikat"))]


@pytest.mark.parametrize("text, from_truck", [
    ("sveising av robotceller, sveisekurs og sertifikat", False),  # truck: one stray word
    ("sertifikat", True),                  # ... unless that word is all the need says
])
def test_feedback_takes_only_entries_near_the_best(text, from_truck):
    m = Matcher(FEEDBACK)
    n = m._prepare(NeedQuery(text, ORG, date(2026, 3, 1)))
    assert any("truck" in g.keys for g in m._feedback(n.query, n.areas, n.groups, n.text)) \
        == from_truck


@pytest.mark.parametrize("text, lang, concept, found", [
    ("Lærlingen lærer fort", "nb", "§teacher", False),        # the verb, stemmed as the noun
    ("seks lærere mangler studiepoeng", "nb", "§teacher", True),
    ("lærarane på ungdomssteget", "nn", "§teacher", True),
    ("lärarna behöver fortbildning", "sv", "§teacher", True),
    ("Experienced operators need training", "en", "§tourism", False),
    ("bedriftsbesøk hos leverandørene", "nb", "§tourism", False),
    ("privat äldreboende", "sv", "§tourism", False),           # housing, not accommodation
    ("boende för turister", "sv", "§tourism", True),
    ("grundskola i Åmål", "sv", "§startup", False),            # "grund", not "grunder"
    ("entreprenør i bygg og anlegg", "nb", "§startup", False),  # a contractor
    ("restauranten på hotellet", "nb", "§side_streams", False),
    ("offentlig sektor", "nb", "§erp", False),
    ("offerterna tar för lång tid", "sv", "§erp", True),
    ("vi skal lage et nytt produkt", "nb", "§logistics", False),
    ("bygge et varmelager", "nb", "§logistics", False),
    ("lageret og truckene", "nb", "§logistics", True),
    ("små och medelstora företag", "sv", "§funding", False),
    ("ett livsmedelsföretag", "sv", "§funding", False),
    ("vi söker medel för projektet", "sv", "§funding", True),
    ("barne- og ungdomsarbeider", "nb", "§relocation", False),
    ("arbeidsmiljø og HMS", "nb", "§sustainability", False),
    ("Medlem i Virke", "nb", "§retail", True),
    ("virksomheten har 40 ansatte", "nb", "§retail", False),
    ("teamlederne på skiftet", "nb", "§digital_skills", False),
    ("kurs i maskinsyn", "nb", "§marketing", False),
    ("voksenopplæringen i kommunen", "nb", "§growth_and_hiring", False),
    ("svenska på jobbet", "sv", "§cross_border", False),
    ("data processing for the fleet", "en", "§food", False),
])
def test_words_that_share_a_stem_with_a_concept_are_not_it(text, lang, concept, found):
    assert (concept in terms(text, lang)) == found


def test_a_term_written_with_equals_matches_only_as_written():
    from megler.matching.analysis import Analyzer

    own = Analyzer(Synonyms.from_tables([{"concepts": {"teacher": ["=lærere"]}}]))
    assert "§teacher" in own.doc_terms("Kurs for lærere", "nb")
    assert "§teacher" in own.doc_terms("Kurs for LÆRERE", "nb")        # case folded
    assert "§teacher" not in own.doc_terms("Kurs der man lærer sveising", "nb")
    assert "§teacher" not in own.doc_terms("Kurs for faglærere", "nb")  # not inside a compound
