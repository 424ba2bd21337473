"""`megler check`: is the file sound, and does the data need the broker's attention?

Each finding names what (by id), why it matters and what to do. Integrity comes
first and from a plain sqlite3 connection, so a damaged store is still examined.

    >>> [f.kind for page in check(Path("megler.db"), date(2026, 9, 15)) for f in page]  # doctest: +SKIP
    ['duplicate org', 'overdue follow-up']
"""

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from megler.due import STALE_DAYS
from megler.progress import steps
from megler.sql import Page, paged, rows
from megler.where import Where

UNREFERRED_NEED_DAYS = 30


@dataclass
class Finding:
    kind: str
    ids: str
    what: str
    todo: str

    def row(self) -> dict:
        return {"kind": self.kind, "ids": self.ids, "what": self.what, "todo": self.todo}


def integrity(path: Path) -> list[Finding]:
    """SQLite's own checks of the file, its foreign keys and the search index.

    quick_check reads every page as integrity_check does but leaves out matching each
    index to its table, which costs two thirds of the time on a decade's store.
    """
    from megler.store import read_only

    db = read_only(path)
    try:
        problems = [r[0] for r in db.execute("PRAGMA quick_check") if r[0] != "ok"]
        problems += [f"{r[0]} row {r[1]} points to a missing {r[2]}"
                     for r in db.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as e:
        problems = [str(e)]
    finally:
        db.close()
    return [Finding("damaged store", "-", p[:200],
                    "restore the newest backup: megler restore FILE") for p in problems]


def permissions(path: Path) -> list[Finding]:
    from megler.store import files

    loose = [p for p in files(path) if p.stat().st_mode & 0o077]
    found = [Finding("file readable by others", p.name, f"mode {oct(p.stat().st_mode & 0o777)}",
                     f"chmod 600 {p}") for p in loose]
    folder = path.parent
    if folder.stat().st_mode & 0o077 and folder == _default_folder():
        found.append(Finding("folder open to others", str(folder),
                             f"mode {oct(folder.stat().st_mode & 0o777)}", f"chmod 700 {folder}"))
    return found


def _default_folder() -> Path:
    from megler.store import default_path

    return default_path().parent


def data_findings(s, today: date, limit: int | None = None) -> list[Page]:
    """What in the records needs attention, most serious first: one page a kind, of at
    most `limit` findings (None: all) and how many there are. A decade's store has tens
    of thousands overdue; SQL counts them, and only those shown become findings."""
    checks = [unknown_words, same_orgnr, similar_names, visits_without_org, orgs_in_trouble,
              dead_catalog_entries, stale_referrals, unreferred_needs, overdue_followups]
    return [check(s, today, limit) for check in steps(checks, "Checking the records")]


def _page(found: list[Finding], limit: int | None) -> Page:
    return Page(found[:limit], len(found))


def unknown_words(s, _today: date, limit: int | None) -> Page:
    """A kind, status, country … outside its vocabulary, let in by an older `megler import`:
    the report and the lists cannot place it."""
    from sqlalchemy import bindparam, text

    from megler.vocabulary import WORD_COLUMNS

    found = []
    for (table, column), (vocabulary, what) in WORD_COLUMNS.items():
        query = text(f"SELECT id, {column} FROM {table} WHERE {column} NOT IN :words ORDER BY id")
        for i, word in s.execute(query.bindparams(bindparam("words", expanding=True)),
                                 {"words": list(vocabulary)}):
            found.append(Finding("unknown word", f"{table} #{i}",
                                 f"{column} {str(word)[:40]!r} is no {what}",
                                 "megler export FILE; correct it in FILE; megler import FILE --db NEW.db"))
    return _page(found, limit)


def same_orgnr(s, _today: date, limit: int | None) -> Page:
    from sqlalchemy import func
    from sqlmodel import col, select

    from megler.models import Org

    same = (select(func.group_concat(Org.id)).where(col(Org.orgnr).is_not(None))
            .group_by(Org.orgnr).having(func.count() > 1).order_by(func.min(Org.id)))
    return paged(s, same, limit, lambda ids: Finding(
        "duplicate org", f"#{ids.replace(',', ', #')}", "same org number",
        f"megler org merge {ids.replace(',', ' ')} (the one to keep first)" if ids.count(",") == 1
        else "megler org merge KEEP DUPLICATE, for each duplicate"))


def similar_names(s, _today: date, limit: int | None) -> Page:
    from sqlmodel import col, select

    from megler.duplicates import similar_pairs
    from megler.models import Org

    orgs = s.exec(select(Org.id, Org.name).order_by(col(Org.id))).all()
    return _page([Finding("similar org names", f"#{a}, #{b}", f"names {score:.0f}% alike",
                          f"if they are one org: megler org merge {a} {b}")
                  for a, b, score in similar_pairs(orgs)], limit)


def orgs_in_trouble(s, _today: date, limit: int | None) -> Page:
    """Orgs a register says are bankrupt, being wound up or deleted: their open needs and
    referrals may be moot. The register is read by `org add`, `org edit --refresh` and
    `org import`; this looks at what it said then."""
    from sqlalchemy import select  # SQLModel's select is typed for at most four columns
    from sqlmodel import col

    from megler.models import Org

    closing = (select(col(Org.id), col(Org.name), col(Org.register_status), col(Org.register_checked))
               .where(col(Org.register_status).is_not(None)).order_by(col(Org.id)))
    return paged(s, closing, limit, lambda i, name, status, checked: Finding(
        f"org {status.replace('_', ' ')}", f"#{i}", f"{name}: so the register said on {checked}",
        f"look at its open needs and referrals: megler org show {i}"))


def register_news(s, path: Where, limit: int | None) -> Page:
    """Orgs whose standing in the register file imported beside the store differs from
    what megler last read: a bankruptcy since, say."""
    from megler.registers.lookup import Registers, table_path

    if not table_path(path).is_file():
        return _page([], limit)
    orgs = rows(s, "SELECT id, name, orgnr, country, register_status FROM org "
                   "WHERE orgnr IS NOT NULL ORDER BY id")
    with Registers(path, "") as registers:
        standing = registers.standing((orgnr, country) for _, _, orgnr, country, _ in orgs)
    return _page([Finding("register news", f"#{i}",
                          f"{name}: the register's file says {(now or 'in good standing').replace('_', ' ')}",
                          f"megler org edit {i} --refresh")
                  for i, name, orgnr, country, was in orgs
                  if (orgnr, country) in standing and (now := standing[(orgnr, country)]) != was], limit)


def visits_without_org(s, _today: date, limit: int | None) -> Page:
    from sqlmodel import col, select

    from megler.models import Visit, VisitOrg

    lonely = select(Visit.id).where(col(Visit.id).not_in(select(VisitOrg.visit_id))).order_by(col(Visit.id))
    return paged(s, lonely, limit, lambda i: Finding(
        "visit with no org", f"#{i}", "met nobody: it counts for no org in reports",
        f"look at it with megler visit show {i} and record it again with its org"))


def dead_catalog_entries(s, today: date, limit: int | None) -> Page:
    from sqlalchemy import select  # SQLModel's select is typed for at most four columns
    from sqlmodel import col, or_

    from megler.models import CatalogEntry, Referral
    from megler.vocabulary import REFERRAL_OPEN

    closed = (select(col(Referral.id), col(CatalogEntry.id), col(CatalogEntry.deadline),
                     col(CatalogEntry.retired_on), col(Referral.need_id))
              .join(CatalogEntry, col(CatalogEntry.id) == Referral.entry_id)
              .where(col(Referral.status).in_(REFERRAL_OPEN),
                     or_(col(CatalogEntry.deadline) < today, col(CatalogEntry.retired_on).is_not(None)))
              .order_by(col(Referral.id)))
    return paged(s, closed, limit, lambda r, e, deadline, retired, need: Finding(
        "referral to a closed entry", f"referral #{r}, entry #{e}",
        f"retired on {retired}" if retired else f"deadline {deadline} passed",
        f"find another target: megler match {need}, or megler referral update {r} --status withdrawn"))


def stale_referrals(s, today: date, limit: int | None) -> Page:
    from sqlalchemy import func
    from sqlmodel import col, select

    from megler.models import Referral, ReferralEvent
    from megler.vocabulary import REFERRAL_OPEN

    cutoff = today - timedelta(days=STALE_DAYS)
    last = func.max(ReferralEvent.date)
    quiet = (select(Referral.id, Referral.status, last)
             .join(ReferralEvent, col(ReferralEvent.referral_id) == Referral.id)
             .where(col(Referral.status).in_(REFERRAL_OPEN))
             .group_by(col(Referral.id), col(Referral.status)).having(last < cutoff)
             .order_by(col(Referral.id)))
    return paged(s, quiet, limit, lambda i, status, when: Finding(
        "quiet referral", f"#{i}", f"{status} with no change since {when}",
        f"ask how it went: megler referral update {i} --status ..."))


def unreferred_needs(s, today: date, limit: int | None) -> Page:
    from sqlmodel import col, select

    from megler.models import Need, Referral
    from megler.vocabulary import NeedStatus

    cutoff = today - timedelta(days=UNREFERRED_NEED_DAYS)
    waiting = select(col(Need.id), col(Need.date)).where(
        Need.status == NeedStatus.open, col(Need.date) < cutoff,
        col(Need.id).not_in(select(Referral.need_id))).order_by(col(Need.id))
    return paged(s, waiting, limit, lambda i, when: Finding(
        "need never referred", f"#{i}", f"open since {when}",
        f"megler match {i}, or megler need close {i} --status dropped"))


def overdue_followups(s, today: date, limit: int | None) -> Page:
    from sqlmodel import col, select

    from megler.models import Followup

    late = select(col(Followup.id), col(Followup.due)).where(
        col(Followup.done_on).is_(None), col(Followup.due) < today).order_by(col(Followup.due), col(Followup.id))
    return paged(s, late, limit, lambda i, due: Finding(
        "overdue follow-up", f"#{i}", f"due {due}", f"do it, then megler followup done {i}"))


def check(path: Where, today: date, limit: int | None = None) -> list[Page]:
    """The findings for the store at `path`, a page a kind of at most `limit` (None: all).

    SQLite's checks of the file read every page (half the time on a decade's store) and
    leave Python's lock while they do, so the records are read beside them; a damaged file
    gives only its damage, whatever reading its records did."""
    from concurrent.futures import ThreadPoolExecutor

    from megler import store

    # A server keeps its own pages and file modes; what megler checks there is the data.
    file = path if isinstance(path, Path) else None
    with ThreadPoolExecutor(1) as pool:
        damaged = pool.submit(lambda: integrity(file) if file else [])
        try:
            with store.session(path) as s:
                files = permissions(file) if file else []
                found = [_page(files, limit), *data_findings(s, today, limit),
                         register_news(s, path, limit)]
        except Exception:
            if damaged.result():
                return [_page(damaged.result(), limit)]
            raise
    return [_page(damaged.result(), limit)] if damaged.result() else found
