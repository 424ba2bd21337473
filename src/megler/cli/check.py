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

    path = existing(db)
    pages = run(path, today(), rows_wanted(every, limit))
    findings = [f.row() for page in pages for f in page]
    if any(f["kind"] == "damaged store" for f in findings):
        render(findings, fmt, title="Check", columns=["kind", "what", "todo"])
        raise MeglerError(f"the store at {path} is damaged; restore a backup with megler restore FILE")
    if not findings and fmt == Format.table:
        return say("The store is sound and nothing needs attention.")
    render(findings, fmt, title="Check", columns=["kind", "ids", "what", "todo"]
           if fmt == Format.table else None)
    for page in pages:
        if page.more:
            say(f"… {page.more:,} more {page[0].kind}: --all or --limit N")
