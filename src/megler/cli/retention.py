"""megler retention"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, Yes, confirm, opened
from megler.cli.contacts import erase_all
from megler.cli.output import Format, render, say
from megler.clock import today
from megler.reports.i18n import counted


def retention(months: Annotated[int | None, typer.Option(
                  min=1, help="Keep contacts met within this many months (default: retention_months, 36).")] = None,
              apply: Annotated[bool, typer.Option("--apply", help="Erase them (with --redact).")] = False,
              yes: Yes = False, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List contacts not met at a visit for a while; --apply erases them.

    Example: megler retention --months 24 --apply
    """
    from megler import config
    from megler.retention import stale_contacts

    months = months or config.get("retention_months")
    with opened(db) as s:
        stale = stale_contacts(s, months, today())
    if not apply:
        return render(stale, fmt, title=f"Contacts not met for {counted(months, 'month', 'months')}")
    if not stale:
        return say(f"No contact is older than {counted(months, 'month', 'months')}.")
    confirm(f"Erase {counted(len(stale), 'contact', 'contacts')} not met for "
            f"{counted(months, 'month', 'months')}?", yes)
    erase_all([row["id"] for row in stale], redact=True, db=db)
