"""megler audit"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, render


def audit(limit: Annotated[int, typer.Option(min=1, help="How many entries, newest first.")] = 50,
          entity: Annotated[str | None, typer.Option(help="Only this table: org, contact, visit, need, referral, followup, … (a wrong one lists them all).")] = None,
          entity_id: Annotated[str | None, typer.Option("--id", help="Only this row's id.")] = None,
          fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show the audit log: which command added, changed or deleted which row, and when.

    Example: megler audit --entity contact --id 3
    """
    from megler.audit import recent

    with opened(db) as s:
        rows = recent(s, limit=limit, entity=entity, entity_id=entity_id)
    render(rows, fmt, title="Audit log")
