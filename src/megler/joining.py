"""`megler network join STORE.db`: a broker's own SQLite store into the network's, all
or nothing.

Orgs are merged with the network's by org number, else (where neither has one) by name
as megler.duplicates compares names: the same name is one org, a likely one is listed
as unsure and added apart. Every other row comes along with a new id and its references
moved with it (the tables are walked by the schema's foreign keys, so a new column
travels without new code), under the joining broker's name, the audit log included.
Which row came from which store is kept (`networkjoin`), so joining the same file again
adds nothing, and joining it after more work offline adds only the new rows.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlmodel import Session, SQLModel

import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)
from megler import audit, brokers, store
from megler.duplicates import likely_duplicates, name_key
from megler.errors import InvalidInput

# What a broker's store brings, in the order their references need: its records. The
# catalog and the goals are the network's own; undo's images stay with the file.
BROUGHT = ("org", "orgfact", "contact", "visit", "visitorg", "visitcontact", "need", "referral",
           "referralevent", "followup", "audit")
# Rows that hang on a visit and have no id of their own: they come with their visit.
LINKS = ("visitorg", "visitcontact")


@dataclass
class Joined:
    added: dict[str, int] = field(default_factory=dict)  # rows added, per table
    merged: list[str] = field(default_factory=list)      # their orgs the network had
    unsure: list[tuple[str, int, str]] = field(default_factory=list)  # (theirs, network's id, name)


def join(s: Session, source: Path) -> Joined:
    """Bring the store at `source` into the network's store of session `s`."""
    from megler import network

    if not network.is_network(s):
        raise InvalidInput("this store is no network yet: its owner runs megler network init")
    if not source.is_file():
        raise InvalidInput(f"no store at {source}")
    with store.session(source) as theirs:
        key = _store_key(theirs)
        rows = {name: [dict(r._mapping) for r in theirs.execute(select(_table(name)).order_by(
            *_table(name).primary_key))] for name in BROUGHT}
        entry_keys = dict(theirs.execute(text("SELECT id, key FROM catalogentry")).all())
    ids = _brought_before(s, key)
    done = Joined()
    fresh_orgs = _merge_orgs(s, rows["org"], ids, done)
    ids["catalogentry"] = _entries_by_key(s, entry_keys)
    new_visits: set[int] = set()
    me = brokers.current(s)
    for name in BROUGHT:
        if name == "org":
            chosen = [r for r in rows["org"] if r["id"] in fresh_orgs]
        elif name == "orgfact":  # an org the network had keeps the network's facts
            chosen = [r for r in rows[name] if r["org_id"] in fresh_orgs and r["id"] not in ids[name]]
        elif name in LINKS:
            chosen = [r for r in rows[name] if r["visit_id"] in new_visits]
        else:
            chosen = [r for r in rows[name] if r["id"] not in ids[name]]
        if name == "visit":
            new_visits = {r["id"] for r in chosen}
        _bring(s, name, chosen, ids, key, me)
        done.added[name] = len(chosen)
    return done


def _table(name: str):
    return SQLModel.metadata.tables[name]


def _store_key(s: Session) -> str:
    """The store's identity: its first audit row (every store has one from its first write)."""
    first = s.execute(text("SELECT time, command FROM audit ORDER BY id LIMIT 1")).first()
    if first is None:
        raise InvalidInput("the store holds nothing to join")
    return f"{first[0]} {first[1]}"


def _brought_before(s: Session, key: str) -> dict[str, dict[int, int]]:
    """The ids of rows this store brought before: old id → the network's."""
    ids: dict[str, dict[int, int]] = {name: {} for name in BROUGHT}
    for entity, old, new in s.execute(text("SELECT entity, old_id, new_id FROM networkjoin "
                                           "WHERE store = :key"), {"key": key}):
        ids[entity][old] = new
    return ids


def _merge_orgs(s: Session, theirs: list[dict], ids: dict, done: Joined) -> set[int]:
    """Their orgs the network has (by org number, else by name) map to the network's; the
    ids of the rest, to be added."""
    network = [tuple(r) for r in s.execute(text("SELECT id, name, orgnr FROM org"))]
    by_number = {orgnr: i for i, _, orgnr in network if orgnr}
    by_name = {name_key(name): i for i, name, orgnr in network if not orgnr}
    nameless = [(i, name) for i, name, orgnr in network if not orgnr]
    fresh = set()
    for org in theirs:
        if org["id"] in ids["org"]:
            continue
        same = by_number.get(org["orgnr"]) if org["orgnr"] else by_name.get(name_key(org["name"]))
        if same is not None:
            ids["org"][org["id"]] = same
            done.merged.append(org["name"])
            continue
        fresh.add(org["id"])
        if not org["orgnr"]:
            done.unsure += [(org["name"], i, name) for i, name in likely_duplicates(org["name"], nameless)]
    return fresh


def _entries_by_key(s: Session, theirs: dict[int, str]) -> dict[int, int]:
    """Their catalog entries as the network's entries of the same key (else none)."""
    ours = dict(s.execute(text("SELECT key, id FROM catalogentry")).all())
    return {old: ours[k] for old, k in theirs.items() if k in ours}


def _bring(s: Session, name: str, chosen: list[dict], ids: dict, key: str, me: str | None) -> None:
    """Insert the rows with their references moved to the network's ids, and note them."""
    table = _table(name)
    has_id = "id" in table.c
    added = []
    for row in chosen:
        values = _moved(table, row, ids) | ({"broker": me} if "broker" in table.c else {})
        if has_id:
            values.pop("id")
        if name == "audit":
            values["entity_id"] = _logged_id(row, ids)
        found = s.connection().execute(insert(table).values(values).returning(*table.primary_key))
        new = tuple(found.one())
        added.append(new)
        if has_id:
            ids[name][row["id"]] = new[0]
            s.execute(text("INSERT INTO networkjoin VALUES (:store, :entity, :old, :new)"),
                      {"store": key, "entity": name, "old": row["id"], "new": new[0]})
    audit.added(s, name, added)


def _moved(table, row: dict, ids: dict) -> dict:
    """The row with each reference to a brought table (or the catalog) given the network's id."""
    moved = dict(row)
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if target in ids and row[column.name] is not None:
                moved[column.name] = ids[target].get(row[column.name])
    return moved


def _logged_id(row: dict, ids: dict) -> str | None:
    """An audit row names its record by the network's id (none for one not brought)."""
    entity, old = row["entity"], row["entity_id"]
    if entity not in ids or old is None or not old.isdigit():
        return old if entity not in ids else None
    new = ids[entity].get(int(old))
    return None if new is None else str(new)
