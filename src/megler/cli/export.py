"""megler export | megler import"""

from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import Db, Force, opened
from megler.cli.output import deliver, say
from megler.errors import InvalidInput
from megler.reports.i18n import counted


def export(file: Annotated[Path | None, typer.Argument(metavar="FILE", help="Write here instead of stdout; - is stdout.")] = None,
           fmt: Annotated[str, typer.Option("--format", "-f", help="json: every record; csv: one table for a spreadsheet (with --what).")] = "json",
           what: Annotated[str | None, typer.Option(help="With --format csv: visits, needs or referrals.")] = None,
           force: Force = False, db: Db = None) -> None:
    """Every record of the store as one JSON document (`megler import` reads it back), or one table as CSV.

    Example: megler export backup-2026-09.json        megler export --format csv --what referrals
    """
    from megler.export import export_all, export_csv
    from megler.files import json_text

    if fmt == "csv" and not what:
        raise InvalidInput("--format csv writes one table: add --what visits, needs or referrals")
    if fmt not in ("json", "csv") or (fmt == "json" and what):
        raise InvalidInput("export writes --format json (everything) or --format csv --what TABLE")
    with opened(db) as s:
        text = export_csv(s, what) if what else json_text(export_all(s), indent=1)
    deliver(text, file, f"Exported {what or 'the store'} to {file}", force=force)


def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help="A document made by megler export.")],
            db: Db = None) -> None:
    """Rebuild a store from `megler export` (into a new, empty store).

    Example: megler import backup-2026-09.json --db new.db
    """
    from megler.export import import_all, read_document

    try:
        document = read_document(file)
        with opened(db, write=True) as s:
            counts = import_all(s, document)
    except InvalidInput as e:  # name the file, as for every other input file
        raise InvalidInput(f"{file.name}: {e}") from None
    say(f"Imported {counted(sum(counts.values()), 'row', 'rows')} from {file}")
