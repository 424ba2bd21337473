"""Normalisation: folding, stems, compounds, synonyms, typo correction, language guess."""

import pytest

from megler.matching import detect_language, normalise, terms
from megler.matching.analysis import Analyzer, CompoundSplitter
from megler.matching.synonyms import Synonyms
from megler.matching.text import stem, words


@pytest.mark.parametrize("text, folded", [
    ("Ørsta", "örsta"), ("Ærlig", "ärlig"), ("Kåfjord", "kåfjord"), ("Älmhult", "älmhult"),
    ("Café", "cafe"), ("MØRE", "möre"),
])
def test_fold_meets_norwegian_and_swedish_letters(text, folded):
    assert normalise(text) == folded


def test_folding_keeps_display_text():
    text = "Særlig før høsten"
    normalise(text)
    assert text == "Særlig før høsten"


@pytest.mark.parametrize("a, b, lang", [
    ("sykepleiere", "sykepleierne", "nb"), ("sykepleier", "sykepleiere", "nb"),
    ("lærlinger", "lærling", "nb"), ("sveising", "sveise", "nb"), ("forskning", "forske", "nb"),
    ("bedrifter", "bedriften", "nb"), ("utbildning", "utbilda", "sv"),
    ("undersköterskor", "undersköterska", "sv"), ("svetsning", "svetsare", "sv"),
    ("operators", "operator", "en"), ("training", "trained", "en"),
])
def test_inflections_share_a_stem(a, b, lang):
    assert stem(a, lang) == stem(b, lang)


@pytest.mark.parametrize("word, lang, vocab, parts", [
    ("sveisekurs", "nb", {"sveis", "kur"}, ("sveis", "kur")),
    ("demensvård", "sv", {"dem", "vård"}, ("dem", "vård")),     # Swedish stem of demens
    ("arbeidslivet", "nb", {"arbeid", "liv"}, ("arbeid", "liv")),          # linking -s-
    ("kompetanseutvikling", "nb", {"kompetans", "utvikl"}, ("kompetans", "utvikl")),
    ("nestleder", "nb", {"led"}, ("led",)),                                  # known head only
    ("kommunen", "nb", {"kom", "mun"}, ()),                                  # too short to split
    ("undervisning", "nb", {"vis"}, ()),                                     # stop word part
])
def test_compound_splitting(word, lang, vocab, parts):
    assert CompoundSplitter(vocab).split(word, lang) == parts


def test_words_keep_abbreviations_and_split_hyphens():
    assert words("FoU-partner, R&D og KI/maskinlæring (ISO 27001), nærings-ph.d.") == [
        "FoU", "partner", "R&D", "og", "KI", "maskinlæring", "ISO", "27001", "nærings", "phd"]


@pytest.mark.parametrize("a, b", [
    ("KI", "kunstig intelligens"), ("AI", "maskinlæring"), ("maskininlärning", "KI"),
    ("HMS", "helse, miljø og sikkerhet"), ("ERP", "forretningssystem"),
    ("fagbrev", "praksiskandidat"), ("YH", "yrkeshögskolan"), ("FoU", "R&D"),
    ("forskning", "research"), ("lærling", "lärling"), ("apprentice", "lærlinger"),
    ("tilskudd", "statsbidrag"), ("funding", "finansiering"), ("sjuksköterska", "sykepleier"),
    ("undersköterska", "helsefagarbeider"), ("velferdsteknologi", "välfärdsteknik"),
])
def test_synonyms_share_a_concept(a, b):
    concepts = lambda t: {k for k in terms(t, "nb") if k.startswith("§")}  # noqa: E731
    assert concepts(a) & concepts(b)


@pytest.mark.parametrize("text", ["ta dem med", "tar for seg", "för företag"])
def test_short_stop_words_do_not_trigger_concepts(text):
    assert not [k for k in terms(text, "sv" if "för" in text else "nb") if k.startswith("§")]


def test_user_synonyms_extend_the_table(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("concepts:\n  welding: [varmtarbeid]\n  drone: [drone, UAV]\n", "utf-8")
    syn = Synonyms.load(extra)
    an = Analyzer(syn)
    assert "§welding" in an.doc_terms("kurs i varmtarbeid", "nb")
    assert "§welding" in an.doc_terms("sveising", "nb")      # shipped terms are kept
    assert "§drone" in an.doc_terms("UAV-inspeksjon", "nb")


def test_typo_is_corrected_against_the_index():
    from megler.matching import Entry, Matcher
    m = Matcher([Entry(id=1, kind="offering", name="Velferdsteknologi i kommunene")])
    assert m.index.fuzzy("velferdsteknolgi") == ("velferdsteknologi", [])
    assert stem("velferdsteknologi", "nb") in m.index.postings
    assert m.index.fuzzy("ingenting") == (None, [])


@pytest.mark.parametrize("text, lang", [
    ("Trenger sveisekurs for seks ansatte før ny kontrakt", "nb"),
    ("Behöver utbilda undersköterskor i demensvård", "sv"),
    ("Smoltanlegget treng fleire med fagbrev og ønskjer kurs", "nn"),
    ("Needs operators trained in process chemistry and a partner for R&D", "en"),
])
def test_language_is_detected(text, lang):
    assert detect_language(text) == lang
