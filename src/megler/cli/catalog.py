"""megler catalog import|list|show"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, literal_path, opened
from megler.cli.common import app as group
from megler.cli.output import Format, err_console, error, render, text
from megler.reports.i18n import counted
from megler.vocabulary import Country as Countries
from megler.vocabulary import EntryKind, listed

app = group("Offerings, providers and funding instruments, imported from YAML files.")

Kind = Annotated[str | None, typer.Option(help=f"{listed(EntryKind)}.")]
Country = Annotated[str | None, typer.Option(help=f"{listed(Countries)}.")]
CHANGE_COLUMNS = ["action", "key", "kind", "name", "file", "fields"]
LIST_COLUMNS = ["id", "key", "kind", "name", "by", "country", "regions", "deadline"]


@app.command("import")
def import_(path: Annotated[str, typer.Argument(metavar="FILE|DIR", callback=literal_path,
                                                help="A .yaml file, or a folder of them.")],
            dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added, changed and retired; write nothing.")] = False,
            fmt: Fmt = Format.table, db: Db = None) -> None:
    """Import a catalog file, or every .yaml file in a folder: all of it or nothing.

    Every file is checked before anything is written. Entries that came from these
    files and are no longer in them are retired, never deleted; importing the same
    files again changes nothing. The format is described in the README (The catalog).

    Example: megler catalog import examples/catalog --dry-run
    """
    from megler import catalog

    try:
        batch = catalog.load_path(path)
    except catalog.CatalogProblems as e:
        _report(e.problems)
    if dry_run:
        result = _dry_run(db, batch)
        render(_change_rows(result), fmt, title="Would change", columns=CHANGE_COLUMNS)
        return _tell(f"Dry run: would have {result.summary()}; nothing was written")
    with opened(db, write=True) as s:
        result = catalog.import_batch(s, batch)
    files = counted(len(batch.files), "file", "files")
    _tell(f"Imported {files}: {result.summary()}" if result.changes else
          f"Nothing to import: {counted(result.unchanged, 'entry', 'entries')} in {files}, "
          "all in the store as they are")


def _report(problems) -> None:
    """All problems at once, so a broker fixes a file in one round, not one per run."""
    error(f"{problems[0]}" + (f" (and {len(problems) - 1} more:)" if len(problems) > 1 else ""))
    for problem in problems[1:]:
        _tell(f"  {problem}")
    raise typer.Exit(1)


def _tell(message: str) -> None:
    """`say`, unwrapped: a summary or a file:line problem reads best on one line."""
    err_console().print(text(message), soft_wrap=True)


def _dry_run(db: str | None, batch):
    from megler import catalog
    from megler.store import resolve

    if not resolve(db).exists():  # a dry run must not even create the store
        return catalog.ImportResult(*catalog.plan_import({}, batch), dry_run=True)
    with opened(db) as s:
        return catalog.import_batch(s, batch, dry_run=True)


def _change_rows(result) -> list[dict]:
    from megler.catalog.loading import shown

    return [{"action": c.action, "key": c.key, "kind": c.kind, "name": c.name,
             "file": shown(c.source), "fields": ", ".join(c.fields)} for c in result.changes]


@app.command("list")
def list_(text: Annotated[str | None, typer.Argument(help="Part of the key, name, provider or agency.")] = None,
          kind: Kind = None, country: Country = None,
          retired: Annotated[bool, typer.Option("--retired", help="Include retired entries.")] = False,
          fmt: Fmt = Format.table, db: Db = None) -> None:
    """List catalog entries by kind and name.

    Example: megler catalog list --kind instrument --country NO
    """
    from megler.catalog import list_entries

    with opened(db) as s:
        rows = list_entries(s, kind=kind, country=country, text=text, retired=retired)
    if fmt == Format.json:
        return render(rows, fmt)
    shorten = fmt == Format.table
    # A key runs to 36 letters and would leave a table at 80 columns no room for the name;
    # the id opens the entry as well.
    columns = [c for c in LIST_COLUMNS if not (shorten and c == "key")] + (["retired_on"] if retired else [])
    render([_joined(r, shorten) for r in rows], fmt, title="Catalog", columns=columns)


@app.command("show")
def show(entry: Annotated[str, typer.Argument(metavar="ID|KEY|NAME", help="Id, key, or part of the name.")],
         fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show a catalog entry: every field, the file it came from, the referrals made to it.

    Example: megler catalog show skattefunn
    """
    from megler.catalog import entry_detail, find_entry

    with opened(db) as s:
        record = entry_detail(s, find_entry(s, entry))
    render(record if fmt == Format.json else _joined(record), fmt, title=record["name"])


def _joined(record: dict, shorten: bool = False) -> dict:
    """Lists of words as one cell for tables and CSV; long region lists cut short on screen."""
    out = dict(record)
    for key, value in record.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            cut = shorten and len(value) > 3
            out[key] = ", ".join(value[:3] if cut else value) + (f" +{len(value) - 3}" if cut else "")
    return out
