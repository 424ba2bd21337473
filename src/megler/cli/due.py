"""megler due"""

from typing import Annotated

import typer

from megler.cli.common import Broker, Db, Fmt, opened
from megler.cli.output import Format, render
from megler.clock import today
from megler.errors import InvalidInput


def due(explain: Annotated[bool, typer.Option("--explain", help="Show why each item ranks where it does.")] = False,
        all_: Annotated[bool, typer.Option("--all", help="Show every item, not the top 20.")] = False,
        broker: Broker = None,
        everyone: Annotated[bool, typer.Option("--everyone", help="Every broker's follow-ups and referrals, not only yours.")] = False,
        fmt: Fmt = Format.table, db: Db = None) -> None:
    """What needs you today: your overdue follow-ups and those due soon, your quiet
    referrals, and the orgs nobody has met for long.

    Example: megler due --explain        megler due --broker kari
    """
    from megler.brokers import whose
    from megler.due import due_list

    if everyone and broker:
        raise InvalidInput("give --everyone or --broker NAME, not both")
    with opened(db) as s:
        who = None if everyone else whose(s, mine=broker is None, broker=broker)
        items = due_list(s, today(), limit=None if all_ else 20, whose=who)
    rows = [item.row() for item in items]
    columns = ["kind", "id", "date", "org", "text"] + (["score", "why"] if explain else [])
    render(rows, fmt, title=f"Due {today()}", columns=columns if fmt == Format.table else None)
