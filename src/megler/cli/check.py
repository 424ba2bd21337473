"""megler check"""

from megler.cli.common import Db, Every, Fmt, Limit, existing, rows_wanted
from megler.cli.output import Format, render, say
from megler.clock import today
from megler.errors import MeglerError


def check(every: Every = False, limit: Limit = None, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Check the file's integrity and the data's health; each finding says what to do.

    Shows the first 50 findings of each kind unless --all or --limit N.

    Example: megler check
    """
    from megler.check import check as run
    from megler.check import first_of_each_kind

    path = existing(db)
    shown, left = first_of_each_kind(run(path, today()), rows_wanted(every, limit))
    findings = [f.row() for f in shown]
    if any(f["kind"] == "damaged store" for f in findings):
        render(findings, fmt, title="Check", columns=["kind", "what", "todo"])
        raise MeglerError(f"the store at {path} is damaged; restore a backup with megler restore FILE")
    if not findings and fmt == Format.table:
        return say("The store is sound and nothing needs attention.")
    render(findings, fmt, title="Check", columns=["kind", "ids", "what", "todo"]
           if fmt == Format.table else None)
    for kind, more in left.items():
        say(f"… {more:,} more {kind}: --all or --limit N")
