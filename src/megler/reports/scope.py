"""One broker's (or one place's, or cluster's) report: the report's own SQL, run on their
records alone.

For the length of a `with one_brokers(s, NAME)` block the session sees temporary views
named as the tables that hold a broker's records (visit, need, referral, its events,
follow-up), each narrowed to that broker's rows. SQLite and PostgreSQL both look up an
unqualified name among the temporary objects first, so every query of the report runs
unchanged on them: a broker's figures are counted by exactly the rules of the network's,
and the brokers' figures add up to the network's. A referral counts for the broker of
the need it answers (who normally made it), so that it always meets its need.

A place's (or a cluster's) views hold the records of the orgs that were there at the
period's end (`Places`), as the reach's orgs by municipality are counted.
"""

from collections.abc import Collection, Iterable, Iterator
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


def groups(s: Session, by: str, day=None) -> list:
    """What `report --by` breaks down by (Breakdown): each broker, municipality, region or
    cluster, by name and NOBODY last, with the narrowing to its records; a place is the
    org's on `day` (the period's end)."""
    if by == "broker":
        return [(name, one_brokers(s, name)) for name in brokers_of(s)]
    places = Places(s, "municipality" if by == "cluster" else by, day)
    if by == "cluster":
        return [(name, _narrowed(s, PLACES, places.among(values)))
                for name, values in _clusters(s, places.names)]
    return [(name, _narrowed(s, PLACES, places.among({name}))) for name in places.names]


class Places:
    """The orgs' `field` (municipality, region) as it stood on `day`: the org's own column,
    but for the few orgs whose field changed after the day (orgfact), whose value of the
    day is looked up once. Only what the report slices by has dated facts: a region has
    none (it follows the municipality, or the broker's word), so it is taken as it is now.
    `names`: every place an org had on the day, by name, NOBODY last if an org had none."""

    def __init__(self, s: Session, field: str, day=None):
        from megler.orgs import FACT_FIELDS
        from megler.reports.activity import changed_since

        self.field = field
        self.moved = changed_since(s, field, day) if day is not None and field in FACT_FIELDS else {}
        now = {p for (p,) in s.connection().exec_driver_sql(f"SELECT DISTINCT {field} FROM org")}
        self.names = _sorted(now | set(self.moved.values()))

    def among(self, values: Collection[str | None]) -> str:
        """The orgs whose place on the day is one of `values`, as a condition on org."""
        now = _among(self.field, values)
        if not self.moved:
            return now
        came = [i for i, place in self.moved.items() if place in values]
        stayed = f"({now} AND id NOT IN ({_ids(self.moved)}))"
        return f"({stayed} OR id IN ({_ids(came)}))" if came else stayed


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in sorted(ids))


def _clusters(s: Session, places: list[str | None]) -> list[tuple[str | None, set[str | None]]]:
    """Each cluster with the `places` (as the orgs spell them) in it: one of the cluster's
    municipalities but for case (clusters.folded); NOBODY (if any are left) with the rest."""
    from megler.clusters import folded, stored
    from megler.errors import InvalidInput

    clusters = stored(s)
    if not clusters:
        raise InvalidInput("the store has no clusters to report by: megler network clusters import FILE")
    clustered: set[str | None] = set()
    found: list[tuple[str | None, set[str | None]]] = []
    for name, members in clusters.items():
        wanted = {folded(m) for m in members}
        theirs: set[str | None] = {p for p in places if p is not NOBODY and folded(p) in wanted}
        clustered |= theirs
        found.append((name, theirs))
    rest = set(places) - clustered
    return found + ([(NOBODY, rest)] if rest else [])


def _among(column: str, values: Collection[str | None]) -> str:
    """`column` is one of `values` (NOBODY among them: or is NULL); true or false, never
    NULL."""
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


def _sorted(found: set) -> list:
    return sorted(x for x in found if x is not None) + ([NOBODY] if NOBODY in found else [])
