"""megler due"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, render
from megler.clock import today


def due(explain: Annotated[bool, typer.Option("--explain", help="Show why each item ranks where it does.")] = False,
        all_: Annotated[bool, typer.Option("--all", help="Show every item, not the top 20.")] = False,
        fmt: Fmt = Format.table, db: Db = None) -> None:
    """What needs you today: overdue follow-ups, those due soon, quiet referrals and orgs.

    Example: megler due --explain
    """
    from megler.due import due_list

    with opened(db) as s:
        items = due_list(s, today(), limit=None if all_ else 20)
    rows = [item.row() for item in items]
    columns = ["kind", "id", "date", "org", "text"] + (["score", "why"] if explain else [])
    render(rows, fmt, title=f"Due {today()}", columns=columns if fmt == Format.table else None)
