"""Follow-ups promised between meetings: add, list, mark done, put in a calendar."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from megler import brokers
from megler.clock import now
from megler.errors import InvalidInput, NotFound
from megler.models import Followup, Need, Org, Referral
from megler.parse import clean_text
from megler.sql import Page, paged, rows


def add_followup(s: Session, due: date, text: str, *, org: Org | None = None,
                 need_id: int | None = None, referral_id: int | None = None,
                 today: date) -> Followup:
    text = clean_text(text) or ""
    if not text:
        raise InvalidInput("a follow-up needs a text (--text)")
    link = _link(s, need_id, referral_id)  # also checks that they exist
    if link and org and link.org_id != org.id:
        raise InvalidInput(f"{link.label} belongs to org #{link.org_id}, not #{org.id}; "
                           "leave out ORG or give that org")
    if link and due < link.since:
        raise InvalidInput(f"{link.label} is of {link.since}; a follow-up of it cannot be due before")
    org_id = org.id if org else (link.org_id if link else None)
    followup = Followup(org_id=org_id, need_id=need_id, referral_id=referral_id,
                        due=due, text=text, created=today)
    s.add(followup)
    s.flush()
    return followup


@dataclass(frozen=True)
class _Link:
    label: str      # "need #4"
    org_id: int
    since: date     # the day the need was found or the referral made


def _link(s: Session, need_id: int | None, referral_id: int | None) -> _Link | None:
    """What a follow-up is about: its referral (and so its need), or its need."""
    if referral_id is not None:
        referral = s.get(Referral, referral_id)
        if not referral:
            raise NotFound(f"no referral #{referral_id}")
        need = s.get_one(Need, referral.need_id)
        return _Link(f"referral #{referral_id}", need.org_id, referral.date)
    if need_id is not None:
        found = s.get(Need, need_id)
        if not found:
            raise NotFound(f"no need #{need_id}")
        return _Link(f"need #{need_id}", found.org_id, found.date)
    return None


def get_followup(s: Session, followup_id: int) -> Followup:
    followup = s.get(Followup, followup_id)
    if not followup:
        raise NotFound(f"no follow-up #{followup_id}")
    return followup


def edit_followup(s: Session, followup: Followup, *, due: date | None = None,
                  text: str | None = None) -> Followup:
    """Correct a follow-up's due date or text."""
    if text is not None:
        followup.text = clean_text(text) or _no_text()
    if due is not None:
        link = _link(s, followup.need_id, followup.referral_id)
        if link and due < link.since:
            raise InvalidInput(f"{link.label} is of {link.since}; a follow-up of it cannot be due before")
        followup.due = due
    s.add(followup)
    s.flush()
    return followup


def _no_text() -> str:
    raise InvalidInput("a follow-up needs a text (--text)")


def delete_followup(s: Session, followup: Followup) -> None:
    s.delete(followup)
    s.flush()


def done(s: Session, followup_id: int, on: date) -> Followup:
    followup = get_followup(s, followup_id)
    if followup.done_on:
        raise InvalidInput(f"follow-up #{followup_id} was done on {followup.done_on} already")
    if on < followup.created:  # the report counts on-time and late from these dates
        raise InvalidInput(f"follow-up #{followup_id} was added on {followup.created}; "
                           "it cannot be done before")
    followup.done_on = on
    s.add(followup)
    s.flush()
    return followup


def list_followups(s: Session, *, include_done: bool = False, whose: brokers.Whose | None = None,
                   limit: int | None = None) -> Page:
    """The first `limit` follow-ups by due date (None: all), the open ones unless `include_done`."""
    query = (select(Followup, Org.name).outerjoin(Org, col(Org.id) == Followup.org_id)
             .order_by(col(Followup.due), col(Followup.id)))
    if not include_done:
        query = query.where(col(Followup.done_on).is_(None))
    query = brokers.only(query, Followup, whose)
    return paged(s, query, limit, lambda f, name: followup_row(f) | {"org": name})


def followup_row(f: Followup) -> dict:
    return {"id": f.id, "due": f.due, "text": f.text, "org_id": f.org_id,
            "need_id": f.need_id, "referral_id": f.referral_id, "done_on": f.done_on,
            "broker": f.broker}


def followups_ics(s: Session) -> bytes:
    """The open follow-ups as all-day events on their due dates (an .ics file).

    Events rather than to-dos: every calendar shows events, few show to-dos. The
    UID is stable, so importing the file again updates the events it made before.
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//megler//follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "megler")
    stamp = now()
    for fid, due, text, org, need_id, referral_id in rows(s, """
            SELECT f.id, f.due, f.text, o.name, f.need_id, f.referral_id
            FROM followup f LEFT JOIN org o ON o.id = f.org_id
            WHERE f.done_on IS NULL ORDER BY f.due, f.id"""):
        day = date.fromisoformat(due)
        event = Event()
        event.add("uid", f"followup-{fid}@megler")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"{org}: {text}" if org else text)
        event.add("description", _description(fid, org, need_id, referral_id))
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
        calendar.add_component(event)
    return calendar.to_ical()


def _description(fid: int, org: str | None, need_id: int | None, referral_id: int | None) -> str:
    lines = [f"megler follow-up #{fid}" + (f" ({org})" if org else "")]
    if need_id:
        lines.append(f"need #{need_id}")
    if referral_id:
        lines.append(f"referral #{referral_id}")
    lines.append(f"Done? megler followup done {fid}")
    return "\n".join(lines)
