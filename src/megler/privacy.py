"""Personal data: export one person's data, erase a person, keep contacts only as long as needed.

A contact is the only record about a person; their name may also appear in the
broker's free text (visit notes, template fields, needs, follow-ups, referral targets
and notes, visit drafts). `mentions` finds them there by one rule (megler.redact: the
full name, its parts alone, "Åse B.", the e-mail, the phone however written), and
`contact export` lists what it finds while `contact erase --redact` replaces the same
by `[erased contact #ID]`. Visits, needs and referrals stay, so report figures of past
periods do not move; an org's own name and industry are what reports name and slice
by, so they are listed but kept: `erase_org` removes an org that is a person (a sole
trader) with everything tied to it. Ids are never handed out again (AUTOINCREMENT), so
a placeholder never comes to point at someone added later.

After the transaction, `scrub` folds the WAL into the store and truncates it; with
`secure_delete` on and the search index rebuilt, `residue` then finds the erased
strings in none of the store's files.

    >>> with store.session(write=True) as s:            # doctest: +SKIP
    ...     erasure = erase_contact(s, 3, redact=True)
    >>> scrub(store.resolve(None), erasure.terms)        # doctest: +SKIP
    []
"""

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, or_
from sqlmodel import Session, SQLModel, col, select

from megler import store
from megler.contacts import contact_row, find_contact
from megler.models import (
    Audit,
    Contact,
    Followup,
    Need,
    Org,
    OrgFact,
    Referral,
    ReferralEvent,
    Undo,
    Visit,
    VisitContact,
    VisitOrg,
    ident,
)
from megler.orgs import format_orgnr, org_row, personal_number
from megler.redact import Finder, Person
from megler.visits import visit_row

# Where the broker's own words may name a person: redacted on erasure.
FREE_TEXT: dict[type[SQLModel], tuple[str, ...]] = {
    Visit: ("notes", "since_last", "next_steps"),
    Need: ("text",),
    Followup: ("text",),
    Referral: ("target", "note"),
    ReferralEvent: ("note",),
}
# What reports name and slice orgs by: listed, never rewritten (org erase removes it).
ORG_TEXT = ("name", "industry")


@dataclass
class Mention:
    """One text that names the person: a field of a row, a draft file, an org number."""

    where: str              # "visit #4 notes", "draft /…/visit-20260915-120000.md"
    text: str
    row: SQLModel | None = None
    column: str = ""
    kept: str | None = None  # why erasure leaves it, and what removes it


@dataclass
class Erasure:
    """What an erasure did, by ids only: fit to print and to log."""

    contact_id: int
    terms: list[str]                                     # kept in memory, never printed
    finder: Finder                                       # likewise
    visits_unlinked: int = 0
    redacted: list[str] = field(default_factory=list)    # "visit #4 notes"
    left: list[str] = field(default_factory=list)        # mentions kept (no redact)
    kept: list[str] = field(default_factory=list)        # kept even with redact: org name

    @property
    def mark(self) -> str:
        return placeholder(self.contact_id)


def placeholder(contact_id: int) -> str:
    return f"[erased contact #{contact_id}]"


def terms_of(contact: Contact) -> list[str]:
    """The strings that identify the person byte for byte: name, e-mail, phone."""
    return [t.strip() for t in (contact.name, contact.email, contact.phone)
            if t and len(t.strip()) >= 2]


def finder_of(s: Session, contact: Contact) -> Finder:
    """The redaction rule for one contact; other contacts' full names shield their parts."""
    org = s.get(Org, contact.org_id)
    others = s.exec(select(Contact.name).where(Contact.id != contact.id)).all()
    person = Person(contact.name, contact.email, contact.phone, org.country if org else "NO")
    return Finder(person, list(others))


def personal_orgnr(org: Org) -> bool:
    """A Swedish sole trader's org number is their personnummer (orgs.personal_number)."""
    return personal_number(org.orgnr or "", org.country)


def mentions(s: Session, contact: Contact, store_path: "store.Where | None" = None) -> list[Mention]:
    """Every text megler holds that names the person, by the rule of megler.redact: the
    free text, org names and industries, a personnummer as their org's number, and the
    visit drafts beside `store_path`. What export lists and erase redacts.

    Scanned in Python: SQLite's lower() knows no æøå, and a store holds at most
    some tens of thousands of texts.
    """
    finder = finder_of(s, contact)
    found = [m for model, fields in FREE_TEXT.items() for row in s.exec(select(model))
             for m in _named_in(row, fields, finder)]
    for org in s.exec(select(Org)):
        found += [replace_kept(m, org) for m in _named_in(org, ORG_TEXT, finder)]
    own = s.get(Org, contact.org_id)
    if own and personal_orgnr(own):
        found.append(Mention(f"org #{own.id} org number", format_orgnr(own),
                             kept=_org_erase_hint(own)))
    if store_path is not None:
        found += draft_mentions(store_path, finder)
    return found


def _named_in(row: SQLModel, fields: tuple[str, ...], finder: Finder) -> list[Mention]:
    return [Mention(label(row, column), getattr(row, column), row, column)
            for column in fields if finder.found(getattr(row, column))]


def replace_kept(mention: Mention, org: Org) -> Mention:
    mention.kept = _org_erase_hint(org)
    return mention


def _org_erase_hint(org: Org) -> str:
    return f"an org that is a person goes with megler org erase {org.id}"


def draft_mentions(store_path: "store.Where", finder: Finder) -> list[Mention]:
    """Visit templates kept as drafts (megler.visit_form) that name the person."""
    from megler.visit_form import kept_drafts

    found = []
    for path in kept_drafts(store_path):
        try:
            written = path.read_text("utf-8", errors="replace")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if finder.found(written):
            found.append(Mention(f"draft {path}", written))
    return found


def label(row, column: str) -> str:
    return f"{type(row).__tablename__} #{row.id} {column.replace('_', ' ')}"


def export_contact(s: Session, ref: str | int, store_path: "store.Where | None" = None) -> dict:
    """Everything megler holds about one person (right of access)."""
    contact = find_contact(s, ref)
    attended = s.exec(select(Visit).join(VisitContact)
                      .where(VisitContact.contact_id == contact.id).order_by(col(Visit.date))).all()
    return {
        "format": "megler-contact-export",
        "contact": contact_row(contact),
        "org": org_row(s.get_one(Org, contact.org_id)),
        "visits": [_visit_export(s, v) for v in attended],
        "mentioned_in": [{"where": m.where, "text": m.text}
                         for m in mentions(s, contact, store_path)],
        "audit": _audit_of(s, ident(contact.id)),
    }


def _visit_export(s: Session, visit: Visit) -> dict:
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

    Visits, needs, referrals and follow-ups stay: report figures do not change. The
    drafts beside the store are files, not rows: `redact_drafts` after the commit.
    """
    contact = find_contact(s, ref)
    erasure = Erasure(ident(contact.id), terms_of(contact), finder_of(s, contact))
    for mention in mentions(s, contact):
        if mention.kept:
            erasure.kept.append(f"{mention.where} ({mention.kept})")
        elif redact and mention.row is not None:
            setattr(mention.row, mention.column, erasure.finder.redact(mention.text, erasure.mark))
            s.add(mention.row)
            erasure.redacted.append(mention.where)
        else:
            erasure.left.append(mention.where)
    _forget_undo(s, erasure.finder, {("contact", erasure.contact_id)})
    result = s.exec(delete(VisitContact).where(col(VisitContact.contact_id) == contact.id))
    erasure.visits_unlinked = result.rowcount
    s.delete(contact)
    s.flush()
    _rebuild_search(s)
    return erasure


def _rebuild_search(s: Session) -> None:
    from megler.search import rebuild

    rebuild(s)  # the folded copy of what was erased goes too, and its old index pages


def _forget_undo(s: Session, finder: Finder, gone: set[tuple[str, int]]) -> None:
    """What `megler undo` kept of a change may name the person, or put back a row that
    points at what is erased: that undo goes with them."""
    for kept in s.exec(select(Undo)).all():
        if finder.found(kept.images) or _touches(kept.images, gone):
            s.delete(kept)
    s.flush()


def _touches(images: str, gone: set[tuple[str, int]]) -> bool:
    """Whether an undo record's rows are, or point at, one of `gone` (table, id)."""
    for _action, table, key, values in json.loads(images):
        columns = {**(values or {}), **key}
        if (table, columns.get("id")) in gone:
            return True
        if any((name[:-3], value) in gone for name, value in columns.items()
               if name.endswith("_id")):
            return True
    return False


def redact_drafts(store_path: "store.Where", erasure: "Erasure | OrgErasure", *, redact: bool) -> list[str]:
    """After the commit: replace the person in the drafts that name them (or, without
    `redact`, list them). Returns the drafts' paths."""
    from megler.visit_form import rewrite_draft

    found = draft_mentions(store_path, erasure.finder)
    for mention in found if redact else []:
        path = Path(mention.where.removeprefix("draft "))
        rewrite_draft(path, erasure.finder.redact(mention.text, erasure.mark))
    return [m.where.removeprefix("draft ") for m in found]


# Where an erasure deletes or rewrites what a person wrote or is.
ERASED_FROM = ("contact", "visit", "visitcontact", "need", "referral", "referralevent",
               "followup", "undo", "search", "search_stale")


def scrub(path: store.Where, terms: list[str]) -> list[str]:
    """After the erasure is committed: empty the WAL; returns the files still holding a term.
    On PostgreSQL: VACUUM the tables it touched (the server's WAL and backups are the
    server's: README, "PostgreSQL")."""
    if isinstance(path, store.Url):
        from megler import postgres

        postgres.vacuum(path, list(ERASED_FROM))
        return []
    store.checkpoint(path)
    return residue(path, terms)


def residue(path: Path, terms: list[str]) -> list[str]:
    """The names of the store's files in which one of `terms` still occurs, byte for byte
    (in NFC, and decomposed as a Mac may have pasted it)."""
    spellings = {v for t in terms for v in (t, t.lower(), t.upper(), t.title())}
    needles = {unicodedata.normalize(form, v).encode() for v in spellings for form in ("NFC", "NFD")}
    hits = []
    for file in store.files(path):
        data = file.read_bytes()
        if any(n in data for n in needles):
            hits.append(file.name)
    return hits


@dataclass
class OrgErasure:
    """What `erase_org` removed, by ids and counts only."""

    org_id: int
    terms: list[str]                                      # kept in memory, never printed
    finder: Finder                                        # likewise
    removed: dict[str, int] = field(default_factory=dict)
    contacts: list[Erasure] = field(default_factory=list)
    redacted: list[str] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return f"[erased org #{self.org_id}]"


def tied_to(s: Session, org: Org) -> dict[str, list[int]]:
    """The ids of everything that goes with an org, by table; shared event visits stay."""
    needs = _ids(s, select(Need.id).where(Need.org_id == org.id))
    referrals = _ids(s, select(Referral.id).where(col(Referral.need_id).in_(needs)))
    followups = _ids(s, select(Followup.id).where(or_(
        col(Followup.org_id) == org.id, col(Followup.need_id).in_(needs),
        col(Followup.referral_id).in_(referrals))))
    hosted = _ids(s, select(VisitOrg.visit_id).where(VisitOrg.org_id == org.id))
    shared = _ids(s, select(VisitOrg.visit_id).where(col(VisitOrg.visit_id).in_(hosted),
                                                     VisitOrg.org_id != org.id))
    return {"contact": _ids(s, select(Contact.id).where(Contact.org_id == org.id)),
            "visit": sorted(set(hosted) - set(shared)), "need": needs, "referral": referrals,
            "followup": followups}


def _ids(s: Session, query) -> list[int]:
    return sorted(set(s.exec(query).all()))


def erase_org(s: Session, org: Org) -> OrgErasure:
    """Remove an org with everything tied to it: its contacts (erased with --redact),
    its visits (an event it shared with others stays, without it), needs, referrals and
    their history, follow-ups, dated facts and undo records. Its name and org number are
    replaced where records that stay mention them. Not undoable: it is an erasure, and
    past reports no longer count the org.
    """
    org_id = ident(org.id)
    gone = tied_to(s, org)
    terms = [t for t in (org.name, org.orgnr, format_orgnr(org)) if t]
    erasure = OrgErasure(org_id, terms, Finder(Person(org.name, phone=org.orgnr or None,
                                                      country=org.country), lone_parts=False))
    _delete_tied(s, org_id, gone)
    # Its name first: a sole trader's contact redacted first would break the org's name apart.
    erasure.redacted = _redact_everywhere(s, erasure.finder, erasure.mark)
    erasure.contacts = [erase_contact(s, i, redact=True) for i in gone["contact"]]
    s.delete(org)
    s.flush()
    erasure.removed = {table: len(ids) for table, ids in gone.items()}
    lost = {(table, i) for table, ids in gone.items() for i in ids} | {("org", org_id)}
    _forget_undo(s, erasure.finder, lost)
    _rebuild_search(s)
    return erasure


def _delete_tied(s: Session, org_id: int, gone: dict[str, list[int]]) -> None:
    """Child rows first, each by a statement the audit log records id by id."""
    s.exec(delete(Followup).where(col(Followup.id).in_(gone["followup"])))
    s.exec(delete(ReferralEvent).where(col(ReferralEvent.referral_id).in_(gone["referral"])))
    s.exec(delete(Referral).where(col(Referral.id).in_(gone["referral"])))
    s.exec(delete(Need).where(col(Need.id).in_(gone["need"])))
    s.exec(delete(VisitContact).where(col(VisitContact.visit_id).in_(gone["visit"])))
    s.exec(delete(VisitOrg).where(col(VisitOrg.org_id) == org_id))
    s.exec(delete(Visit).where(col(Visit.id).in_(gone["visit"])))
    s.exec(delete(OrgFact).where(col(OrgFact.org_id) == org_id))


def _redact_everywhere(s: Session, finder: Finder, mark: str) -> list[str]:
    done = []
    for model, fields in FREE_TEXT.items():
        for row in s.exec(select(model)):
            for m in _named_in(row, fields, finder):
                setattr(row, m.column, finder.redact(m.text, mark))
                s.add(row)
                done.append(m.where)
    s.flush()
    return done
