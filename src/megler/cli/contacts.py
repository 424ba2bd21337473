"""megler contact add|list|show|edit|export|erase"""

from typing import Annotated

import typer

from megler.cli.common import ContactRef, Db, Fmt, OrgRef, Out, Yes, confirm, opened
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
          fmt: Fmt = Format.table, db: Db = None) -> None:
    """List contacts, by org.

    Example: megler contact list "Fredrikstad Mek"
    """
    from megler.contacts import list_contacts
    from megler.orgs import find_org

    with opened(db) as s:
        rows = list_contacts(s, find_org(s, org) if org else None)
    render(rows, fmt, title="Contacts",
           columns=["id", "name", "role", "org", "email", "phone"] if fmt == Format.table else None)


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
def export(contact: ContactRef, out: Out = None, db: Db = None) -> None:
    """Everything megler holds about one person, as JSON (their right of access).

    Example: megler contact export 3 --out innsyn-3.json
    """
    from megler.files import json_text
    from megler.privacy import export_contact

    with opened(db) as s:
        document = export_contact(s, contact)
    deliver(json_text(document), out, f"Exported contact #{document['contact']['id']} to {out}")


@app.command("erase")
def erase(contact: ContactRef,
          redact: Annotated[bool, typer.Option(
              "--redact", help="Also replace their name, e-mail and phone in notes and needs.")] = False,
          yes: Yes = False, db: Db = None) -> None:
    """Erase a person: the contact and its visit links; visits, needs and figures stay.

    Example: megler contact erase 3 --redact
    """
    from megler.contacts import find_contact
    from megler.models import ident
    from megler.privacy import mentions, terms_of

    with opened(db) as s:
        found = find_contact(s, contact)
        named_in = len(mentions(s, terms_of(found)))
    what = counted(named_in, "text names them", "texts name them") + (
        "; the name will be redacted" if redact else "; the name will stay (add --redact)")
    confirm(f"Erase contact #{found.id} ({found.name})? {what}.", yes)
    erase_all([ident(found.id)], redact=redact, db=db)


def erase_all(contact_ids: list[int], *, redact: bool, db: str | None) -> None:
    """Erase contacts in one transaction, scrub the store's files, and say what is left."""
    from megler import privacy, store

    with opened(db, write=True) as s:
        done = [privacy.erase_contact(s, i, redact=redact) for i in contact_ids]
    path = store.resolve(db)
    residue = privacy.scrub(path, [t for e in done for t in e.terms])
    for erasure in done:
        say(_erased_line(erasure))
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
