"""Personal data: export one person's data, erase a person, keep contacts only as long as needed.

A contact is the only record about a person; their name may also appear in the
broker's free text (visit notes, template fields, needs, follow-ups, referral notes).
Erasing removes the contact and its links to visits; with `redact` the name, e-mail
and phone are also replaced in those texts by `[erased contact #ID]`. Visits, needs
and referrals stay, so report figures of past periods do not move.

After the transaction, `scrub` folds the WAL into the store and truncates it; with
`secure_delete` on and the search index rebuilt, `residue` then finds the erased
strings in none of the store's files.

    >>> with store.session(write=True) as s:            # doctest: +SKIP
    ...     erasure = erase_contact(s, 3, redact=True)
    >>> scrub(store.resolve(None), erasure.terms)        # doctest: +SKIP
    []
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import Session, SQLModel, col, select

from megler import store
from megler.clock import local
from megler.contacts import contact_row, find_contact
from megler.errors import InvalidInput
from megler.models import (
    Audit,
    Contact,
    Followup,
    Need,
    Org,
    Referral,
    ReferralEvent,
    Visit,
    VisitContact,
    ident,
)
from megler.orgs import org_row
from megler.parse import parse_date
from megler.visits import visit_row

# Where the broker's own words may name a person.
FREE_TEXT: dict[type[SQLModel], tuple[str, ...]] = {
    Visit: ("notes", "since_last", "next_steps"),
    Need: ("text",),
    Followup: ("text",),
    Referral: ("note",),
    ReferralEvent: ("note",),
}


@dataclass
class Erasure:
    """What an erasure did, by ids only: fit to print and to log."""

    contact_id: int
    terms: list[str]                                     # kept in memory, never printed
    visits_unlinked: int = 0
    redacted: list[str] = field(default_factory=list)    # "visit #4 notes"
    left: list[str] = field(default_factory=list)        # mentions kept (no redact)


def placeholder(contact_id: int) -> str:
    return f"[erased contact #{contact_id}]"


def terms_of(contact: Contact) -> list[str]:
    """The strings that identify the person: name, e-mail, phone."""
    return [t.strip() for t in (contact.name, contact.email, contact.phone)
            if t and len(t.strip()) >= 2]


def _pattern(terms: list[str]) -> re.Pattern:
    parts = []
    for term in terms:
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 6 and not re.search(r"[^\d\s.+()-]", term):
            # a phone number is written with or without spaces, dots and dashes
            parts.append(r"[\s.-]*".join(map(re.escape, digits)))
        else:
            # whole words only ("Bo" is not in "Bodø"), but the genitive "Karis" counts
            words = r"\s+".join(map(re.escape, term.split()))
            parts.append(rf"(?<!\w){words}(?=s?(?!\w))")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def mentions(s: Session, terms: list[str]) -> list[tuple[SQLModel, str]]:
    """Every (row, field) of the broker's free text that names the person.

    Scanned in Python: SQLite's lower() knows no æøå, and a store holds at most
    some tens of thousands of texts.
    """
    pattern = _pattern(terms)
    found = []
    for model, fields in FREE_TEXT.items():
        for row in s.exec(select(model)):
            found += [(row, col) for col in fields if pattern.search(getattr(row, col) or "")]
    return found


def label(row, column: str) -> str:
    return f"{type(row).__tablename__} #{row.id} {column.replace('_', ' ')}"


def export_contact(s: Session, ref: str | int) -> dict:
    """Everything megler holds about one person (right of access)."""
    contact = find_contact(s, ref)
    attended = s.exec(select(Visit).join(VisitContact)
                      .where(VisitContact.contact_id == contact.id).order_by(col(Visit.date))).all()
    return {
        "format": "megler-contact-export",
        "contact": contact_row(contact),
        "org": org_row(s.get_one(Org, contact.org_id)),
        "visits": [_visit_export(s, v) for v in attended],
        "mentioned_in": [{"where": label(row, col), "text": getattr(row, col)}
                         for row, col in mentions(s, terms_of(contact))],
        "audit": _audit_of(s, ident(contact.id)),
    }


def _visit_export(s: Session, visit: Visit) -> dict:
    from megler.models import VisitOrg

    needs = s.exec(select(Need).where(Need.visit_id == visit.id)).all()
    orgs = s.exec(select(Org.name).join(VisitOrg, col(VisitOrg.org_id) == Org.id)
                  .where(VisitOrg.visit_id == visit.id).order_by(col(VisitOrg.position))).all()
    return visit_row(visit) | {"orgs": list(orgs), "needs": [
        {"id": n.id, "kind": n.kind, "status": n.status, "text": n.text} for n in needs]}


def _audit_of(s: Session, contact_id: int) -> list[dict]:
    rows = s.exec(select(Audit).where(Audit.entity == "contact",
                                      Audit.entity_id == str(contact_id)).order_by(col(Audit.id)))
    return [{"time": a.time, "command": a.command, "action": a.action} for a in rows]


def erase_contact(s: Session, ref: str | int, *, redact: bool = False) -> Erasure:
    """Delete a contact and its visit links; with `redact`, replace them in free text too.

    Visits, needs, referrals and follow-ups stay: report figures do not change.
    """
    from sqlalchemy import delete

    contact = find_contact(s, ref)
    erasure = Erasure(ident(contact.id), terms_of(contact))
    found = mentions(s, erasure.terms)
    if redact:
        pattern, mark = _pattern(erasure.terms), placeholder(erasure.contact_id)
        for row, column in found:
            setattr(row, column, pattern.sub(mark, getattr(row, column)))
            s.add(row)
        erasure.redacted = [label(row, col) for row, col in found]
    else:
        erasure.left = [label(row, col) for row, col in found]
    _forget_undo(s, erasure.terms)
    result = s.exec(delete(VisitContact).where(col(VisitContact.contact_id) == contact.id))
    erasure.visits_unlinked = result.rowcount
    s.delete(contact)
    s.flush()
    # The FTS index keeps old tokens in its segments until merged; rebuild drops them.
    s.execute(text("INSERT INTO search(search) VALUES ('rebuild')"))  # exec() takes no text()
    return erasure


def _forget_undo(s: Session, terms: list[str]) -> None:
    """What `megler undo` kept of a change may name the person: that undo goes with them."""
    from megler.models import Undo

    pattern = _pattern(terms)
    for kept in s.exec(select(Undo)).all():
        if pattern.search(kept.images):
            s.delete(kept)
    s.flush()


def scrub(path: Path, terms: list[str]) -> list[str]:
    """After the erasure is committed: empty the WAL; returns the files still holding a term."""
    store.checkpoint(path)
    return residue(path, terms)


def residue(path: Path, terms: list[str]) -> list[str]:
    """The names of the store's files in which one of `terms` still occurs, byte for byte."""
    needles = {v.encode() for t in terms for v in (t, t.lower(), t.upper(), t.title())}
    hits = []
    for file in store.files(path):
        data = file.read_bytes()
        if any(n in data for n in needles):
            hits.append(file.name)
    return hits


def stale_contacts(s: Session, months: int, today: date) -> list[dict]:
    """Contacts not met at a visit for `months`, oldest first.

    A contact never seen at a visit counts from when it was last recorded or changed
    (the audit log), or, if it predates the log, from when its org was added.
    """
    if months < 1:
        raise InvalidInput(f"months must be at least 1: {months}")
    cutoff = parse_date(f"-{months}m", base=today)
    met = dict(s.exec(select(VisitContact.contact_id, func.max(Visit.date))
                      .join(Visit, col(Visit.id) == VisitContact.visit_id)
                      .group_by(col(VisitContact.contact_id))).all())
    recorded = dict(s.exec(select(Audit.entity_id, func.max(Audit.time))
                           .where(Audit.entity == "contact").group_by(Audit.entity_id)).all())
    rows = []
    for contact, org in s.exec(select(Contact, Org).join(Org, col(Org.id) == Contact.org_id)):
        seen, basis = _last_seen(contact, org, met, recorded)
        if seen < cutoff:
            rows.append({"id": contact.id, "name": contact.name, "org": org.name,
                         "last_seen": seen, "basis": basis})
    return sorted(rows, key=lambda r: (r["last_seen"], r["id"]))


def _last_seen(contact: Contact, org: Org, met: dict, recorded: dict) -> tuple[date, str]:
    visit = met.get(contact.id)
    logged = recorded.get(str(contact.id))
    logged = local(logged).date() if logged else None
    candidates = [(d, why) for d, why in ((visit, "visit"), (logged, "recorded")) if d]
    if candidates:
        return max(candidates)
    return org.created, "org added"
