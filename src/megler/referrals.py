"""Referrals: a need sent to an offering, an instrument or a provider, and its outcome.

Every change is kept as a `ReferralEvent` with its date, so a report can rebuild the
state of any referral on any past day.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from megler import brokers
from megler.clock import today
from megler.errors import InvalidInput, NotFound
from megler.models import Need, Org, Referral, ReferralEvent, ident
from megler.parse import clean_text, parse_choice
from megler.sql import Page, paged
from megler.vocabulary import CURRENCY_OF, REFERRAL_OPEN, Country, Currency, NeedStatus, ReferralStatus

S = ReferralStatus
# One rule for every state: a referral moves forward along FORWARD and may skip steps
# (a course place goes applied -> enrolled, a direct booking suggested -> enrolled), never
# back; until its application is decided it may be declined; while open it may be
# withdrawn; a declined application may be made again.
FORWARD = (S.suggested, S.contacted, S.applied, S.granted, S.enrolled, S.completed)
# A grant answers an application, and a course completed was a course enrolled in: a
# referral that skips the first records it too, the same day, so the report never counts
# a grant without an application or a completion without an enrolment.
IMPLIED = {S.granted: S.applied, S.completed: S.enrolled}


def _next(status: str) -> tuple[str, ...]:
    if status == S.declined:
        return (S.applied,)
    if status not in FORWARD[:-1]:
        return ()  # completed and withdrawn are final
    at = FORWARD.index(S(status))
    undecided = (S.declined,) if at <= FORWARD.index(S.applied) else ()
    return (*FORWARD[at + 1:], *undecided, S.withdrawn)


# Where a referral may go from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {str(status): _next(status) for status in ReferralStatus}


@dataclass
class Change:
    """One update of a referral; None leaves a value as it is."""

    status: str | None = None
    on: date | None = None
    amount_applied: int | None = None
    amount_granted: int | None = None
    participants: int | None = None
    note: str | None = None
    currency: str | None = None   # of the amounts, when the broker named it


def add_referral(s: Session, need: Need, target: str, *, on: date, note: str | None = None,
                 entry_id: int | None = None) -> Referral:
    target = clean_text(target) or ""
    if not target:
        raise InvalidInput("a referral needs a target (--to)")
    if on < need.date:
        raise InvalidInput(f"need #{need.id} was found on {need.date}; "
                           "it cannot be referred before")
    referral = Referral(need_id=ident(need.id), target=target, entry_id=entry_id, date=on,
                        note=clean_text(note), currency=currency_for(s, need, entry_id))
    s.add(referral)
    s.flush()
    _record(s, referral, on)
    if need.status == NeedStatus.open:
        need.status = NeedStatus.referred
        s.add(need)
    return referral


def update_referral(s: Session, referral: Referral, change: Change) -> Referral:
    if change.status is None and change.note is None and all(
            getattr(change, key) is None for key in ("amount_applied", "amount_granted", "participants")):
        raise InvalidInput(f"nothing to change for referral #{referral.id}: give --status, "
                           "--amount-applied, --amount-granted, --participants or --note")
    # The status is checked first: a typo in it is the likelier mistake than the date.
    status = change.status and parse_choice(change.status, ReferralStatus, "referral status")
    on = change.on or today()
    last = _last_event(s, referral)
    if on < last.date:
        raise InvalidInput(f"referral #{referral.id} last changed on {last.date}; "
                           "a change cannot come before it")
    if status:
        _move(s, referral, status, on)
    if change.currency:
        _set_currency(referral, parse_choice(change.currency.upper(), Currency, "currency"))
    for key in ("amount_applied", "amount_granted", "participants"):
        value = getattr(change, key)
        if value is not None:
            if value < 0:
                raise InvalidInput(f"{key.replace('_', ' ')} cannot be negative: {value}")
            setattr(referral, key, value)
    if change.note:
        referral.note = clean_text(change.note)
    s.add(referral)
    _record(s, referral, on, note=clean_text(change.note))
    return referral


def currency_for(s: Session, need: Need, entry_id: int | None) -> str:
    """A referral's amounts are in its entry's currency, else in that of its org's country."""
    from megler.models import CatalogEntry

    entry = s.get(CatalogEntry, entry_id) if entry_id is not None else None
    return entry.currency if entry else CURRENCY_OF[Country(s.get_one(Org, need.org_id).country)]


def _set_currency(referral: Referral, currency: str) -> None:
    """Amounts may say their currency; a referral keeps one, so a second one is refused."""
    if currency == referral.currency:
        return
    if referral.amount_applied is not None or referral.amount_granted is not None:
        raise InvalidInput(f"referral #{referral.id} has amounts in {referral.currency}; "
                           f"give them in {referral.currency}, not {currency}")
    referral.currency = currency


def _move(s: Session, referral: Referral, status: str, on: date) -> None:
    if status == referral.status:
        return
    if referral.status not in TRANSITIONS:  # let in by an older `megler import`
        raise InvalidInput(f"referral #{referral.id} has the unknown status {referral.status!r}; "
                           "megler check says how to correct it")
    if status not in TRANSITIONS[referral.status]:
        allowed = ", ".join(TRANSITIONS[referral.status]) or "nothing: it is final"
        raise InvalidInput(f"referral #{referral.id} is {referral.status}; "
                           f"it cannot become {status} (it can become {allowed})")
    implied = IMPLIED.get(S(status))
    if implied and implied in TRANSITIONS[referral.status]:
        referral.status = implied
        _record(s, referral, on)
    referral.status = status


def _record(s: Session, referral: Referral, on: date, note: str | None = None) -> None:
    s.add(ReferralEvent(referral_id=ident(referral.id), status=referral.status, date=on,
                        amount_applied=referral.amount_applied,
                        amount_granted=referral.amount_granted,
                        participants=referral.participants, note=note))
    s.flush()


def _last_event(s: Session, referral: Referral) -> ReferralEvent:
    event = s.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                   .order_by(col(ReferralEvent.date).desc(), col(ReferralEvent.id).desc())).first()
    assert event is not None, "add_referral records the first event"
    return event


@dataclass
class Correction:
    """What `referral edit` may correct; None leaves a value as it is. Amounts are those in
    effect on `on` (default: now), put right in that event and in the later ones that
    carried the same value on."""

    target: str | None = None
    entry_id: int | None = None
    note: str | None = None
    amount_applied: int | None = None
    amount_granted: int | None = None
    on: date | None = None


def edit_referral(s: Session, referral: Referral, fix: Correction) -> Referral:
    if fix.target is not None:
        referral.target = clean_text(fix.target) or _no_target()
        referral.entry_id = fix.entry_id
    if fix.note is not None:
        referral.note = clean_text(fix.note)
    for key in ("amount_applied", "amount_granted"):
        value = getattr(fix, key)
        if value is not None:
            _correct_amount(s, referral, key, value, fix.on)
    s.add(referral)
    s.flush()
    return referral


def _no_target() -> str:
    raise InvalidInput("a referral needs a target (--to)")


def _correct_amount(s: Session, referral: Referral, key: str, value: int, on: date | None) -> None:
    events = list(s.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                         .order_by(col(ReferralEvent.date), col(ReferralEvent.id))))
    at = [e for e in events if on is None or e.date <= on]
    if not at or getattr(at[-1], key) is None:
        raise InvalidInput(f"referral #{referral.id} had no {key.replace('_', ' ')} "
                           f"{'on ' + str(on) if on else 'yet'}; record it with megler referral update")
    wrong = getattr(at[-1], key)
    for event in events[events.index(at[-1]):]:
        if getattr(event, key) == wrong:
            setattr(event, key, value)
            s.add(event)
    if getattr(referral, key) == wrong:
        setattr(referral, key, value)


def delete_referral(s: Session, referral: Referral) -> None:
    """Delete a referral made by mistake, with its history; a need it alone referred is open again."""
    need = s.get_one(Need, referral.need_id)
    s.delete(referral)
    s.flush()
    others = s.exec(select(Referral.id).where(Referral.need_id == need.id)).first()
    if need.status == NeedStatus.referred and others is None:
        need.status = NeedStatus.open
        s.add(need)
        s.flush()


def get_referral(s: Session, referral_id: int) -> Referral:
    referral = s.get(Referral, referral_id)
    if not referral:
        raise NotFound(f"no referral #{referral_id}")
    return referral


def list_referrals(s: Session, *, status: str | None = None, org: Org | None = None,
                   need: Need | None = None, whose: brokers.Whose | None = None,
                   limit: int | None = None) -> Page:
    """The newest `limit` referrals (None: all); `status` may be `open` for those in progress."""
    query = (select(Referral, Org.name).join(Need, col(Need.id) == Referral.need_id)
             .join(Org, col(Org.id) == Need.org_id)
             .order_by(col(Referral.date).desc(), col(Referral.id).desc()))
    if status == "open":
        query = query.where(col(Referral.status).in_(REFERRAL_OPEN))
    elif status:
        query = query.where(Referral.status == parse_choice(status, ReferralStatus,
                                                            "referral status"))
    if org:
        query = query.where(Need.org_id == org.id)
    if need:
        query = query.where(Referral.need_id == need.id)
    query = brokers.only(query, Referral, whose)
    return paged(s, query, limit, lambda r, name: referral_row(r) | {"org": name})


def referral_row(r: Referral) -> dict:
    return {"id": r.id, "need_id": r.need_id, "date": r.date, "target": r.target,
            "entry_id": r.entry_id, "status": r.status, "amount_applied": r.amount_applied,
            "amount_granted": r.amount_granted, "currency": r.currency, "participants": r.participants,
            "note": r.note, "broker": r.broker}


def referral_detail(s: Session, referral: Referral) -> dict:
    events = s.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                    .order_by(col(ReferralEvent.date), col(ReferralEvent.id))).all()
    return referral_row(referral) | {"history": [
        {"date": e.date, "status": e.status, "amount_applied": e.amount_applied,
         "amount_granted": e.amount_granted, "participants": e.participants, "note": e.note}
        for e in events]}


CLOSE = 85    # rapidfuzz partial_ratio, 0..100: a name this alike is the entry meant, misspelt
MIN_CLOSE = 5  # characters: a shorter text is part of too many names to tell
NEAREST = 3   # names offered when free text is taken


@dataclass
class Target:
    name: str
    entry_id: int | None
    nearest: list[str]   # the closest catalog names, when the target is free text


def resolve_target(s: Session, text: str, *, free: bool = False) -> Target:
    """An active catalog entry by id, key or unambiguous name; else the free text itself,
    unless an entry's name comes close (a typo) and `free` does not insist.

    Example: resolve_target(s, "skjonnsmidler")  # -> the entry "Skjønnsmidler"
    """
    from megler.catalog import find_entry

    if not text.strip():
        return Target(text, None, [])  # add_referral says what is missing
    if not free:
        try:
            entry = find_entry(s, text, retired=False)
            return Target(entry.name, entry.id, [])
        except NotFound:
            pass
    nearest = _nearest_entries(s, text)
    close = [f"#{i} {name}" for i, name, score in nearest
             if score >= CLOSE and len(text.strip()) >= MIN_CLOSE]
    if close and not free:
        raise InvalidInput(f"{text.strip()!r} is not in the catalog, but {', '.join(close)} "
                           "come close; give its id, or add --free-text to keep your words")
    return Target(text, None, [name for _, name, _ in nearest])


def _nearest_entries(s: Session, text: str) -> list[tuple[int, str, float]]:
    from rapidfuzz import fuzz, process

    from megler.models import CatalogEntry
    from megler.resolve import plain

    shown = {ident(i): name for i, name in s.exec(
        select(CatalogEntry.id, CatalogEntry.name).where(col(CatalogEntry.retired_on).is_(None)))}
    names = {i: plain(name) for i, name in shown.items()}
    # partial: a broker types the start of a long name, or its key words
    found = process.extract(plain(text), names, scorer=fuzz.partial_ratio, limit=NEAREST)
    return [(i, shown[i], score) for _, score, i in found]
