"""A fixed broker's year, 2026Q2 to 2026Q4, built through the domain functions.

Each step carries the day it happens, so a test can build the store as it stood
on any day (`build(s, until=date(2026, 10, 1))`) and compare with the full one.
Key facts the tests rely on:

- Halden Fisk's SkatteFUNN referral: applied 1 September (NOK 1,250,000),
  granted 10 October (NOK 1,000,000): applied in Q3, granted in Q4.
- Fredrikstad Mek is new in Q2 and returning in Q3; Moss Data and Uddevalla are new in Q3.
- The Q3 follow-ups: one done on time, one done late, one overdue at the end.
"""

from datetime import date

from sqlmodel import select

from megler.followups import add_followup, done
from megler.models import CatalogEntry, Followup, Need, Org, Referral
from megler.needs import close_need
from megler.orgs import OrgFields, add_org
from megler.referrals import Change, add_referral, update_referral
from megler.visits import VisitDraft, add_visit

D = date.fromisoformat

ORGS = [
    OrgFields(name="Fredrikstad Mek AS", industry="25.110 Bearbeiding av metaller",
              municipality="Fredrikstad", employees=45, rd_experience=False),
    OrgFields(name="Halden Fisk AS", industry="10.200", municipality="Halden", employees=120,
              rd_experience=True),
    OrgFields(name="Sarpsborg kommune", kind="municipality", industry="84.110",
              municipality="Sarpsborg", employees=4200),
    OrgFields(name="Moss Data AS", industry="programvare", municipality="Moss", employees=6),
    OrgFields(name="Uddevalla Vård AB", country="SE", industry="86.100",
              municipality="Uddevalla", employees=300, rd_experience=True),
]
ENTRIES = [
    dict(key="skattefunn", kind="instrument", name="SkatteFUNN", agency="Forskningsrådet"),
    dict(key="fagskolen-sveis", kind="offering", name="Fagskolen i Viken: sveiseteknikk",
         provider="Fagskolen i Viken"),
    dict(key="in-oppstart", kind="instrument", name="Innovasjon Norge: oppstartstilskudd",
         agency="Innovasjon Norge"),
    dict(key="sintef", kind="provider", name="SINTEF Manufacturing", provider="SINTEF"),
]


def org(s, name: str) -> Org:
    return s.exec(select(Org).where(Org.name == name)).one()


def need(s, text: str) -> Need:
    return s.exec(select(Need).where(Need.text.startswith(text))).one()


def referral(s, target: str) -> Referral:
    return s.exec(select(Referral).where(Referral.target == target)).one()


def entry(s, key: str) -> int:
    return s.exec(select(CatalogEntry.id).where(CatalogEntry.key == key)).one()


def visit(s, orgs, on, kind="visit", since=None, steps=None, needs=(), need_kind="competence",
          follow_up=None, follow_up_text=None):
    add_visit(s, VisitDraft(orgs=[org(s, o) for o in orgs], date=D(on), kind=kind,
                            since_last=since, next_steps=steps, needs=list(needs),
                            need_kind=need_kind, follow_up=D(follow_up) if follow_up else None,
                            follow_up_text=follow_up_text))


def refer(s, need_text, target, on, key=None):
    add_referral(s, need(s, need_text), target, on=D(on), entry_id=entry(s, key) if key else None)


def move(s, target, status, on, **amounts):
    update_referral(s, referral(s, target), Change(status=status, on=D(on), **amounts))


def finish(s, text, on):
    f = s.exec(select(Followup).where(Followup.text == text)).one()
    done(s, f.id, D(on))


STEPS = [
    # 2026Q2
    ("2026-04-10", lambda s: visit(
        s, ["Fredrikstad Mek AS"], "2026-04-10",
        since="Første møte; ny ordre fra Equinor krever sertifiserte sveisere.",
        steps="Finne sveisekurs før sommeren, ellers mister de ordren.",
        needs=["Sveisesertifisering for 6 ansatte"], follow_up="2026-04-24",
        follow_up_text="Sende kursoversikt til Fredrikstad Mek")),
    ("2026-04-22", lambda s: finish(s, "Sende kursoversikt til Fredrikstad Mek", "2026-04-22")),
    ("2026-05-20", lambda s: visit(
        s, ["Halden Fisk AS"], "2026-05-20", kind="phone",
        steps="Koble dem med en FoU-partner og se på SkatteFUNN.",
        needs=["Automatisert filetering, trenger FoU-partner"], need_kind="rd")),
    ("2026-06-05", lambda s: refer(s, "Automatisert filetering", "SkatteFUNN", "2026-06-05",
                                   "skattefunn")),
    ("2026-06-20", lambda s: move(s, "SkatteFUNN", "contacted", "2026-06-20")),
    # 2026Q3
    ("2026-07-02", lambda s: visit(
        s, ["Moss Data AS"], "2026-07-02", kind="video",
        since="Har testet en prototype | med to kunder.",
        steps="Søke oppstartstilskudd; fristen er i august.",
        needs=["Midler til å gjøre prototypen til et produkt"], need_kind="funding",
        follow_up="2026-07-20", follow_up_text="Sjekke søknadsutkastet til Moss Data")),
    ("2026-07-05", lambda s: refer(s, "Sveisesertifisering", "Fagskolen i Viken: sveiseteknikk",
                                   "2026-07-05", "fagskolen-sveis")),
    ("2026-07-10", lambda s: refer(s, "Midler til å gjøre", "Innovasjon Norge: oppstartstilskudd",
                                   "2026-07-10", "in-oppstart")),
    ("2026-07-18", lambda s: finish(s, "Sjekke søknadsutkastet til Moss Data", "2026-07-18")),
    ("2026-08-01", lambda s: move(s, "Innovasjon Norge: oppstartstilskudd", "applied",
                                  "2026-08-01", amount_applied=300_000)),
    ("2026-08-15", lambda s: visit(
        s, ["Fredrikstad Mek AS"], "2026-08-15",
        since="Seks sveisere er påmeldt kurset.\nOrdren fra Equinor er sikret.",
        steps="Se på rekruttering av to lærlinger neste år.",
        needs=["Trenger to CNC-operatører"], need_kind="recruitment",
        follow_up="2026-08-30", follow_up_text="Ringe NAV om CNC-operatører")),
    ("2026-08-20", lambda s: visit(
        s, ["Sarpsborg kommune", "Moss Data AS", "Uddevalla Vård AB"], "2026-08-20",
        kind="event", steps="Følge opp lærlingplasser i kommunen.",
        needs=["Vil ta inn 4 lærlinger i helsefag"], need_kind="apprenticeship")),
    ("2026-08-25", lambda s: refer(s, "Vil ta inn 4 lærlinger", "NAV Øst-Viken", "2026-08-25")),
    ("2026-08-26", lambda s: move(s, "Fagskolen i Viken: sveiseteknikk", "enrolled", "2026-08-26",
                                  participants=6)),
    ("2026-09-01", lambda s: move(s, "SkatteFUNN", "applied", "2026-09-01",
                                  amount_applied=1_250_000)),
    ("2026-09-10", lambda s: finish(s, "Ringe NAV om CNC-operatører", "2026-09-10")),
    ("2026-09-15", lambda s: visit(
        s, ["Uddevalla Vård AB"], "2026-09-15",
        since="Har kartlagt behovet for demensutbildning.",
        steps="Ta fram ett förslag från yrkeshögskolan.",
        needs=["Utbilda 8 undersköterskor i demensvård"], follow_up="2026-09-25",
        follow_up_text="Skicka förslag till Uddevalla Vård")),
    ("2026-09-20", lambda s: move(s, "Innovasjon Norge: oppstartstilskudd", "declined",
                                  "2026-09-20")),
    ("2026-09-25", lambda s: close_need(s, need(s, "Trenger to CNC-operatører"), "dropped",
                                        D("2026-09-25"))),
    # 2026Q4: none of this may change the Q3 report
    ("2026-10-05", lambda s: finish(s, "Skicka förslag till Uddevalla Vård", "2026-10-05")),
    ("2026-10-06", lambda s: close_need(s, need(s, "Utbilda 8 undersköterskor"), "resolved",
                                        D("2026-10-06"))),
    ("2026-10-10", lambda s: move(s, "SkatteFUNN", "granted", "2026-10-10",
                                  amount_granted=1_000_000)),
    ("2026-10-20", lambda s: visit(
        s, ["Halden Fisk AS"], "2026-10-20", since="SkatteFUNN-prosjektet er innvilget.",
        steps="Finne en forskningspartner innen januar.", follow_up="2026-11-10",
        follow_up_text="Introdusere Halden Fisk for SINTEF")),
    ("2026-11-30", lambda s: move(s, "Fagskolen i Viken: sveiseteknikk", "completed",
                                  "2026-11-30")),
    ("2026-12-01", lambda s: add_followup(s, D("2027-01-15"), "Planlegge møte med Sarpsborg",
                                          org=org(s, "Sarpsborg kommune"), today=D("2026-12-01"))),
]


def build(s, until: date = date(2026, 12, 31)) -> None:
    """The orgs and catalog, then every step dated on or before `until`."""
    for fields in ORGS:
        add_org(s, fields)
    for values in ENTRIES:
        s.add(CatalogEntry(**values))
    s.flush()
    for on, step in STEPS:
        if D(on) <= until:
            step(s)
    s.flush()
