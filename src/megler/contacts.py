"""Contact persons at an org: only what the broker needs to reach them."""

from dataclasses import dataclass

from sqlmodel import Session, select

from megler.errors import InvalidInput, NotFound
from megler.models import Contact, Org
from megler.parse import clean_text


@dataclass
class ContactFields:
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None

    def cleaned(self) -> dict:
        values = {k: clean_text(v) for k, v in vars(self).items() if v is not None}
        if "email" in values and values["email"] and "@" not in values["email"]:
            raise InvalidInput("not an e-mail address (it has no @)")
        return values


def add_contact(s: Session, org: Org, fields: ContactFields) -> Contact:
    values = fields.cleaned()
    if not values.get("name"):
        raise InvalidInput("a contact needs a name")
    contact = Contact(org_id=org.id, **values)
    s.add(contact)
    s.flush()
    return contact


def edit_contact(s: Session, contact: Contact, fields: ContactFields, org: Org | None = None) -> Contact:
    for key, value in fields.cleaned().items():
        if key == "name" and not value:
            raise InvalidInput("a contact needs a name")
        setattr(contact, key, value)
    if org:
        contact.org_id = org.id
    s.add(contact)
    s.flush()
    return contact


def get_contact(s: Session, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id)
    if not contact:
        raise NotFound(f"no contact #{contact_id}")
    return contact


def list_contacts(s: Session, org: Org | None = None) -> list[dict]:
    query = select(Contact, Org.name).join(Org).order_by(Org.name, Contact.name)
    if org:
        query = query.where(Contact.org_id == org.id)
    return [contact_row(c) | {"org": org_name} for c, org_name in s.exec(query)]


def contact_row(c: Contact) -> dict:
    return {"id": c.id, "org_id": c.org_id, "name": c.name, "role": c.role,
            "email": c.email, "phone": c.phone}
