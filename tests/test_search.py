import pytest

from megler.errors import InvalidInput
from megler.orgs import OrgFields, add_org, edit_org, merge_orgs
from megler.search import MARK, fts_query, search
from megler.visits import VisitDraft, add_visit


@pytest.fixture
def filled(session):
    from datetime import date

    mek = add_org(session, OrgFields(name="Fredrikstad Mek AS", industry="Stålkonstruksjoner",
                                     municipality="Fredrikstad"))
    sag = add_org(session, OrgFields(name="Sågverket i Årjäng AB"))
    add_visit(session, VisitDraft(orgs=[mek], date=date(2026, 9, 1),
                                  since_last="Ny ordre fra Equinor på sveising",
                                  next_steps="Sende kursplan for truckførerbevis",
                                  needs=["Sveisesertifisering for 6 ansatte"]))
    add_visit(session, VisitDraft(orgs=[sag], date=date(2026, 9, 2),
                                  notes="Behov for kompetens inom sågteknik och ledarskap"))
    return mek, sag


def hits(s, words):
    return [(h["kind"], h["title"]) for h in search(s, words)]


def test_a_word_beginning_finds_the_compound(session, filled):
    found = search(session, "sveis")
    assert {h["kind"] for h in found} == {"visit", "need"}
    need = next(h for h in found if h["kind"] == "need")
    assert need["title"] == "Fredrikstad Mek AS 2026-09-01"
    assert f"{MARK[0]}Sveisesertifisering{MARK[1]}" in need["snippet"]


def test_orgs_are_found_by_name_industry_and_municipality(session, filled):
    assert hits(session, "Sågverket") == [("org", "Sågverket i Årjäng AB")]
    assert hits(session, "stålkonstr") == [("org", "Fredrikstad Mek AS")]
    assert ("org", "Fredrikstad Mek AS") in hits(session, "fredrikstad")


def test_every_word_must_match(session, filled):
    assert hits(session, "kursplan truck") == [("visit", "Fredrikstad Mek AS 2026-09-01")]
    assert hits(session, "kursplan sågteknik") == []


def test_swedish_text_is_found(session, filled):
    assert hits(session, "kompetens ledarskap") == [("visit", "Sågverket i Årjäng AB 2026-09-02")]


def test_the_index_follows_edits_and_merges(session, filled):
    mek, sag = filled
    edit_org(session, mek, OrgFields(name="Glomma Sveis AS"))
    assert ("org", "Glomma Sveis AS") in hits(session, "glomma")
    assert hits(session, "Fredrikstad Mek") == []
    merge_orgs(session, sag, mek)
    assert hits(session, "glomma") == []


@pytest.mark.parametrize("query", [
    "sveis AND ordre", "sveis OR", "NOT sveis", '"sveis', "sveis*", "-sveis", "sveis -ordre",
    "sveis NEAR(ordre)", "title:sveis", "(sveis", "^sveis", "sveis + ordre", "AND",
])
def test_fts_syntax_in_the_query_is_just_text(session, filled, query):
    found = search(session, query)
    assert isinstance(found, list)


def test_syntax_words_are_searched_as_words(session, filled):
    assert [h["kind"] for h in search(session, "sveis AND ordre")] == []
    assert [h["kind"] for h in search(session, '"sveis*"')] != []


@pytest.mark.parametrize("query", ["", "  ", "***", '"" -', "()"])
def test_a_query_without_words_is_a_user_error(session, query):
    with pytest.raises(InvalidInput, match="at least one word"):
        fts_query(query)


def test_each_word_becomes_a_quoted_prefix():
    assert fts_query('sveis "AND" ordre*') == '"sveis"* "AND"* "ordre"*'
