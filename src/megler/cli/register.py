"""megler register import"""

from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, writable
from megler.cli.common import app as group
from megler.cli.output import Format, render, say

app = group("The official registers' bulk files, for looking org numbers up offline.")


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help=(
                "enheter_alle.json.gz or enheter_alle.csv.gz (Enhetsregisteret), or "
                "Bolagsverket's zipped bulk file."))],
            db: Db = None) -> None:
    """Read a register's bulk file, as published, into the lookup table beside the store.

    Org numbers are then looked up there first, with no network. The table is the
    store's file with `.register` added; a new import of a register replaces its units
    whole. It holds public data only, and backups and exports leave it out.

    Example: megler register import ~/Nedlastinger/enheter_alle.json.gz
    """
    from megler.errors import InvalidInput
    from megler.registers.lookup import import_file

    if not file.is_file():
        raise InvalidInput(f"{file}: no such file" if not file.exists() else f"{file} is not a file")
    done = import_file(writable(db), file)
    say(f"Imported {done.units:,} units of {done.register} into {done.path}")


@app.command("show")
def show(fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show which registers' files are imported beside the store, when, and how many units.

    Example: megler register show
    """
    from megler.registers.lookup import imported, table_path

    store = writable(db)  # a folder is no store: one line, not a traceback
    render(imported(store), fmt, title=str(table_path(store)), columns=["register", "country", "day", "units"])
