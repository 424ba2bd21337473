"""megler export | megler import"""

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import Db, Force, opened
from megler.cli.output import deliver, say
from megler.clock import today
from megler.errors import InvalidInput
from megler.reports import figures_for, parse_period
from megler.reports.i18n import counted
from megler.vocabulary import ExportFormat

TABLES = "orgs, contacts, visits, needs, referrals or followups"


def export(file: Annotated[Path | None, typer.Argument(metavar="FILE", help="Write here instead of stdout; - is stdout.")] = None,
           fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="json: every record; csv: one table (with --what); xlsx: a workbook, a sheet per table.")] = ExportFormat.json,
           what: Annotated[str | None, typer.Option(metavar="TABLE", help=f"With --format csv: {TABLES}.")] = None,
           force: Force = False, db: Db = None) -> None:
    """Every record of the store as one JSON document (`megler import` reads it back),
    one table as CSV, or every table and the report's figures as an xlsx workbook.

    CSV written to FILE is for a spreadsheet (a UTF-8 BOM, `;` between columns, a decimal
    comma: Excel in Norwegian or Swedish opens it right); on stdout it is plain RFC 4180.

    Example: megler export backup-2026-09.json        megler export --format csv --what referrals
    """
    from megler.export import export_csv, export_document, export_xlsx
    from megler.files import csv_dialect, json_chunks

    _check_format(fmt, what, file)
    done = what or ("every table" if fmt == ExportFormat.xlsx else "the store")
    with opened(db) as s:  # written while the store is read: one transaction, rows as they come
        if fmt == ExportFormat.xlsx:
            data: str | bytes | Iterable[str] = export_xlsx(s, figures_for(s, parse_period(None, today())))
        elif what:
            data = export_csv(s, what, csv_dialect(file))
        else:
            data = json_chunks(export_document(s), indent=1)
        deliver(data, file, f"Exported {done} to {file}", force=force)


def _check_format(fmt: ExportFormat, what: str | None, file: Path | None) -> None:
    if fmt == ExportFormat.csv and not what:
        raise InvalidInput(f"--format csv writes one table: add --what {TABLES}")
    if fmt != ExportFormat.csv and what:
        raise InvalidInput("--what picks the table of --format csv; json and xlsx hold every table")
    if fmt == ExportFormat.xlsx and (file is None or str(file) == "-"):
        raise InvalidInput("--format xlsx writes a file: name one (megler export --format xlsx megler.xlsx)")


def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help="A document made by megler export.")],
            db: Db = None) -> None:
    """Rebuild a store from `megler export` (into a new, empty store).

    Example: megler import backup-2026-09.json --db new.db
    """
    from megler.export import check_export, import_file

    try:
        header = check_export(file)  # all of it, before a store is made or touched
        with opened(db, write=True) as s:
            counts = import_file(s, file, header)
    except InvalidInput as e:  # name the file, as for every other input file
        raise InvalidInput(f"{file.name}: {e}") from None
    say(f"Imported {counted(sum(counts.values()), 'row', 'rows')} from {file}")
