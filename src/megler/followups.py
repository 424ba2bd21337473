"""Follow-ups promised between meetings: add, list, mark done."""

from datetime import date

from sqlmodel import Session, select

from megler.errors import InvalidInput, NotFound
from megler.models import Followup, Need, Org, Referral
from megler.parse import clean_text


def add_followup(s: Session, due: date, text: str, *, org: Org | None = None,
                 need_id: int | None = None, referral_id: int | None = None,
                 today: date) -> Followup:
    text = clean_text(text)
    if not text:
        raise InvalidInput("a follow-up needs a text (--text)")
    of_link = _org_of(s, need_id, referral_id)  # also checks that they exist
    if org and of_link is not None and of_link != org.id:
        link = f"referral #{referral_id}" if referral_id is not None else f"need #{need_id}"
        raise InvalidInput(f"{link} belongs to org #{of_link}, not #{org.id}; "
                           "leave out ORG or give that org")
    org_id = org.id if org else of_link
    followup = Followup(org_id=org_id, need_id=need_id, referral_id=referral_id,
                        due=due, text=text, created=today)
    s.add(followup)
    s.flush()
    return followup


def _org_of(s: Session, need_id: int | None, referral_id: int | None) -> int | None:
    if referral_id is not None:
        referral = s.get(Referral, referral_id)
        if not referral:
            raise NotFound(f"no referral #{referral_id}")
        need_id = referral.need_id
    if need_id is not None:
        need = s.get(Need, need_id)
        if not need:
            raise NotFound(f"no need #{need_id}")
        return need.org_id
    return None


def done(s: Session, followup_id: int, on: date) -> Followup:
    followup = s.get(Followup, followup_id)
    if not followup:
        raise NotFound(f"no follow-up #{followup_id}")
    if followup.done_on:
        raise InvalidInput(f"follow-up #{followup_id} was done on {followup.done_on} already")
    if on < followup.created:  # the report counts on-time and late from these dates
        raise InvalidInput(f"follow-up #{followup_id} was added on {followup.created}; "
                           "it cannot be done before")
    followup.done_on = on
    s.add(followup)
    s.flush()
    return followup


def list_followups(s: Session, *, include_done: bool = False) -> list[dict]:
    query = (select(Followup, Org.name).outerjoin(Org, Org.id == Followup.org_id)
             .order_by(Followup.due, Followup.id))
    if not include_done:
        query = query.where(Followup.done_on.is_(None))
    return [followup_row(f) | {"org": name} for f, name in s.exec(query)]


def followup_row(f: Followup) -> dict:
    return {"id": f.id, "due": f.due, "text": f.text, "org_id": f.org_id,
            "need_id": f.need_id, "referral_id": f.referral_id, "done_on": f.done_on}
