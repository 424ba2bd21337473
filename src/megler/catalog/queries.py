"""Reading the catalog: list, find, show, and the active entries the matcher ranks."""

import hashlib
from dataclasses import fields

from sqlmodel import Session, col, select

from megler.models import CatalogEntry, CatalogImport, Referral, ident
from megler.parse import parse_choice
from megler.resolve import ENTRY, Named, pick
from megler.vocabulary import Country, EntryKind


def list_entries(s: Session, *, kind: str | None = None, country: str | None = None,
                 text: str | None = None, retired: bool = False) -> list[dict]:
    """Entries by kind and name; retired ones only when asked.

    Example: list_entries(s, kind="instrument", country="SE")
    """
    query = select(CatalogEntry).order_by(col(CatalogEntry.kind), col(CatalogEntry.name),
                                          col(CatalogEntry.id))
    if kind:
        query = query.where(CatalogEntry.kind == parse_choice(kind, EntryKind, "kind"))
    if country:
        query = query.where(CatalogEntry.country == parse_choice(country.upper(), Country, "country"))
    if not retired:
        query = query.where(col(CatalogEntry.retired_on).is_(None))
    rows = [entry_row(e) for e in s.exec(query)]
    if text:
        wanted = text.casefold()
        rows = [r for r in rows if wanted in f"{r['key']} {r['name']} {r['by'] or ''}".casefold()]
    return rows


def entry_row(e: CatalogEntry) -> dict:
    return {"id": e.id, "key": e.key, "kind": e.kind, "name": e.name,
            "by": e.provider or e.agency, "language": e.language, "country": e.country,
            "regions": list(e.regions), "audience": list(e.audience),
            "deadline": e.deadline, "retired_on": e.retired_on}


def find_entry(s: Session, ref: str, *, retired: bool = True) -> CatalogEntry:
    """An entry by id, key or an unambiguous part of its name; active ones first.

    Example: find_entry(s, "skattefunn")
    """
    query = select(col(CatalogEntry.id), col(CatalogEntry.name), col(CatalogEntry.key),
                   col(CatalogEntry.retired_on)).order_by(col(CatalogEntry.id))
    if not retired:
        query = query.where(col(CatalogEntry.retired_on).is_(None))
    found = pick(ref, (Named(ident(i), name, (key,), gone is not None)
                       for i, name, key, gone in s.exec(query)), ENTRY)
    return s.get_one(CatalogEntry, found.id)


def entry_detail(s: Session, e: CatalogEntry) -> dict:
    """Every field of an entry, where it came from, and the referrals made to it."""
    run = s.get(CatalogImport, e.import_id) if e.import_id else None
    fields = {name: getattr(e, name) for name in CatalogEntry.model_fields
              if name not in ("content_hash", "import_id")}
    referrals = s.exec(select(Referral).where(Referral.entry_id == e.id)
                       .order_by(col(Referral.date), col(Referral.id))).all()
    return fields | {
        "source": run.source if run else None,
        "imported_at": run.imported_at.astimezone() if run else None,
        "referrals": [{"id": r.id, "need_id": r.need_id, "date": r.date, "status": r.status}
                      for r in referrals]}


def active_entries(s: Session) -> list:
    """The entries the matcher ranks (not retired), as `megler.matching.Entry`.

    Example: matcher = Matcher(active_entries(s))
    """
    # Plain columns, not ORM objects: ten thousand entries load several times faster.
    columns = [getattr(CatalogEntry, name) for name in _match_fields()]
    rows = s.exec(select(*columns).where(col(CatalogEntry.retired_on).is_(None))
                  .order_by(col(CatalogEntry.id)))
    return [to_entry(row) for row in rows]


def _match_fields() -> list[str]:
    """The fields of a stored entry the matcher's Entry carries (matching loads on demand)."""
    from megler.matching import Entry

    return [f.name for f in fields(Entry)]


def to_entry(row):
    """A stored entry (a CatalogEntry or a row of its columns) as the matcher's Entry."""
    from megler.matching import Entry

    values = {name: getattr(row, name) for name in _match_fields()}
    return Entry(**values | {k: tuple(values[k] or ()) for k in ("keywords", "regions", "audience",
                                                                "delivery", "campus")})


def entry_keys(s: Session) -> dict[int, str]:
    """Each entry's key by id, e.g. to report a benchmark's rankings in its own ids."""
    return {ident(i): key for i, key in s.exec(select(col(CatalogEntry.id), col(CatalogEntry.key)))}


def fingerprint(s: Session) -> str:
    """A hash of the active catalog, entry by entry: it changes whenever an entry is added,
    retired or changed in any way (each entry's content hash covers all its fields).

    Example: fingerprint(s)  # -> "3f9a…", the matcher's cache key
    """
    digest = hashlib.sha256()
    for entry_id, content in s.exec(select(col(CatalogEntry.id), col(CatalogEntry.content_hash))
                                    .where(col(CatalogEntry.retired_on).is_(None))
                                    .order_by(col(CatalogEntry.id))):
        digest.update(f"{entry_id}:{content}\n".encode())
    return digest.hexdigest()
