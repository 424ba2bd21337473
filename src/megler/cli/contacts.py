"""megler contact add|list|show|edit|export|erase"""

import sqlite3
from typing import Annotated

import typer

from megler.cli.common import (
    Broker,
    ContactRef,
    Db,
    Every,
    Fmt,
    Force,
    Limit,
    Mine,
    OrgRef,
    Out,
    Yes,
    confirm,
    opened,
    render_page,
    rows_wanted,
)
from megler.cli.common import app as group
from megler.cli.output import Format, deliver, render, say
from megler.errors import MeglerError
from megler.reports.i18n import counted

app = group("People at the orgs: only what you need to reach them.")

Role = Annotated[str | None, typer.Option(help="E.g. daglig leder, HR, rektor.")]
Email = Annotated[str | None, typer.Option(help="E-mail address.")]
Phone = Annotated[str | None, typer.Option(help="Phone number.")]


@app.command("add")
def add(org: OrgRef, name: Annotated[str, typer.Argument(help="The person's name.")],
        role: Role = None, email: Email = None, phone: Phone = None, db: Db = None) -> None:
    """Add a contact person to an org.

    Example: megler contact add "Fredrikstad Mek" "Kari Nordmann" --role "daglig leder"
    """
    from megler.contacts import ContactFields, add_contact
    from megler.orgs import find_org

    with opened(db, write=True) as s:
        contact = add_contact(s, find_org(s, org),
                              ContactFields(name=name, role=role, email=email, phone=phone))
        say(f"Added contact #{contact.id}")


@app.command("list")
def list_(org: Annotated[str | None, typer.Argument(metavar="ORG", help="Only this org's.")] = None,
          mine: Mine = False, broker: Broker = None,
          every: Every = False, limit: Limit = None, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List contacts, by org (the first 50 unless --all or --limit N).

    Example: megler contact list "Fredrikstad Mek"
    """
    from megler.brokers import whose
    from megler.contacts import list_contacts
    from megler.orgs import find_org
    from megler.sql import Page

    with opened(db) as s:
        rows = list_contacts(s, find_org(s, org) if org else None,
                             whose=whose(s, mine=mine, broker=broker), limit=rows_wanted(every, limit))
    if fmt != Format.table:
        return render_page(rows, fmt, title="Contacts")
    # E-mail above phone in one column: side by side they take 40 of a terminal's 80
    # columns, and the org's name is cut to a word.
    reach = Page([{**row, "email_phone": "\n".join(filter(None, (row["email"], row["phone"])))}
                  for row in rows], rows.total)
    render_page(reach, fmt, title="Contacts", columns=["id", "name", "role", "org", "email_phone"])


@app.command("show")
def show(contact: ContactRef, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show one contact.

    Example: megler contact show "Kari"
    """
    from megler.contacts import contact_row, find_contact

    with opened(db) as s:
        record = contact_row(find_contact(s, contact))
    render(record, fmt, title=record["name"])


@app.command("edit")
def edit(contact: ContactRef, name: Annotated[str | None, typer.Option(help="A new name.")] = None,
         role: Role = None, email: Email = None, phone: Phone = None,
         org: Annotated[str | None, typer.Option(help="Move to another org.")] = None,
         db: Db = None) -> None:
    """Change a contact's fields; those not given stay as they are.

    Example: megler contact edit 3 --phone "+47 900 00 000"
    """
    from megler.contacts import ContactFields, edit_contact, find_contact
    from megler.orgs import find_org

    with opened(db, undoable=True) as s:
        found = edit_contact(s, find_contact(s, contact),
                             ContactFields(name=name, role=role, email=email, phone=phone),
                             find_org(s, org) if org else None)
        say(f"Updated contact #{found.id}")


@app.command("export")
def export(contact: ContactRef, out: Out = None, force: Force = False, db: Db = None) -> None:
    """Everything megler holds about one person, as JSON (their right of access).

    Example: megler contact export 3 --out innsyn-3.json
    """
    from megler.files import json_text
    from megler.privacy import export_contact
    from megler.store import resolve

    with opened(db) as s:
        document = export_contact(s, contact, resolve(db))
    deliver(json_text(document), out, f"Exported contact #{document['contact']['id']} to {out}",
            force=force)


@app.command("erase")
def erase(contact: ContactRef,
          redact: Annotated[bool, typer.Option(
              "--redact", help="Also replace their name, e-mail and phone in notes, needs, "
              "referrals, follow-ups and visit drafts.")] = False,
          yes: Yes = False, db: Db = None) -> None:
    """Erase a person: the contact and its visit links; visits, needs and figures stay.

    With --redact, every text that `megler contact export` lists as naming them gets
    `[erased contact #ID]` instead (the rule: README, Data safety and privacy). An org
    that is the person (a sole trader) goes with `megler org erase`.

    Example: megler contact erase 3 --redact
    """
    from megler.contacts import find_contact
    from megler.models import ident
    from megler.privacy import mentions
    from megler.store import resolve

    with opened(db) as s:
        found = find_contact(s, contact)
        named_in = len(mentions(s, found, resolve(db)))
    what = counted(named_in, "text names them", "texts name them") + (
        "; the name will be redacted" if redact else "; the name will stay (add --redact)")
    confirm(f"Erase contact #{found.id} ({found.name})? {what}.", yes)
    erase_all([ident(found.id)], redact=redact, db=db)


def erase_all(contact_ids: list[int], *, redact: bool, db: str | None) -> None:
    """Erase contacts in one transaction, then tidy up the files around the store."""
    from megler import privacy

    with opened(db, write=True) as s:
        done = [privacy.erase_contact(s, i, redact=redact) for i in contact_ids]
    for erasure in done:
        say(_erased_line(erasure))
    after_erasure(db, done, redact=redact, explained=any(e.kept for e in done))


def after_erasure(db: str | None, done: list, *, redact: bool, explained: bool = False) -> None:
    """What follows a committed erasure: drafts, the WAL, a look for what is left.

    The erasure is committed by now, so nothing here may turn it into an error (exit 1
    would tell a script that nothing happened): a problem is a warning.
    """
    from megler import privacy, store

    path = store.resolve(db)
    for erasure in done:
        try:
            drafts = privacy.redact_drafts(path, erasure, redact=redact)
        except OSError as e:
            say(f"Warning: a visit draft could not be rewritten ({e.strerror}); "
                f"look in {path.name}.drafts and delete what you no longer need")
            continue
        if drafts:
            say(("Redacted " if redact else "Their name remains in ")
                + counted(len(drafts), "visit draft", "visit drafts") + ": " + ", ".join(drafts))
    try:
        residue = privacy.scrub(path, [t for e in done for t in e.terms])
    except (OSError, sqlite3.Error, MeglerError) as e:
        return say(f"Warning: erased, but the store's files could not be checked: {e}")
    _mention_backups(path)
    if residue and redact and not explained:
        say(f"Warning: erased, but their name, e-mail or phone still occurs in "
            f"{', '.join(residue)}: another contact may have the same, or another process "
            "holds the file (close it and run megler check)")


def _mention_backups(path) -> None:
    older = [p for p in path.parent.glob(f"{path.stem}-*.bak") if _holds_data(p)]
    if older:  # a backup is a copy as it was: erasure cannot reach into it
        say(counted(len(older), "backup beside the store was made before this and still holds",
                    "backups beside the store were made before this and still hold")
            + " what was erased; delete any you no longer need")


def _holds_data(backup) -> bool:
    """A 0-byte file left by a killed backup holds nothing, erased or not."""
    try:
        return backup.stat().st_size > 0
    except OSError:
        return False


def _erased_line(e) -> str:
    line = f"Erased contact #{e.contact_id}, unlinked from {counted(e.visits_unlinked, 'visit', 'visits')}"
    if e.redacted:
        line += f"; redacted {counted(len(e.redacted), 'text', 'texts')}"
    if e.left:
        line += f"; their name remains in {', '.join(e.left[:5])}" + (" ..." if len(e.left) > 5 else "")
    if e.kept:
        line += f"; it also remains in {', '.join(e.kept)}"
    return line
