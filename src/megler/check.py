"""`megler check`: is the file sound, and does the data need the broker's attention?

Each finding names what (by id), why it matters and what to do. Integrity comes
first and from a plain sqlite3 connection, so a damaged store is still examined.

    >>> [f.kind for f in check(Path("megler.db"), date(2026, 9, 15))]  # doctest: +SKIP
    ['duplicate org', 'overdue follow-up']
"""

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from megler.due import STALE_DAYS
from megler.progress import steps

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


def data_findings(s, today: date) -> list[Finding]:
    """What in the records needs attention, most serious first."""
    checks = [lambda: unknown_words(s), lambda: duplicate_orgs(s), lambda: visits_without_org(s),
              lambda: dead_catalog_entries(s, today), lambda: stale_referrals(s, today),
              lambda: unreferred_needs(s, today), lambda: overdue_followups(s, today)]
    return [finding for run in steps(checks, "Checking the records") for finding in run()]


def unknown_words(s) -> list[Finding]:
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
    return found


def duplicate_orgs(s) -> list[Finding]:
    from sqlalchemy import func
    from sqlmodel import col, select

    from megler.models import Org

    same = s.exec(select(Org.orgnr, func.group_concat(Org.id)).where(col(Org.orgnr).is_not(None))
                  .group_by(Org.orgnr).having(func.count() > 1)).all()
    found = [Finding("duplicate org", f"#{ids.replace(',', ', #')}", "same org number",
                     f"megler org merge {ids.replace(',', ' ')} (the one to keep first)")
             for _, ids in same if ids.count(",") == 1]
    found += [Finding("duplicate org", f"#{ids.replace(',', ', #')}", "same org number",
                      "megler org merge KEEP DUPLICATE, for each duplicate")
              for _, ids in same if ids.count(",") > 1]
    return found + _similar_names(s.exec(select(Org.id, Org.name).order_by(col(Org.id))).all())


def _similar_names(orgs: list[tuple[int, str]]) -> list[Finding]:
    from megler.duplicates import similar_pairs

    return [Finding("similar org names", f"#{a}, #{b}", f"names {score:.0f}% alike",
                    f"if they are one org: megler org merge {a} {b}")
            for a, b, score in similar_pairs(orgs)]


def visits_without_org(s) -> list[Finding]:
    from sqlmodel import col, select

    from megler.models import Visit, VisitOrg

    ids = s.exec(select(Visit.id).where(col(Visit.id).not_in(select(VisitOrg.visit_id)))).all()
    return [Finding("visit with no org", f"#{i}", "met nobody: it counts for no org in reports",
                    f"look at it with megler visit show {i} and record it again with its org")
            for i in ids]


def dead_catalog_entries(s, today: date) -> list[Finding]:
    from sqlalchemy import select  # SQLModel's select is typed for at most four columns
    from sqlmodel import col, or_

    from megler.models import CatalogEntry, Referral
    from megler.vocabulary import REFERRAL_OPEN

    rows = s.exec(select(col(Referral.id), col(CatalogEntry.id), col(CatalogEntry.deadline),
                         col(CatalogEntry.retired_on), col(Referral.need_id))
                  .join(CatalogEntry, col(CatalogEntry.id) == Referral.entry_id)
                  .where(col(Referral.status).in_(REFERRAL_OPEN),
                         or_(col(CatalogEntry.deadline) < today,
                             col(CatalogEntry.retired_on).is_not(None)))).all()
    return [Finding("referral to a closed entry", f"referral #{r}, entry #{e}",
                    f"retired on {retired}" if retired else f"deadline {deadline} passed",
                    f"find another target: megler match {need}, or megler referral update {r} --status withdrawn")
            for r, e, deadline, retired, need in rows]


def stale_referrals(s, today: date) -> list[Finding]:
    from sqlalchemy import func
    from sqlmodel import col, select

    from megler.models import Referral, ReferralEvent
    from megler.vocabulary import REFERRAL_OPEN

    cutoff = today - timedelta(days=STALE_DAYS)
    last = func.max(ReferralEvent.date)
    rows = s.exec(select(Referral.id, Referral.status, last)
                  .join(ReferralEvent, col(ReferralEvent.referral_id) == Referral.id)
                  .where(col(Referral.status).in_(REFERRAL_OPEN))
                  .group_by(col(Referral.id)).having(last < cutoff)).all()
    return [Finding("quiet referral", f"#{i}", f"{status} with no change since {when}",
                    f"ask how it went: megler referral update {i} --status ...")
            for i, status, when in rows]


def unreferred_needs(s, today: date) -> list[Finding]:
    from sqlmodel import col, select

    from megler.models import Need, Referral
    from megler.vocabulary import NeedStatus

    cutoff = today - timedelta(days=UNREFERRED_NEED_DAYS)
    ids = s.exec(select(col(Need.id), col(Need.date)).where(
        Need.status == NeedStatus.open, col(Need.date) < cutoff,
        col(Need.id).not_in(select(Referral.need_id)))).all()
    return [Finding("need never referred", f"#{i}", f"open since {when}",
                    f"megler match {i}, or megler need close {i} --status dropped") for i, when in ids]


def overdue_followups(s, today: date) -> list[Finding]:
    from sqlmodel import col, select

    from megler.models import Followup

    rows = s.exec(select(col(Followup.id), col(Followup.due)).where(
        col(Followup.done_on).is_(None), col(Followup.due) < today).order_by(col(Followup.due))).all()
    return [Finding("overdue follow-up", f"#{i}", f"due {due}",
                    f"do it, then megler followup done {i}") for i, due in rows]


def first_of_each_kind(findings: list[Finding], limit: int | None) -> tuple[list[Finding], dict[str, int]]:
    """At most `limit` findings of each kind (None: all), and how many of each were left
    out: 20,000 overdue follow-ups must not bury one damaged file or duplicate org."""
    shown: list[Finding] = []
    seen: Counter[str] = Counter()
    for finding in findings:
        seen[finding.kind] += 1
        if limit is None or seen[finding.kind] <= limit:
            shown.append(finding)
    left = {kind: n - limit for kind, n in seen.items() if limit is not None and n > limit}
    return shown, left


def check(path: Path, today: date) -> list[Finding]:
    """All findings for the store at `path`; the data is only read if the file is sound."""
    from megler import store

    damaged = integrity(path)
    if damaged:
        return damaged
    with store.session(path) as s:
        return permissions(path) + data_findings(s, today)
