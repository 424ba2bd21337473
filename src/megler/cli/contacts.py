"""megler contact add|list|show|edit|export|erase"""

from typing import Annotated, Optional

import typer

from megler.cli import safety
from megler.cli.common import Db, Fmt, OrgRef, app as group, opened
from megler.cli.output import Format, render, say

app = group("People at the orgs: only what you need to reach them.")

ContactId = Annotated[int, typer.Argument(metavar="ID", help="The contact's id.")]
Role = Annotated[Optional[str], typer.Option(help="E.g. daglig leder, HR, rektor.")]
Email = Annotated[Optional[str], typer.Option(help="E-mail address.")]
Phone = Annotated[Optional[str], typer.Option(help="Phone number.")]


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
def list_(org: Annotated[Optional[str], typer.Argument(metavar="ORG", help="Only this org's.")] = None,
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
def show(contact_id: ContactId, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show one contact.

    Example: megler contact show 3
    """
    from megler.contacts import contact_row, get_contact

    with opened(db) as s:
        record = contact_row(get_contact(s, contact_id))
    render(record, fmt, title=record["name"])


@app.command("edit")
def edit(contact_id: ContactId, name: Annotated[Optional[str], typer.Option(help="A new name.")] = None,
         role: Role = None, email: Email = None, phone: Phone = None,
         org: Annotated[Optional[str], typer.Option(help="Move to another org.")] = None,
         db: Db = None) -> None:
    """Change a contact's fields; those not given stay as they are.

    Example: megler contact edit 3 --phone "+47 900 00 000"
    """
    from megler.contacts import ContactFields, edit_contact, get_contact
    from megler.orgs import find_org

    with opened(db, write=True) as s:
        contact = edit_contact(s, get_contact(s, contact_id),
                               ContactFields(name=name, role=role, email=email, phone=phone),
                               find_org(s, org) if org else None)
        say(f"Updated contact #{contact.id}")


app.command("export")(safety.contact_export)  # right of access and erasure: see cli/safety.py
app.command("erase")(safety.contact_erase)
