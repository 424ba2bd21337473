"""Needs found at an org, from open to referred to resolved or dropped."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from megler import brokers
from megler.clock import today
from megler.errors import InvalidInput, NotFound
from megler.models import Followup, Need, Org, Referral, Visit, VisitOrg, ident
from megler.parse import clean_text, parse_choice
from megler.sql import Page, paged
from megler.vocabulary import NEED_ACTIVE, NEED_CLOSED, NeedKind, NeedStatus


def add_need(s: Session, org: Org, text: str, *, kind: str | None = None,
             people: int | None = None, on: date | None = None, visit: Visit | None = None) -> Need:
    """A need found at an org; found on the day of its visit unless `on` says otherwise.
    Without a kind it is read from the text (megler.matching.need_kinds)."""
    text = clean_text(text) or ""
    if not text:
        raise InvalidInput("a need needs a text")
    if kind is None:
        from megler.matching import main_kind, need_kinds

        kind = main_kind(need_kinds(text))
    if people is not None:
        _people(people)
    if visit and not s.get(VisitOrg, (visit.id, org.id)):
        raise InvalidInput(f"visit #{visit.id} did not meet org #{org.id}; "
                           "give a visit of this org, or none")
    on = on or (visit.date if visit else today())
    if visit and on < visit.date:
        raise InvalidInput(f"visit #{visit.id} was on {visit.date}; a need found there cannot "
                           "be dated before it")
    need = Need(org_id=ident(org.id), text=text, kind=parse_choice(kind, NeedKind, "need kind"),
                people=people, date=on, visit_id=visit.id if visit else None)
    s.add(need)
    s.flush()
    return need


def get_need(s: Session, need_id: int) -> Need:
    need = s.get(Need, need_id)
    if not need:
        raise NotFound(f"no need #{need_id}")
    return need


@dataclass
class NeedFields:
    """What `need edit` may change; None leaves a field as it is."""

    text: str | None = None
    kind: str | None = None
    people: int | None = None
    org: Org | None = None
    on: date | None = None


def edit_need(s: Session, need: Need, fields: NeedFields) -> Need:
    """Correct a need: its words, kind, people, org or date, within what it is tied to."""
    if fields.text is not None:
        need.text = clean_text(fields.text) or _no_text()
    if fields.kind is not None:
        need.kind = parse_choice(fields.kind, NeedKind, "need kind")
    if fields.people is not None:
        need.people = _people(fields.people)
    if fields.org is not None and fields.org.id != need.org_id:
        _move_to(s, need, fields.org)
    if fields.on is not None:
        _redate(s, need, fields.on)
    s.add(need)
    s.flush()
    return need


def _no_text() -> str:
    raise InvalidInput("a need needs a text")


def _people(people: int) -> int:
    if people < 0:
        raise InvalidInput(f"people affected cannot be negative: {people}")
    return people


def _move_to(s: Session, need: Need, org: Org) -> None:
    if need.visit_id is not None and not s.get(VisitOrg, (need.visit_id, org.id)):
        raise InvalidInput(f"need #{need.id} came from visit #{need.visit_id}, which did not meet "
                           f"org #{org.id}; give that visit the org first (megler visit edit)")
    for followup in s.exec(select(Followup).where(Followup.need_id == need.id)):
        followup.org_id = org.id  # a follow-up of the need follows it
        s.add(followup)
    need.org_id = ident(org.id)


def _redate(s: Session, need: Need, on: date) -> None:
    visit = s.get(Visit, need.visit_id) if need.visit_id is not None else None
    if visit and on < visit.date:
        raise InvalidInput(f"visit #{visit.id} was on {visit.date}; a need found there cannot "
                           "be dated before it")
    first = s.exec(select(func.min(Referral.date)).where(Referral.need_id == need.id)).one()
    if first is not None and on > first:
        raise InvalidInput(f"need #{need.id} was referred on {first}; it cannot be found later")
    need.date = on


def delete_need(s: Session, need: Need) -> dict[str, int]:
    """Delete a need entered by mistake with its referrals; follow-ups stay, unlinked."""
    referrals = list(s.exec(select(Referral).where(Referral.need_id == need.id)))
    for referral in referrals:
        s.delete(referral)
    s.flush()
    s.delete(need)
    s.flush()
    return {"referrals": len(referrals)}


def close_need(s: Session, need: Need, status: str, on: date) -> Need:
    status = parse_choice(status, NEED_CLOSED, "closing status")
    if need.status in NEED_CLOSED:
        raise InvalidInput(f"need #{need.id} is {need.status} already")
    if on < need.date:
        raise InvalidInput(f"need #{need.id} was found on {need.date}; it cannot close before")
    need.status, need.closed_on = status, on
    s.add(need)
    s.flush()
    return need


def list_needs(s: Session, *, status: str | None = None, kind: str | None = None,
               org: Org | None = None, whose: brokers.Whose | None = None, limit: int | None = None) -> Page:
    """The newest `limit` needs (None: all); `status` may be `active` for open and referred."""
    query = select(Need, Org.name).join(Org).order_by(col(Need.date).desc(), col(Need.id).desc())
    status = status and parse_choice(status, (*NeedStatus, "active"), "need status")
    if status == "active":
        query = query.where(col(Need.status).in_(NEED_ACTIVE))
    elif status:
        query = query.where(Need.status == status)
    if kind:
        query = query.where(Need.kind == parse_choice(kind, NeedKind, "need kind"))
    if org:
        query = query.where(Need.org_id == org.id)
    query = brokers.only(query, Need, whose)
    return paged(s, query, limit, lambda n, name: need_row(n) | {"org": name})


def need_row(n: Need) -> dict:
    return {"id": n.id, "date": n.date, "org_id": n.org_id, "kind": n.kind,
            "status": n.status, "people": n.people, "text": n.text,
            "visit_id": n.visit_id, "closed_on": n.closed_on, "broker": n.broker}


def need_detail(s: Session, need: Need) -> dict:
    from megler.referrals import referral_row

    org = s.get_one(Org, need.org_id)
    referrals = s.exec(select(Referral).where(Referral.need_id == need.id)).all()
    return need_row(need) | {"org": org.name,
                             "referrals": [referral_row(r) for r in referrals]}
