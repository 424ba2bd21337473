"""One broker's (or one place's) report: the report's own SQL, run on their records alone.

For the length of a `with one_brokers(s, NAME)` block the session sees temporary views
named as the tables that hold a broker's records (visit, need, referral, its events,
follow-up), each narrowed to that broker's rows. SQLite and PostgreSQL both look up an
unqualified name among the temporary objects first, so every query of the report runs
unchanged on them: a broker's figures are counted by exactly the rules of the network's,
and the brokers' figures add up to the network's. A referral counts for the broker of
the need it answers (who normally made it), so that it always meets its need.
"""

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlmodel import Session

from megler.sql import on_postgres, unprepared, value
from megler.sql import statement as _run

# The tables narrowed to one broker, and how (`{t}` is the table itself, schema and all).
_THEIR_NEEDS = "SELECT id FROM {schema}.need WHERE {whose}"
_ITS_REFERRALS = f"SELECT id FROM {{schema}}.referral WHERE need_id IN ({_THEIR_NEEDS})"
BROKERS = {
    "visit": "SELECT * FROM {t} WHERE {whose}",
    "need": "SELECT * FROM {t} WHERE {whose}",
    "referral": f"SELECT * FROM {{t}} WHERE need_id IN ({_THEIR_NEEDS})",
    "followup": "SELECT * FROM {t} WHERE {whose}",
    "referralevent": f"SELECT * FROM {{t}} WHERE referral_id IN ({_ITS_REFERRALS})",
}
# The same, narrowed to the orgs of one place (`{whose}` picks them from org): a visit
# counts there with those of its orgs that are.
_THE_ORGS = "SELECT id FROM {schema}.org WHERE {whose}"
_ORG_NEEDS = f"SELECT id FROM {{schema}}.need WHERE org_id IN ({_THE_ORGS})"
PLACES = {
    "visitorg": f"SELECT * FROM {{t}} WHERE org_id IN ({_THE_ORGS})",
    "visit": f"SELECT * FROM {{t}} WHERE id IN (SELECT visit_id FROM {{schema}}.visitorg "
             f"WHERE org_id IN ({_THE_ORGS}))",
    "need": f"SELECT * FROM {{t}} WHERE org_id IN ({_THE_ORGS})",
    "referral": f"SELECT * FROM {{t}} WHERE need_id IN ({_ORG_NEEDS})",
    "followup": f"SELECT * FROM {{t}} WHERE org_id IN ({_THE_ORGS})",
    "referralevent": f"SELECT * FROM {{t}} WHERE referral_id IN (SELECT id FROM {{schema}}.referral "
                     f"WHERE need_id IN ({_ORG_NEEDS}))",
}
NOBODY = None  # the records from before megler kept brokers; the orgs with no place


def one_brokers(s: Session, broker: str | None):
    """The session sees only `broker`'s records (NOBODY: the ones with no broker)."""
    return _narrowed(s, BROKERS, _among("broker", {broker}))


def one_place(s: Session, field: str, place: str | None):
    """The session sees only the records of the orgs whose `field` (municipality, region)
    is `place` as the org has it now (NOBODY: the orgs with none)."""
    return _narrowed(s, PLACES, _among(field, {place}))


def groups(s: Session, by: str) -> list:
    """What `report --by` breaks down by (Breakdown): each broker, municipality, region or
    cluster, by name and NOBODY last, with the narrowing to its records."""
    if by == "broker":
        return [(name, one_brokers(s, name)) for name in brokers_of(s)]
    if by == "cluster":
        return [(name, _narrowed(s, PLACES, whose)) for name, whose in _clusters(s)]
    return [(name, one_place(s, by, name)) for name in places_of(s, by)]


def _clusters(s: Session) -> list[tuple[str | None, str]]:
    """Each cluster with the orgs in it, as a condition on org: their municipality, as
    the orgs spell it, is one of the cluster's but for case (clusters.folded); NOBODY
    (if there are such orgs) the orgs in none."""
    from megler.clusters import folded, stored
    from megler.errors import InvalidInput

    clusters = stored(s)
    if not clusters:
        raise InvalidInput("the store has no clusters to report by: megler network clusters import FILE")
    places = places_of(s, "municipality")
    clustered: set[str | None] = set()  # the orgs' spellings in some cluster
    found: list[tuple[str | None, str]] = []
    for name, members in clusters.items():
        wanted = {folded(m) for m in members}
        theirs = {p for p in places if p is not NOBODY and folded(p) in wanted}
        clustered |= theirs
        found.append((name, _among("municipality", theirs)))
    if set(places) - clustered:
        found.append((NOBODY, f"NOT {_among('municipality', clustered)}"))
    return found


def _among(column: str, values: Collection[str | None]) -> str:
    """`column` is one of `values` (NOBODY among them: or is NULL); true or false, never
    NULL, so that NOT gives the rest."""
    named = sorted(v for v in values if v is not NOBODY)
    parts = [f"{column} IS NULL"] if NOBODY in values else []
    if named:
        parts.append(f"({column} IS NOT NULL AND {column} IN ({', '.join(map(_literal, named))}))")
    return f"({' OR '.join(parts)})" if parts else "(1 = 0)"


@contextmanager
def _narrowed(s: Session, views: dict[str, str], whose: str) -> Iterator[None]:
    schema = value(s, "SELECT current_schema()") if on_postgres(s) else "main"
    temp = "pg_temp" if on_postgres(s) else "temp"
    for table, query in views.items():
        _run(s, f"CREATE TEMP VIEW {table} AS " + query.format(t=f"{schema}.{table}", schema=schema,
                                                               whose=whose))
    try:
        with unprepared(s):  # a statement prepared before would read the tables themselves
            yield
    finally:
        for table in views:
            _run(s, f"DROP VIEW IF EXISTS {temp}.{table}")


def _literal(text: str) -> str:
    """A name as an SQL string literal (a view's definition takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def brokers_of(s: Session) -> list[str | None]:
    """Everyone who recorded something, by name (NOBODY last, if there are such records)."""
    return _sorted({b for table in BROKERS if table != "referralevent"
                    for (b,) in s.connection().exec_driver_sql(f"SELECT DISTINCT broker FROM {table}")})


def places_of(s: Session, field: str) -> list[str | None]:
    """The municipalities (or regions) of the orgs, by name (NOBODY last, if an org has none)."""
    return _sorted({p for (p,) in s.connection().exec_driver_sql(f"SELECT DISTINCT {field} FROM org")})


def _sorted(found: set) -> list:
    return sorted(x for x in found if x is not None) + ([NOBODY] if NOBODY in found else [])
