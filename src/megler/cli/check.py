"""megler check"""

from megler.cli.common import Db, Fmt, existing
from megler.cli.output import Format, render, say
from megler.clock import today
from megler.errors import MeglerError


def check(fmt: Fmt = Format.table, db: Db = None) -> None:
    """Check the file's integrity and the data's health; each finding says what to do.

    Example: megler check
    """
    from megler.check import check as run

    path = existing(db)
    findings = [f.row() for f in run(path, today())]
    if any(f["kind"] == "damaged store" for f in findings):
        render(findings, fmt, title="Check", columns=["kind", "what", "todo"])
        raise MeglerError(f"the store at {path} is damaged; restore a backup with megler restore FILE")
    if not findings and fmt == Format.table:
        return say("The store is sound and nothing needs attention.")
    render(findings, fmt, title="Check", columns=["kind", "ids", "what", "todo"]
           if fmt == Format.table else None)
