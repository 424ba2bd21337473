"""Contact persons at an org: only what the broker needs to reach them."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from megler import brokers
from megler.errors import InvalidInput
from megler.models import Contact, Org, ident
from megler.parse import clean_text
from megler.resolve import CONTACT, Named, pick
from megler.sql import Page, paged


@dataclass
class ContactFields:
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None

    def cleaned(self) -> dict:
        values = {k: clean_text(v, name=k == "name") for k, v in vars(self).items() if v is not None}
        if "email" in values and values["email"] and "@" not in values["email"]:
            raise InvalidInput("not an e-mail address (it has no @)")
        return values


def add_contact(s: Session, org: Org, fields: ContactFields) -> Contact:
    values = fields.cleaned()
    if not values.get("name"):
        raise InvalidInput("a contact needs a name")
    contact = Contact(org_id=ident(org.id), **values)
    s.add(contact)
    s.flush()
    return contact


def edit_contact(s: Session, contact: Contact, fields: ContactFields, org: Org | None = None) -> Contact:
    for key, value in fields.cleaned().items():
        if key == "name" and not value:
            raise InvalidInput("a contact needs a name")
        setattr(contact, key, value)
    if org:
        contact.org_id = ident(org.id)
    s.add(contact)
    s.flush()
    return contact


def find_contact(s: Session, ref: str | int, orgs: list[Org] | None = None) -> Contact:
    """A contact by id, e-mail or an unambiguous part of the name; among `orgs`' if given.

    Example: find_contact(s, "Kari", [mek])
    """
    query = select(Contact.id, Contact.name, Contact.email).order_by(col(Contact.id))
    if orgs is not None:
        query = query.where(col(Contact.org_id).in_([o.id for o in orgs]))
    within = f"at {', '.join(o.name for o in orgs)}" if orgs else ""
    found = pick(str(ref), (Named(ident(i), name, (mail.casefold(),) if mail else ())
                            for i, name, mail in s.exec(query)), CONTACT, within=within)
    return s.get_one(Contact, found.id)


def list_contacts(s: Session, org: Org | None = None, *, whose: brokers.Whose | None = None,
                  limit: int | None = None) -> Page:
    """The first `limit` contacts (None: all), by org and name."""
    query = select(Contact, Org.name).join(Org).order_by(Org.name, Contact.name)
    if org:
        query = query.where(Contact.org_id == org.id)
    query = brokers.only(query, Contact, whose)
    return paged(s, query, limit, lambda c, org_name: contact_row(c) | {"org": org_name})


def contact_row(c: Contact) -> dict:
    return {"id": c.id, "org_id": c.org_id, "name": c.name, "role": c.role,
            "email": c.email, "phone": c.phone, "broker": c.broker}
