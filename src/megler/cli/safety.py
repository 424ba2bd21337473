"""megler backup|restore|check|audit|retention, and contact export|erase.

Destructive commands ask before they act, but only a person at a terminal is asked:
`--yes` answers for a script, and a script without it is refused, never left waiting.
"""

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from megler.cli.common import Db, Fmt, opened
from megler.clock import today
from megler.cli.output import Format, deliver, err_console, render, say
from megler.errors import InvalidInput, MeglerError, NotFound
from megler.reports.i18n import counted

Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; needed in scripts.")]
ContactId = Annotated[int, typer.Argument(metavar="ID", help="The contact's id.")]


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not _interactive():
        raise InvalidInput("this command changes data for good: add --yes to run it from a script")
    from rich.prompt import Confirm

    if not Confirm.ask(question, console=err_console(), default=False):
        raise MeglerError("cancelled; nothing was changed")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _existing(db: str | None) -> Path:
    from megler.store import resolve

    path = resolve(db)
    if not path.exists():
        raise NotFound(f"there is no store at {path}")
    return path


def backup(file: Annotated[Optional[Path], typer.Argument(
               metavar="FILE", help="Where to write (default: beside the store, with the time).")] = None,
           db: Db = None) -> None:
    """Take a consistent copy of the store, even while other megler commands run.

    Example: megler backup ~/sikkerhet/megler-2026-09.db
    """
    from megler import store

    path = _existing(db)
    store.engine(path)  # an old store is upgraded (and copied aside) first
    made = store.take_backup(path, file)
    say(f"Backed up to {made}")


def restore(file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by megler backup.")],
            yes: Yes = False, db: Db = None) -> None:
    """Replace the store by a backup, after checking the backup and copying the store aside.

    Example: megler restore ~/sikkerhet/megler-2026-09.db
    """
    from megler import store

    path = store.resolve(db)
    version = store.verify_backup(file)
    confirm(f"Replace the store at {path} by {file} (schema {version})?", yes)
    aside = store.restore(path, file)
    say(f"Restored {file}" + (f"; the store as it was is in {aside}" if aside else ""))


def check(fmt: Fmt = Format.table, db: Db = None) -> None:
    """Check the file's integrity and the data's health; each finding says what to do.

    Example: megler check
    """
    from megler.health import check as run

    path = _existing(db)
    findings = [f.row() for f in run(path, today())]
    if any(f["kind"] == "damaged store" for f in findings):
        render(findings, fmt, title="Check", columns=["kind", "what", "todo"])
        raise MeglerError(f"the store at {path} is damaged; restore a backup with megler restore FILE")
    if not findings and fmt == Format.table:
        return say("The store is sound and nothing needs attention.")
    render(findings, fmt, title="Check", columns=["kind", "ids", "what", "todo"]
           if fmt == Format.table else None)


def audit(limit: Annotated[int, typer.Option(min=1, help="How many entries, newest first.")] = 50,
          entity: Annotated[Optional[str], typer.Option(help="Only this table, e.g. contact.")] = None,
          entity_id: Annotated[Optional[str], typer.Option("--id", help="Only this row's id.")] = None,
          fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show the audit log: which command added, changed or deleted which row, and when.

    Example: megler audit --entity contact --id 3
    """
    from megler.audit import recent

    with opened(db) as s:
        rows = recent(s, limit=limit, entity=entity, entity_id=entity_id)
    render(rows, fmt, title="Audit log")


def retention(months: Annotated[Optional[int], typer.Option(
                  min=1, help="Keep contacts met within this many months (default: retention_months, 36).")] = None,
              apply: Annotated[bool, typer.Option("--apply", help="Erase them (with --redact).")] = False,
              yes: Yes = False, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List contacts not met at a visit for a while; --apply erases them.

    Example: megler retention --months 24 --apply
    """
    from megler import config, privacy

    months = months or config.get("retention_months")
    with opened(db) as s:
        stale = privacy.stale_contacts(s, months, today())
    if not apply:
        return render(stale, fmt, title=f"Contacts not met for {counted(months, 'month', 'months')}")
    if not stale:
        return say(f"No contact is older than {counted(months, 'month', 'months')}.")
    confirm(f"Erase {counted(len(stale), 'contact', 'contacts')} not met for "
            f"{counted(months, 'month', 'months')}?", yes)
    _erase([row["id"] for row in stale], redact=True, db=db)


def contact_export(contact_id: ContactId,
                   out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE",
                                                               help="Write here (private) instead of stdout.")] = None,
                   db: Db = None) -> None:
    """Everything megler holds about one person, as JSON (their right of access).

    Example: megler contact export 3 --out innsyn-3.json
    """
    from megler.privacy import export_contact

    with opened(db) as s:
        document = export_contact(s, contact_id)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    deliver(text, out, f"Exported contact #{contact_id} to {out}")


def contact_erase(contact_id: ContactId,
                  redact: Annotated[bool, typer.Option(
                      "--redact", help="Also replace their name, e-mail and phone in notes and needs.")] = False,
                  yes: Yes = False, db: Db = None) -> None:
    """Erase a person: the contact and its visit links; visits, needs and figures stay.

    Example: megler contact erase 3 --redact
    """
    from megler.contacts import get_contact
    from megler.privacy import mentions, terms_of

    with opened(db) as s:
        contact = get_contact(s, contact_id)
        named_in = len(mentions(s, terms_of(contact)))
        name = contact.name
    what = counted(named_in, "text names them", "texts name them") + (
        "; the name will be redacted" if redact else "; the name will stay (add --redact)")
    confirm(f"Erase contact #{contact_id} ({name})? {what}.", yes)
    _erase([contact_id], redact=redact, db=db)


def _erase(contact_ids: list[int], *, redact: bool, db: str | None) -> None:
    from megler import privacy, store

    with opened(db, write=True) as s:
        done = [privacy.erase_contact(s, i, redact=redact) for i in contact_ids]
    residue = privacy.scrub(store.resolve(db), [t for e in done for t in e.terms])
    for erasure in done:
        say(_erased_line(erasure))
    path = store.resolve(db)
    older = list(path.parent.glob(f"{path.stem}-*.bak"))
    if older:  # a backup is a copy as it was: erasure cannot reach into it
        say(counted(len(older), "backup beside the store was made before this and still holds",
                    "backups beside the store were made before this and still hold")
            + " what was erased; delete any you no longer need")
    if residue and redact:
        raise MeglerError(f"erased, but a name still occurs in {', '.join(residue)}; "
                          "another process may hold the file: run megler check, then try again")


def _erased_line(e) -> str:
    line = f"Erased contact #{e.contact_id}, unlinked from {counted(e.visits_unlinked, 'visit', 'visits')}"
    if e.redacted:
        line += f"; redacted {counted(len(e.redacted), 'text', 'texts')}"
    if e.left:
        line += f"; their name remains in {', '.join(e.left[:5])}" + (" ..." if len(e.left) > 5 else "")
    return line
