"""Suggestions for a need: the active catalog ranked by the matcher.

The matcher's index is built once per catalog and kept in the user's cache folder,
so `megler match` on a big catalog answers at once after the first time.
"""

import hashlib
import os
from datetime import date
from importlib import resources
from pathlib import Path

from sqlmodel import Session, col, select

from megler import __version__, catalog
from megler.errors import InvalidInput, MeglerError
from megler.files import write_private
from megler.matching import Match, Matcher, NeedQuery, OrgProfile, Precedent
from megler.matching.matcher import FORMAT
from megler.migrations import LATEST
from megler.models import CatalogEntry, Need, Org, Referral

# The newest referrals a ranking learns from: a year or two of a broker's work, and a
# bound on what reading them costs each `megler match` (a third of a millisecond each).
PRECEDENTS = 200


def need_query(s: Session, need: Need, on: date) -> NeedQuery:
    org = s.get_one(Org, need.org_id)
    profile = OrgProfile(kind=org.kind, country=org.country, region=org.region,
                         municipality=org.municipality, industry=org.industry,
                         employees=org.employees)
    # "other" says the broker did not classify it: let the matcher read the kind from the text
    return NeedQuery(need.text, profile, on=on, kind=None if need.kind == "other" else need.kind,
                     precedents=precedents(s, need))


def precedents(s: Session, need: Need) -> tuple[Precedent, ...]:
    """The broker's referrals of other needs found before this one, newest first: what the
    matcher learns from (matching/learning.py)."""
    from megler.sql import rows

    found = rows(s, """
        SELECT n.id, n.text, r.entry_id, r.status FROM referral r JOIN need n ON n.id = r.need_id
        WHERE r.entry_id IS NOT NULL AND n.id <> :need AND n.date < :day
        ORDER BY n.date DESC, r.id DESC LIMIT :limit""", need=need.id, day=need.date,
                 limit=PRECEDENTS)
    return tuple(Precedent(*row) for row in found)


def suggestions(s: Session, need: Need, on: date, *, top: int = 10,
                kinds: set[str] | None = None, include_ineligible: bool = False,
                matcher: Matcher | None = None) -> list[Match]:
    """The best catalog entries for a need, best first; ineligible ones after, if asked.
    Many needs share one `matcher` (matcher_for), read from the cache once."""
    matcher = matcher or matcher_for(s)
    if not matcher.entries:
        raise InvalidInput("the catalog is empty; import one with `megler catalog import FILE`")
    return matcher.rank(need_query(s, need, on), top=top, kinds=kinds,
                        include_ineligible=include_ineligible)


def open_needs(s: Session) -> list[Need]:
    return list(s.exec(select(Need).where(Need.status == "open").order_by(col(Need.date), col(Need.id))))


def refer(s: Session, need: Need, match: Match, on: date):
    """Turn a suggestion into a referral (status suggested)."""
    from megler.referrals import add_referral

    if not match.eligible:
        raise InvalidInput(f"{match.entry.name} cannot be used: {'; '.join(match.reasons)}")
    taken = s.exec(select(Referral).where(Referral.need_id == need.id,
                                          Referral.entry_id == match.entry.id)).first()
    if taken:
        raise InvalidInput(f"need #{need.id} is referred to this entry already (referral #{taken.id})")
    entry_id = _stored(s, match)
    return add_referral(s, need, match.entry.name, on=on, entry_id=entry_id)


def _stored(s: Session, match: Match) -> int:
    """The suggestion's entry id, once it is sure to be this store's active entry as ranked."""
    stored = s.get(CatalogEntry, match.entry.id) if match.entry.id is not None else None
    if stored is None or stored.retired_on or catalog.to_entry(stored) != match.entry:
        raise MeglerError(f"{match.entry.name} is not in this store's catalog as suggested; "
                          "run megler match again")
    assert stored.id is not None
    return stored.id


def matcher_for(s: Session) -> Matcher:
    """The matcher for the active catalog, from the cache when it was built from exactly
    these entries (and these synonyms, by this megler); else built anew and cached."""
    synonyms = _user_synonyms()
    key = _cache_key(s, synonyms)
    cache = cache_file(s.get_bind().engine.url.database)
    if cache and (cached := _load(cache, key)):
        return cached
    matcher = Matcher(catalog.active_entries(s), synonyms=synonyms)
    if cache:
        _save(cache, key, matcher)
    return matcher


def _cache_key(s: Session, synonyms: Path | None) -> bytes:
    """Everything the index is built from: the catalog's entries, the user's synonyms, the
    schema they are read through and the megler that builds it."""
    digest = hashlib.sha256(f"megler {__version__}, index {FORMAT}, schema {LATEST}\n".encode())
    digest.update(catalog.fingerprint(s).encode())
    for name in ("synonyms.yaml", "concepts.yaml"):  # shipped tables change between builds
        digest.update(resources.files("megler.matching").joinpath("data", name).read_bytes())
    digest.update(synonyms.read_bytes() if synonyms else b"")
    return digest.hexdigest().encode()


def cache_file(database: str | None) -> Path | None:
    """In the user's own cache folder, one file per store: never beside the store, where a
    shared folder would let someone else plant a file, and never shared by two stores."""
    from platformdirs import user_cache_path

    if not database or database == ":memory:":
        return None
    store = hashlib.sha256(os.fsencode(os.path.realpath(database))).hexdigest()[:32]
    return user_cache_path("megler") / "matchers" / f"{store}.index"


def _load(path: Path, key: bytes) -> Matcher | None:
    """The cached matcher if the file is this user's own, private, and built for `key`.

    It is a pickle, which can run code: so it is read only from a file that nobody but
    this user could have written, opened without following a link.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not (_own(os.fstat(fd)) and _own(os.stat(path.parent))):
            return None
        if f.readline().rstrip(b"\n") != key:
            return None
        try:
            return Matcher.loads(f.read())
        except Exception:  # our own file, but unreadable (another version, a bad disk): rebuild
            return None


def _save(path: Path, key: bytes, matcher: Matcher) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _own(os.stat(path.parent)):  # a folder others can write would make the file theirs
            write_private(path, key + b"\n" + matcher.dumps())
    except (OSError, MeglerError):
        pass  # no cache folder: megler goes without the cache


def _own(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    uid = os.geteuid() if hasattr(os, "geteuid") else st.st_uid
    return st.st_uid == uid and not st.st_mode & 0o022


def _user_synonyms() -> Path | None:
    """A broker's own synonyms.yaml in the config folder extends the shipped table."""
    from platformdirs import user_config_path

    path = user_config_path("megler") / "synonyms.yaml"
    return path if path.exists() else None
