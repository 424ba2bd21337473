"""The store as a whole: init, search, export, import, demo."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, deliver, render, say
from megler.errors import InvalidInput
from megler.reports.i18n import counted


def init(db: Db = None) -> None:
    """Create the store (every other command also creates it on first use).

    Example: megler init --db ~/megler/østfold.db
    """
    from megler.store import prepare, resolve

    path = resolve(db)
    applied = prepare(path)
    say(f"Store ready at {path}" + (f" (applied {', '.join(applied)})" if applied else ""))


def search(text: Annotated[str, typer.Argument(metavar="TEXT", help="Words; each also matches as a word beginning.")],
           fmt: Fmt = Format.table, db: Db = None) -> None:
    """Search orgs, visit notes, template fields and needs.

    Example: megler search sveis
    """
    from megler.search import MARK, search as find

    with opened(db) as s:
        hits = find(s, text)
    if fmt != Format.table:
        plain = [h | {"snippet": h["snippet"].replace(MARK[0], "").replace(MARK[1], "")} for h in hits]
        return render(plain, fmt)
    _print_hits(hits, MARK)


def _print_hits(hits: list[dict], mark: tuple[str, str]) -> None:
    from rich.text import Text

    from megler.cli.output import console, table

    if not hits:
        return say("no matches")
    grid = table([], ["kind", "id", "title", "snippet"], title="Search")
    for hit in hits:
        snippet = Text()
        for i, part in enumerate(hit["snippet"].replace(mark[1], mark[0]).split(mark[0])):
            snippet.append(part, style="bold yellow" if i % 2 else None)
        grid.add_row(hit["kind"], str(hit["id"]), Text(hit["title"]), snippet)
    console().print(grid)


def export(file: Annotated[Optional[Path], typer.Argument(metavar="FILE", help="Write here instead of stdout.")] = None,
           fmt: Annotated[str, typer.Option("--format", "-f", help="json: every record; csv: one table for a spreadsheet (with --what).")] = "json",
           what: Annotated[Optional[str], typer.Option(help="With --format csv: visits, needs or referrals.")] = None,
           db: Db = None) -> None:
    """Every record of the store as one JSON document (`megler import` reads it back), or one table as CSV.

    Example: megler export backup-2026-09.json        megler export --format csv --what referrals
    """
    from megler.exchange import export_all

    if fmt == "csv":
        from megler.cli.report import export_table

        if not what:
            raise InvalidInput("--format csv writes one table: add --what visits, needs or referrals")
        return export_table(what, file, db)
    if fmt != "json" or what:
        raise InvalidInput("export writes --format json (everything) or --format csv --what TABLE")

    with opened(db) as s:
        document = export_all(s)
    text = json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n"
    deliver(text, file, f"Exported to {file}")


def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help="A document made by megler export.")],
            db: Db = None) -> None:
    """Rebuild a store from `megler export` (into a new, empty store).

    Example: megler import backup-2026-09.json --db new.db
    """
    from megler.exchange import import_all

    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) else e  # the path is named once already
        raise InvalidInput(f"{file}: cannot read the export: {why}") from None
    try:
        with opened(db, write=True) as s:
            counts = import_all(s, document)
    except InvalidInput as e:  # name the file, as for every other input file
        raise InvalidInput(f"{file.name}: {e}") from None
    say(f"Imported {counted(sum(counts.values()), 'row', 'rows')} from {file}")
