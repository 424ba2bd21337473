"""Visits: one meeting with one or more orgs, written in the broker's template."""

import datetime as dt
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from megler import brokers
from megler.errors import InvalidInput, NotFound
from megler.models import Contact, Need, Org, Visit, VisitContact, VisitOrg, ident
from megler.parse import clean_text, parse_choice
from megler.sql import Page, paged
from megler.vocabulary import NeedKind, VisitKind


@dataclass
class VisitDraft:
    """Everything `visit add` captures; the needs and the follow-up are made with it."""

    orgs: list[Org]
    date: date
    kind: str = "visit"
    contact_ids: list[int] = field(default_factory=list)
    notes: str | None = None
    since_last: str | None = None
    next_steps: str | None = None
    needs: list[str] = field(default_factory=list)
    need_kind: str | None = None  # None: each need's kind is read from its text
    follow_up: dt.date | None = None  # in here, `date` is the field above
    follow_up_text: str | None = None


def add_visit(s: Session, draft: VisitDraft) -> Visit:
    from megler.followups import add_followup
    from megler.needs import add_need

    if not draft.orgs:
        raise InvalidInput("a visit needs at least one org")
    visit = Visit(date=draft.date, kind=parse_choice(draft.kind, VisitKind, "visit kind"),
                  notes=clean_text(draft.notes), since_last=clean_text(draft.since_last),
                  next_steps=clean_text(draft.next_steps))
    s.add(visit)
    s.flush()
    _link_orgs(s, visit, draft.orgs)
    _link_contacts(s, visit, draft.orgs, draft.contact_ids)
    host = draft.orgs[0]
    for text in draft.needs:
        kind, said = kind_and_text(text, draft.need_kind)
        add_need(s, host, said, kind=kind, on=draft.date, visit=visit)
    if draft.follow_up:
        text = draft.follow_up_text or draft.next_steps or f"Follow up the visit of {draft.date}"
        add_followup(s, draft.follow_up, text, org=host, today=draft.date)
    return visit


def kind_and_text(need: str, default: str | None) -> tuple[str | None, str]:
    """`rd: Vil teste en ny prosess` is an R&D need; a need without a kind in front has `default`."""
    word, sep, rest = need.partition(":")
    if sep and rest.strip() and word.strip().lower() in tuple(NeedKind):
        return word.strip().lower(), rest.strip()
    return default, need


def _link_orgs(s: Session, visit: Visit, orgs: list[Org]) -> None:
    seen = set()
    for position, org in enumerate(orgs):
        if org.id not in seen:
            s.add(VisitOrg(visit_id=ident(visit.id), org_id=ident(org.id), position=position))
            seen.add(org.id)
    s.flush()


def _link_contacts(s: Session, visit: Visit, orgs: list[Org], contact_ids: list[int]) -> None:
    org_ids = {o.id for o in orgs}
    for contact_id in dict.fromkeys(contact_ids):
        contact = s.get(Contact, contact_id)
        if not contact:
            raise NotFound(f"no contact #{contact_id}")
        if contact.org_id not in org_ids:
            raise InvalidInput(f"contact #{contact_id} does not belong to an org of this visit")
        s.add(VisitContact(visit_id=ident(visit.id), contact_id=contact_id))
    s.flush()


def edit_visit(s: Session, visit: Visit, changes: dict, *, orgs: list[Org] | None = None,
               contact_ids: list[int] | None = None) -> Visit:
    """Change the date, kind or text fields (None leaves a field as it is), and put new
    orgs (the first the host) or contacts in place of the old ones."""
    if orgs is not None:
        _replace_orgs(s, visit, orgs)
    if contact_ids is not None or orgs is not None:
        met = _met(s, visit)
        kept = contact_ids if contact_ids is not None else list(
            s.exec(select(VisitContact.contact_id).where(VisitContact.visit_id == visit.id)))
        s.exec(delete(VisitContact).where(col(VisitContact.visit_id) == visit.id))
        _link_contacts(s, visit, met, kept)
    for key, value in changes.items():
        if value is None:
            continue
        if key == "kind":
            value = parse_choice(value, VisitKind, "visit kind")
        elif key != "date":
            value = clean_text(value)
        setattr(visit, key, value)
    s.add(visit)
    s.flush()
    return visit


def _replace_orgs(s: Session, visit: Visit, orgs: list[Org]) -> None:
    if not orgs:
        raise InvalidInput("a visit needs at least one org")
    wanted = {o.id for o in orgs}
    for need in s.exec(select(Need).where(Need.visit_id == visit.id)):
        if need.org_id not in wanted:
            raise InvalidInput(f"need #{need.id} came from this visit with org #{need.org_id}; "
                               "keep that org, or move the need first (megler need edit)")
    s.exec(delete(VisitOrg).where(col(VisitOrg.visit_id) == visit.id))
    _link_orgs(s, visit, orgs)


def _met(s: Session, visit: Visit) -> list[Org]:
    return list(s.exec(select(Org).join(VisitOrg).where(VisitOrg.visit_id == visit.id)))


def delete_visit(s: Session, visit: Visit) -> dict[str, int]:
    """Delete a visit entered by mistake; the needs found there stay, unlinked from it."""
    needs = len(s.exec(select(Need.id).where(Need.visit_id == visit.id)).all())
    s.delete(visit)
    s.flush()
    return {"needs_kept": needs}


def get_visit(s: Session, visit_id: int) -> Visit:
    visit = s.get(Visit, visit_id)
    if not visit:
        raise NotFound(f"no visit #{visit_id}")
    return visit


def list_visits(s: Session, *, org: Org | None = None, since: date | None = None,
                until: date | None = None, whose: brokers.Whose | None = None,
                limit: int | None = None) -> Page:
    """The newest `limit` visits (None: all), each with the names of the orgs met."""
    query = select(Visit, _org_names()).order_by(col(Visit.date).desc(), col(Visit.id).desc())
    if org:
        query = query.join(VisitOrg).where(VisitOrg.org_id == org.id)
    if since:
        query = query.where(Visit.date >= since)
    if until:
        query = query.where(Visit.date <= until)
    query = brokers.only(query, Visit, whose)
    return paged(s, query, limit, lambda v, names: visit_row(v) | {"orgs": names or ""})


def _org_names():
    """A visit's org names, host first, as one text: in the query, so a page asks once."""
    met = (select(Org.name.label("name")).join(VisitOrg)
           .where(VisitOrg.visit_id == Visit.id).order_by(col(VisitOrg.position))
           .correlate(Visit).subquery())
    return select(func.group_concat(met.c.name, ", ")).scalar_subquery()


def visit_row(v: Visit) -> dict:
    return {"id": v.id, "date": v.date, "kind": v.kind, "notes": v.notes,
            "since_last": v.since_last, "next_steps": v.next_steps, "broker": v.broker}


def visit_detail(s: Session, visit: Visit) -> dict:
    orgs = s.exec(select(Org.id, Org.name).join(VisitOrg)
                  .where(VisitOrg.visit_id == visit.id).order_by(col(VisitOrg.position))).all()
    contacts = s.exec(select(Contact.id, Contact.name).join(VisitContact)
                      .where(VisitContact.visit_id == visit.id)).all()
    needs = s.exec(select(Need).where(Need.visit_id == visit.id)).all()
    return visit_row(visit) | {
        "orgs": [{"id": i, "name": n} for i, n in orgs],
        "contacts": [{"id": i, "name": n} for i, n in contacts],
        "needs": [{"id": n.id, "kind": n.kind, "status": n.status, "text": n.text} for n in needs],
    }
