"""Importing validated entries: compare with the store, then add, change and retire at once.

An entry's source is the file it came from, known through its last import
(`CatalogEntry.import_id` -> `CatalogImport.source`). An import covers a scope (the
FILE or DIR given): entries from files in that scope that are no longer there are
retired, never deleted, because referrals and old reports point at them. One
`CatalogImport` row is written per file that changed something; an import that
changes nothing writes nothing, so re-importing the same files leaves the store as it was.
"""

import datetime as dt
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeGuard

from sqlalchemy import insert
from sqlmodel import Session, col, select

from megler.catalog.loading import Batch, shown
from megler.catalog.schema import EntryIn
from megler.clock import today as today_
from megler.errors import CatalogError
from megler.models import CatalogEntry, CatalogImport, ident

ACTIONS = ("add", "restore", "change", "retire")
_NOTHING = hashlib.sha256(b"").hexdigest()  # the content of a file that is gone


@dataclass(frozen=True)
class Change:
    """What an import does to one entry; `fields` names what changed."""

    action: str
    key: str
    kind: str
    name: str
    source: str
    fields: tuple[str, ...] = ()


@dataclass
class ImportResult:
    changes: list[Change]
    unchanged: int
    dry_run: bool = False
    imports: list[int] = field(default_factory=list)  # CatalogImport ids written

    def count(self, *actions: str) -> int:
        return sum(c.action in actions for c in self.changes)

    @property
    def added(self) -> int:
        return self.count("add", "restore")

    @property
    def changed(self) -> int:
        return self.count("change")

    @property
    def retired(self) -> int:
        return self.count("retire")

    def summary(self) -> str:
        restored = self.count("restore")
        again = f" ({restored} back from retirement)" if restored else ""
        return (f"added {self.added}{again}, changed {self.changed}, retired {self.retired}, "
                f"unchanged {self.unchanged}")


def import_batch(s: Session, batch: Batch, *, dry_run: bool = False,
                 today: dt.date | None = None) -> ImportResult:
    """Bring the store in line with a loaded batch; with dry_run, only say what would change.

    Example: import_batch(s, load_path("examples/catalog"))
    """
    existing = existing_entries(s)
    changes, unchanged = plan_import(existing, batch)
    result = ImportResult(changes, unchanged, dry_run=dry_run)
    if not dry_run and changes:
        result.imports = _apply(s, batch, changes, existing, today or today_())
    return result


def import_entries(s: Session, entries: list[EntryIn], source: str, *, sha256: str | None = None,
                   dry_run: bool = False, today: dt.date | None = None) -> ImportResult:
    """Import entries that did not come from YAML (a benchmark file, a test) as one source.

    Example: import_entries(s, load_matchbench("dev.json"), source="dev.json")
    """
    digest = sha256 or hashlib.sha256("".join(e.content_hash() for e in entries).encode()).hexdigest()
    batch = Batch(scope=source, files={source: list(entries)}, sha256={source: digest})
    return import_batch(s, batch, dry_run=dry_run, today=today)


def existing_entries(s: Session) -> dict[str, tuple[CatalogEntry, str | None]]:
    """Every entry in the store, retired or not, by key, with the file it came from."""
    rows = s.exec(select(CatalogEntry, CatalogImport.source)
                  .join(CatalogImport, col(CatalogEntry.import_id) == CatalogImport.id, isouter=True))
    return {entry.key: (entry, source) for entry, source in rows}


def plan_import(existing: dict[str, tuple[CatalogEntry, str | None]],
                batch: Batch) -> tuple[list[Change], int]:
    """The changes a batch makes to the existing entries, and how many stay as they are."""
    _refuse_duplicates(batch)
    changes, unchanged = [], 0
    for source, entries in batch.files.items():
        for entry in entries:
            row, old_source = existing.get(entry.key, (None, None))
            change = _compare(entry, source, row, old_source, batch.scope)
            changes += [change] if change else []
            unchanged += change is None
    given = {e.key for e in batch.entries}
    changes += [Change("retire", key, row.kind, row.name, source)
                for key, (row, source) in existing.items()
                if key not in given and row.retired_on is None and within(source, batch.scope)]
    return changes, unchanged


def within(source: str | None, scope: str) -> TypeGuard[str]:
    """Whether an entry from `source` is covered by an import of `scope` (a file or folder)."""
    return source is not None and (source == scope or source.startswith(scope.rstrip(os.sep) + os.sep))


def _refuse_duplicates(batch: Batch) -> None:
    twice = [key for key, n in Counter(e.key for e in batch.entries).items() if n > 1]
    if twice:
        raise CatalogError(f"entry {twice[0]!r} is given twice; keys are unique across the catalog")


def _compare(entry: EntryIn, source: str, row: CatalogEntry | None, old_source: str | None,
             scope: str) -> Change | None:
    def change(action: str, fields: tuple[str, ...] = ()) -> Change:
        return Change(action, entry.key, entry.kind, entry.name, source, fields)

    if row is None:
        return change("add")
    if row.retired_on is not None:
        return change("restore", changed_fields(row, entry))
    if not within(old_source, scope):
        raise CatalogError(f"{shown(source)}: entry {entry.key!r}: key: already in the catalog "
                           f"from {shown(old_source or '?')}; import both files' folder at once, "
                           "or remove the entry there first")
    fields = changed_fields(row, entry) if row.content_hash != entry.content_hash() else ()
    fields += ("source",) if old_source != source else ()
    return change("change", fields) if fields else None


def changed_fields(row: CatalogEntry, entry: EntryIn) -> tuple[str, ...]:
    old = entry_fields(row)
    return tuple(name for name, value in entry.model_dump().items() if old.get(name) != value)


def entry_fields(row: CatalogEntry) -> dict:
    """A stored entry's content, field by field as EntryIn has it."""
    return {name: getattr(row, name) for name in EntryIn.model_fields}


def _apply(s: Session, batch: Batch, changes: list[Change],
           existing: dict[str, tuple[CatalogEntry, str | None]], today: dt.date) -> list[int]:
    runs = _record_imports(s, batch, changes)
    entries = {e.key: e for e in batch.entries}
    new = []
    for change in changes:
        values: dict[str, object] = {"import_id": runs[change.source].id}
        if change.action == "retire":
            values["retired_on"] = today
        else:
            values |= _columns(entries[change.key])
        if change.key in existing:
            for name, value in values.items():
                setattr(existing[change.key][0], name, value)
        else:
            new.append(values)
    if new:  # a bulk insert: building ten thousand ORM objects takes seconds
        s.execute(insert(CatalogEntry), new)
    s.flush()
    return [ident(run.id) for run in runs.values()]


def _columns(entry: EntryIn) -> dict:
    return entry.model_dump() | {"content_hash": entry.content_hash(), "retired_on": None}


def _record_imports(s: Session, batch: Batch, changes: list[Change]) -> dict[str, CatalogImport]:
    """One CatalogImport per file that changes something, with what it did."""
    runs = {}
    for source in dict.fromkeys(c.source for c in changes):
        mine = [c for c in changes if c.source == source]
        runs[source] = CatalogImport(
            source=source, sha256=batch.sha256.get(source, _NOTHING),
            added=sum(c.action in ("add", "restore") for c in mine),
            changed=sum(c.action == "change" for c in mine),
            retired=sum(c.action == "retire" for c in mine))
        s.add(runs[source])
    s.flush()
    return runs
