"""Suggestions for a need: the active catalog ranked by the matcher.

The matcher's index is built once per catalog version and kept in a file beside the
store, so `megler match` on a big catalog answers at once after the first time.
"""

from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from megler import catalog
from megler.errors import InvalidInput, MeglerError
from megler.files import write_private
from megler.matching import Match, Matcher, NeedQuery, OrgProfile
from megler.models import Need, Org, Referral


def need_query(s: Session, need: Need, on: date) -> NeedQuery:
    org = s.get_one(Org, need.org_id)
    profile = OrgProfile(kind=org.kind, country=org.country, region=org.region,
                         municipality=org.municipality, industry=org.industry,
                         employees=org.employees)
    # "other" says the broker did not classify it: let the matcher read the kind from the text
    return NeedQuery(need.text, profile, on=on, kind=None if need.kind == "other" else need.kind)


def suggestions(s: Session, need: Need, on: date, *, top: int = 10,
                kinds: set[str] | None = None, include_ineligible: bool = False) -> list[Match]:
    """The best catalog entries for a need, best first; ineligible ones after, if asked."""
    matcher = matcher_for(s)
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
    entry_id = match.entry.id
    assert isinstance(entry_id, int), "the store's matcher ranks stored entries"
    return add_referral(s, need, match.entry.name, on=on, entry_id=entry_id)


def matcher_for(s: Session) -> Matcher:
    """The matcher for the active catalog, from the cache file when it is current."""
    version = catalog.version(s)
    cache = _cache_path(s)
    if cache and cache.exists():
        stored_version, _, data = cache.read_bytes().partition(b"\n")
        if stored_version.decode() == version:
            try:
                return Matcher.loads(data)
            except (ValueError, EOFError, AttributeError, ImportError):
                pass  # an older megler wrote it: build anew
    matcher = Matcher(catalog.active_entries(s), synonyms=_user_synonyms())
    if cache:
        try:
            write_private(cache, version.encode() + b"\n" + matcher.dumps())
        except MeglerError:
            pass  # a store in a read-only folder simply goes without the cache
    return matcher


def _cache_path(s: Session) -> Path | None:
    database = s.get_bind().engine.url.database
    return Path(database).with_suffix(".matcher") if database and database != ":memory:" else None


def _user_synonyms() -> Path | None:
    """A broker's own synonyms.yaml in the config folder extends the shipped table."""
    from platformdirs import user_config_path

    path = user_config_path("megler") / "synonyms.yaml"
    return path if path.exists() else None
