from datetime import date

import pytest
from sqlmodel import select

from megler.contacts import ContactFields, add_contact
from megler.errors import InvalidInput, NotFound
from megler.models import Followup, Need
from megler.orgs import OrgFields, add_org
from megler.visits import VisitDraft, add_visit, edit_visit, get_visit, list_visits, visit_detail

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

DAY = date(2026, 9, 1)


@pytest.fixture
def orgs(session):
    return (add_org(session, OrgFields(name="Fredrikstad Mek AS")),
            add_org(session, OrgFields(name="Årjäng Såg AB")),
            add_org(session, OrgFields(name="Halden Kommune", kind="municipality")))


def test_a_visit_with_needs_contacts_and_a_follow_up(session, orgs):
    mek = orgs[0]
    kari = add_contact(session, mek, ContactFields(name="Kari Ødegård"))
    visit = add_visit(session, VisitDraft(
        orgs=[mek], date=DAY, kind="ph", contact_ids=[kari.id, kari.id], notes="Møte",
        since_last="Ny ordre fra Equinor", next_steps="Sende kursplan før fredag",
        needs=["Sveisesertifisering for 6 ansatte", "Lærling i CNC"], need_kind="apprentice",
        follow_up=date(2026, 9, 15)))
    detail = visit_detail(session, get_visit(session, visit.id))
    assert (detail["date"], detail["kind"], detail["since_last"]) == (DAY, "phone",
                                                                       "Ny ordre fra Equinor")
    assert detail["orgs"] == [{"id": mek.id, "name": "Fredrikstad Mek AS"}]
    assert detail["contacts"] == [{"id": kari.id, "name": "Kari Ødegård"}]
    assert [(n["text"], n["kind"], n["status"]) for n in detail["needs"]] == [
        ("Sveisesertifisering for 6 ansatte", "apprenticeship", "open"),
        ("Lærling i CNC", "apprenticeship", "open")]
    needs = session.exec(select(Need)).all()
    assert {(n.org_id, n.date, n.visit_id) for n in needs} == {(mek.id, DAY, visit.id)}
    followup = session.exec(select(Followup)).one()
    # Without a text of its own, the follow-up says what the next steps are.
    assert (followup.org_id, followup.due, followup.text) == (
        mek.id, date(2026, 9, 15), "Sende kursplan før fredag")


def test_an_event_meets_several_orgs_the_first_is_the_host(session, orgs):
    mek, sag, halden = orgs
    visit = add_visit(session, VisitDraft(orgs=[halden, mek, sag, mek], date=DAY, kind="event",
                                          needs=["Felles kurs"]))
    detail = visit_detail(session, visit)
    assert [o["name"] for o in detail["orgs"]] == ["Halden Kommune", "Fredrikstad Mek AS",
                                                   "Årjäng Såg AB"]
    assert session.exec(select(Need.org_id)).all() == [halden.id]
    assert [v["orgs"] for v in list_visits(session)] == [
        "Halden Kommune, Fredrikstad Mek AS, Årjäng Såg AB"]
    assert [v["id"] for v in list_visits(session, org=sag)] == [visit.id]


def test_a_contact_must_belong_to_an_org_of_the_visit(session, orgs):
    mek, sag, _ = orgs
    kari = add_contact(session, sag, ContactFields(name="Kari"))
    with pytest.raises(InvalidInput, match=f"contact #{kari.id} does not belong"):
        add_visit(session, VisitDraft(orgs=[mek], date=DAY, contact_ids=[kari.id]))
    with pytest.raises(NotFound, match="no contact #99"):
        add_visit(session, VisitDraft(orgs=[mek], date=DAY, contact_ids=[99]))


@pytest.mark.parametrize("draft, message", [
    (dict(orgs=[]), "at least one org"),
    (dict(kind="lunch"), "unknown visit kind"),
    (dict(needs=["x"], need_kind="wishes"), "unknown need kind"),
    (dict(notes="bell\x07"), "control characters"),
])
def test_bad_visits_are_refused(session, orgs, draft, message):
    with pytest.raises(InvalidInput, match=message):
        add_visit(session, VisitDraft(**({"orgs": [orgs[0]], "date": DAY} | draft)))


def test_list_visits_newest_first_within_dates(session, orgs):
    mek = orgs[0]
    for day in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 7, 1)):
        add_visit(session, VisitDraft(orgs=[mek], date=day))
    assert [v["date"] for v in list_visits(session)] == [
        date(2026, 9, 1), date(2026, 8, 1), date(2026, 7, 1)]
    assert [v["date"] for v in list_visits(session, since=date(2026, 7, 2),
                                           until=date(2026, 8, 31))] == [date(2026, 8, 1)]


def test_edit_changes_what_is_given(session, orgs):
    visit = add_visit(session, VisitDraft(orgs=[orgs[0]], date=DAY, notes="Før"))
    edit_visit(session, visit, {"date": date(2026, 9, 2), "kind": "video", "notes": None,
                                "next_steps": "Neste møte på Teams"})
    again = get_visit(session, visit.id)
    assert (again.date, again.kind, again.notes, again.next_steps) == (
        date(2026, 9, 2), "video", "Før", "Neste møte på Teams")
    with pytest.raises(InvalidInput, match="unknown visit kind"):
        edit_visit(session, visit, {"kind": "lunch"})
    with pytest.raises(NotFound, match="no visit #42"):
        get_visit(session, 42)
