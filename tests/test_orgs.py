from datetime import date

import pytest
from sqlmodel import select

from megler.contacts import ContactFields, add_contact
from megler.errors import InvalidInput, NotFound
from megler.followups import add_followup
from megler.models import Contact, Followup, Need, Org, Referral, VisitOrg
from megler.orgs import (
    OrgFields,
    add_org,
    edit_org,
    find_org,
    format_orgnr,
    list_orgs,
    merge_orgs,
    org_history,
    validate_orgnr,
)
from megler.referrals import add_referral
from megler.visits import VisitDraft, add_visit

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

DAY = date(2026, 9, 1)


def org(s, name, **fields):
    return add_org(s, OrgFields(name=name, **fields))


# -- org numbers ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["974760673", "974 760 673", "974.760.673", "974-760-673"])
def test_norwegian_org_numbers_are_stored_compact(typed):
    assert validate_orgnr(typed) == ("974760673", "NO")


@pytest.mark.parametrize("typed", ["5560125790", "556012-5790", "556012 5790"])
def test_swedish_org_numbers_follow_from_ten_digits(typed):
    assert validate_orgnr(typed) == ("5560125790", "SE")


@pytest.mark.parametrize("typed, country", [
    ("974760674", None),      # mod-11 check digit wrong
    ("5560125791", None),     # Luhn check digit wrong
    ("12345", None), ("abcdefghi", None),
    ("974760673", "SE"),      # a Norwegian number is no Swedish one
])
def test_invalid_org_numbers_are_refused(typed, country):
    with pytest.raises(InvalidInput, match="invalid (NO|SE) org number"):
        validate_orgnr(typed, country)


def test_org_numbers_are_shown_formatted_per_country(session):
    assert format_orgnr(org(session, "Mek", orgnr="974760673")) == "974 760 673"
    assert format_orgnr(org(session, "Sågverket", orgnr="5560125790")) == "556012-5790"
    assert format_orgnr(org(session, "Uten nummer")) == ""


def test_add_org_keeps_the_fields_and_the_country_of_the_number(session):
    added = org(session, "  Sågverket i Årjäng AB ", orgnr="556012-5790", kind="mun",
                industry="16.1 Saging", municipality="Årjäng", employees=12, rd_experience=True)
    stored = session.get(Org, added.id)
    assert (stored.name, stored.orgnr, stored.country, stored.kind) == (
        "Sågverket i Årjäng AB", "5560125790", "SE", "municipality")
    assert (stored.industry, stored.municipality, stored.employees, stored.rd_experience) == (
        "16.1 Saging", "Årjäng", 12, True)


@pytest.mark.parametrize("fields, message", [
    (dict(name=""), "needs a name"),
    (dict(name="X", orgnr="974760674"), "invalid NO org number"),
    (dict(name="X", kind="factory"), "unknown org kind"),
    (dict(name="X", country="DK"), "unknown country"),
    (dict(name="X", employees=-1), "employees cannot be negative"),
])
def test_add_org_refuses_bad_fields(session, fields, message):
    with pytest.raises(InvalidInput, match=message):
        add_org(session, OrgFields(**fields))


def test_an_org_number_belongs_to_one_org(session):
    first = org(session, "Fredrikstad Mek AS", orgnr="974760673")
    with pytest.raises(InvalidInput, match=f"974 760 673 belongs to #{first.id} already"):
        org(session, "Fredrikstad Mekaniske", orgnr="974 760 673")
    other = org(session, "Annen")
    with pytest.raises(InvalidInput, match="belongs to"):
        edit_org(session, other, OrgFields(orgnr="974760673"))


def test_edit_changes_only_what_is_given(session):
    added = org(session, "Mek", orgnr="974760673", employees=40, municipality="Sarpsborg")
    edit_org(session, added, OrgFields(employees=45, rd_experience=True))
    assert (added.name, added.orgnr, added.employees, added.rd_experience) == (
        "Mek", "974760673", 45, True)
    assert added.municipality == "Sarpsborg"


def test_edit_may_keep_its_own_org_number(session):
    added = org(session, "Mek", orgnr="974760673")
    edit_org(session, added, OrgFields(orgnr="974 760 673", name="Mek AS"))
    assert (added.orgnr, added.name) == ("974760673", "Mek AS")


def test_edit_refuses_an_empty_name(session):
    added = org(session, "Mek")
    with pytest.raises(InvalidInput, match="needs a name"):
        edit_org(session, added, OrgFields(name="  "))


# -- naming an org --------------------------------------------------------------------------

@pytest.fixture
def three(session):
    return (org(session, "Fredrikstad Mek AS", orgnr="974760673"),
            org(session, "Fredrikstad Bryggeri AS", orgnr="923609016"),
            org(session, "Sågverket i Årjäng AB", orgnr="5560125790"))


@pytest.mark.parametrize("ref, index", [
    ("1", 0), ("3", 2),
    ("974760673", 0), ("974 760 673", 0), ("556012-5790", 2), ("5560125790", 2),
    ("Bryggeri", 1), ("bryggeri", 1), ("årjäng", 2), ("SÅGVERKET", 2), ("Fredrikstad Mek", 0),
])
def test_find_org_by_id_number_or_name_part(session, three, ref, index):
    assert find_org(session, ref).id == three[index].id


def test_an_exact_name_wins_over_longer_names(session):
    short = org(session, "Mek")
    org(session, "Mek Holding")
    assert find_org(session, "mek").id == short.id


def test_an_ambiguous_name_lists_the_candidates(session, three):
    with pytest.raises(InvalidInput) as caught:
        find_org(session, "Fredrikstad")
    message = str(caught.value)
    assert "matches several orgs" in message and "use the id" in message
    assert f"#{three[0].id} Fredrikstad Mek AS" in message
    assert f"#{three[1].id} Fredrikstad Bryggeri AS" in message
    assert "Sågverket" not in message


def test_many_candidates_are_cut_short(session):
    for i in range(11):
        org(session, f"Bygg {i} AS")
    with pytest.raises(InvalidInput, match="and 3 more; use the id"):
        find_org(session, "Bygg")


@pytest.mark.parametrize("ref", ["Ingen slik", "99", "981566378", ""])
def test_an_unknown_org_is_not_found(session, three, ref):
    with pytest.raises((NotFound, InvalidInput)):
        find_org(session, ref)


def test_an_empty_name_names_no_org_even_when_only_one_exists(session):
    org(session, "Eneste AS")
    with pytest.raises(InvalidInput):
        find_org(session, "  ")


# -- listing --------------------------------------------------------------------------------

def test_list_orgs_most_recently_met_first_with_active_needs(session, three):
    mek, bryggeri, sag = three
    add_visit(session, VisitDraft(orgs=[mek], date=date(2026, 8, 1), needs=["Sveisekurs"]))
    add_visit(session, VisitDraft(orgs=[sag], date=date(2026, 9, 1), needs=["Truckførerbevis",
                                                                            "Lærling"]))
    rows = list_orgs(session)
    assert [r["name"] for r in rows] == ["Sågverket i Årjäng AB", "Fredrikstad Mek AS",
                                         "Fredrikstad Bryggeri AS"]
    assert [(r["last_visit"], r["active_needs"]) for r in rows] == [
        (date(2026, 9, 1), 2), (date(2026, 8, 1), 1), (None, 0)]
    assert [r["name"] for r in list_orgs(session, text="fredrikstad")] == [
        "Fredrikstad Mek AS", "Fredrikstad Bryggeri AS"]


# -- merging --------------------------------------------------------------------------------

def test_merge_moves_everything_and_deletes_the_duplicate(session):
    keep = org(session, "Fredrikstad Mek AS", employees=40)
    dup = org(session, "Fredrikstad Mekaniske Verksted", orgnr="974760673",
              municipality="Fredrikstad", rd_experience=True)
    other = org(session, "Fredrikstad Bryggeri AS")
    contact = add_contact(session, dup, ContactFields(name="Kari Ødegård"))
    own_visit = add_visit(session, VisitDraft(orgs=[dup], date=DAY, contact_ids=[contact.id],
                                              needs=["Sveisekurs"]))
    # An event both met: the merged org must appear once at it.
    event = add_visit(session, VisitDraft(orgs=[other, keep, dup], date=DAY, kind="event"))
    need = session.exec(select(Need).where(Need.org_id == dup.id)).one()
    referral = add_referral(session, need, "Fagskolen", on=DAY)
    followup = add_followup(session, date(2026, 9, 20), "Ring Kari", org=dup, today=DAY)
    dup_id = dup.id

    merge_orgs(session, keep, dup)

    assert session.get(Org, dup_id) is None
    assert session.get(Contact, contact.id).org_id == keep.id
    assert session.get(Need, need.id).org_id == keep.id
    assert session.get(Followup, followup.id).org_id == keep.id
    referral_org = session.get(Need, session.get(Referral, referral.id).need_id).org_id
    assert referral_org == keep.id
    links = session.exec(select(VisitOrg.visit_id, VisitOrg.org_id)).all()
    assert (own_visit.id, keep.id) in links
    assert sorted(o for v, o in links if v == event.id) == sorted([other.id, keep.id])
    assert not [link for link in links if link[1] == dup_id]
    # Empty fields are filled from the duplicate, set ones are kept.
    assert (keep.orgnr, keep.municipality, keep.employees, keep.rd_experience) == (
        "974760673", "Fredrikstad", 40, True)
    history = org_history(session, keep)
    assert [v["id"] for v in history["visits"]] == sorted([own_visit.id, event.id], reverse=True)
    assert len(history["needs"]) == 1 and len(history["referrals"]) == 1


def test_an_org_cannot_merge_into_itself(session):
    one = org(session, "Mek")
    with pytest.raises(InvalidInput, match="into itself"):
        merge_orgs(session, one, one)


def test_history_holds_everything_of_the_org_only(session):
    mek = org(session, "Mek")
    other = org(session, "Annen")
    add_contact(session, mek, ContactFields(name="Kari", role="HR"))
    add_visit(session, VisitDraft(orgs=[mek], date=DAY, since_last="Ny ordre",
                                  needs=["Sveisekurs"], follow_up=date(2026, 9, 10)))
    add_visit(session, VisitDraft(orgs=[other], date=DAY, needs=["Annet"]))
    history = org_history(session, mek)
    assert history["name"] == "Mek"
    assert [c["name"] for c in history["contacts"]] == ["Kari"]
    assert [v["since_last"] for v in history["visits"]] == ["Ny ordre"]
    assert [n["text"] for n in history["needs"]] == ["Sveisekurs"]
    assert [f["due"] for f in history["followups"]] == [date(2026, 9, 10)]
