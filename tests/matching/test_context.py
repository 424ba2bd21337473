"""What the matcher adds beyond the need's words: feedback, implied and related concepts,
an instrument's purpose, and the vocabulary of the shipped synonym table."""

from datetime import date

import pytest

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile, explain, terms
from megler.matching.feedback import expansion
from megler.matching.synonyms import Synonyms

ON = date(2026, 3, 1)
HALDEN = OrgProfile(kind="company", country="NO", municipality="Halden", employees=40)
BODO = OrgProfile(kind="company", country="NO", municipality="Bodø", employees=40)


# ---- the shipped vocabulary ------------------------------------------------------------
@pytest.mark.parametrize("text, lang, concept", [
    ("helsefagarbeidere", "nb", "health_worker"), ("undersköterskor", "sv", "health_worker"),
    ("helsearbeider", "nb", "health_worker"),
    ("fagbrevet", "nb", "trade_cert"), ("yrkesbevis", "sv", "trade_cert"),
    ("mangler formelle papirer", "nb", "trade_cert"),
    ("lærlinger", "nb", "apprentice"), ("lärlingar", "sv", "apprentice"),
    ("apprenticeship", "en", "apprentice"),
    ("FoU-partner", "nb", "rd"), ("R&D", "en", "rd"), ("forskning", "nb", "rd"),
    ("kompetanseheving", "nb", "competence_dev"), ("kompetensutveckling", "sv", "competence_dev"),
    ("omstilling", "nb", "restructuring"), ("omställning", "sv", "restructuring"),
    ("små bedrifter", "nb", "sme"), ("SMF", "sv", "sme"),
    ("forretningsutvikling", "nb", "business_development"),
    ("affärsutveckling", "sv", "business_development"),
    ("følgeforskning", "nb", "evaluation"), ("tjenestedesign", "nb", "service_design"),
    ("tunge kjøretøy", "nb", "vehicles"), ("fordon", "sv", "vehicles"),
    ("energi", "nb", "energy"), ("batterier", "nb", "energy"), ("klima", "nb", "emissions"),
    ("skolen", "nb", "school"), ("skolan", "sv", "school"),
    ("språkbarrierer", "nb", "second_language"), ("nestleder", "nb", "leadership"),
    ("medisinering", "nb", "welfare_tech"),
])
def test_synonym_table_knows_broker_vocabulary(text, lang, concept):
    assert "§" + concept in terms(text, lang)


def test_related_concepts_come_from_the_table_and_from_a_related_section():
    syn = Synonyms.from_tables([
        {"concepts": {"a": {"terms": ["alfa"], "related": ["b"]}, "b": ["beta"], "c": ["gamma"]},
         "related": {"a": ["c"]}}])
    assert syn.related["a"] == ("b", "c")


def test_kinds_imply_concepts_once_each():
    syn = Synonyms.from_tables([{"implied": {"competence": ["x", "y"], "funding": ["y", "z"]}}])
    assert syn.implied_by({"funding", "competence"}) == ["x", "y", "z"]
    assert syn.implied_by(set()) == []


def test_shipped_table_implies_competence_development_for_competence_needs():
    assert "competence_dev" in Synonyms.load().implied_by({"competence"})


# ---- pseudo-relevance feedback ----------------------------------------------------------
def _docs(table):
    return lambda d: table[d]


@pytest.mark.parametrize("top, skip, want", [
    ([(0, 1.0)], set(), ["a", "b", "c"]),                # by weight within the entry
    ([(0, 1.0)], {"a"}, ["b", "c"]),                     # the query's own keys are skipped
    ([(0, 1.0), (1, 3.0)], set(), ["d", "a", "b", "c"]),  # the better match counts more
    ([], set(), []),
])
def test_feedback_terms_by_weight(top, skip, want):
    docs = {0: (("a", "b", "c"), (3.0, 2.0, 1.0)), 1: (("d",), (1.0,))}
    assert [g.label for g in expansion(_docs(docs), top, skip, 0.5)] == want


def test_feedback_weights_are_relative_to_the_strongest_term():
    docs = {0: (("a", "b"), (2.0, 1.0))}
    got = {g.label: g.weight for g in expansion(_docs(docs), [(0, 1.0)], set(), 0.5)}
    assert got == {"a": 0.5, "b": 0.25}
    assert all(g.source == "feedback" for g in expansion(_docs(docs), [(0, 1.0)], set(), 0.5))


def test_feedback_keeps_only_the_strongest_terms():
    keys = tuple(f"k{i}" for i in range(30))
    docs = {0: (keys, tuple(float(30 - i) for i in range(30)))}
    assert len(expansion(_docs(docs), [(0, 1.0)], set(), 0.5, terms=10)) == 10


NORDLAND_COURSE = Entry(1, "offering", "Sveisekurs", regions=("Nordland",),
                        description="Sveising, plasmaskjæring og sveisesertifikat.")
PLASMA = Entry(2, "offering", "Plasmaskjæring for verksteder", description="Plasmaskjæring.")


@pytest.mark.parametrize("org, gains", [(BODO, True), (HALDEN, False)])
def test_feedback_comes_only_from_entries_the_org_can_use(org, gains):
    m = Matcher([NORDLAND_COURSE, PLASMA])
    got = {x.entry.id: x for x in m.rank(NeedQuery("trenger sveisekurs", org, ON))}
    assert (got[2].parts["feedback"] > 0) is gains
    assert (1 in got) is gains


# ---- an instrument's purpose -------------------------------------------------------------
GRANT = Entry(3, "instrument", "Tilskudd til kompetanseutvikling", audience=("company",),
              keywords=("kompetanseutvikling", "kurs"), description="Tilskudd til kurs.")
RD_GRANT = Entry(4, "instrument", "Kvalifiseringsprosjekt for FoU", audience=("company",),
                 keywords=("FoU", "forskning"), description="Tilskudd til første FoU-prosjekt.")
WELDING = Entry(5, "offering", "Sveisekurs for industrien", description="Kurs i sveising.")


@pytest.mark.parametrize("text, fits, misses", [
    ("søker tilskudd til kurs for de ansatte", 3, 4),     # a competence need
    ("søker tilskudd til et FoU-prosjekt", 4, 3),         # an R&D need
])
def test_instrument_purpose_follows_the_need_kind(text, fits, misses):
    got = {x.entry.id: x for x in Matcher([GRANT, RD_GRANT, WELDING]).rank(
        NeedQuery(text, HALDEN, ON))}
    assert got[fits].parts["purpose"] > 0
    assert got[misses].parts["purpose"] == 0
    assert "purpose" in explain(got[fits])


def test_purpose_alone_never_beats_the_course_asked_for():
    top = Matcher([GRANT, WELDING]).rank(NeedQuery("trenger sveising", HALDEN, ON))
    assert top[0].entry.id == 5
    assert top[1].parts["purpose"] == 0     # the need's own words never reach the grant


def test_funding_cue_adds_instruments_without_burying_the_course():
    got = Matcher([GRANT, WELDING]).rank(NeedQuery("kurs i sveising – hvem kan finansiere?",
                                                   HALDEN, ON))
    assert [x.entry.id for x in got][:2] in ([5, 3], [3, 5])
    assert got[0].score - got[1].score < 25
