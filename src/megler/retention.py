"""megler retention: contacts kept no longer than needed.

A contact not met at a visit for the retention period (the setting
`retention_months`, 36 unless set) is listed; `--apply` erases them as
`contact erase --redact` does (megler.privacy).
"""

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from megler.clock import local
from megler.errors import InvalidInput
from megler.limits import FIRST_DAY
from megler.models import Audit, Contact, Org, Visit, VisitContact
from megler.parse import parse_date


def stale_contacts(s: Session, months: int, today: date) -> list[dict]:
    """Contacts not met at a visit for `months`, oldest first.

    A contact never seen at a visit counts from when it was last recorded or changed
    (the audit log), or, if it predates the log, from when its org was added.
    """
    if months < 1:
        raise InvalidInput(f"months must be at least 1: {months}")
    if months > _months_kept(today):
        return []  # the cutoff lies before any date megler keeps: nobody is that old
    cutoff = parse_date(f"-{months}m", base=today)
    met = dict(s.exec(select(VisitContact.contact_id, func.max(Visit.date))
                      .join(Visit, col(Visit.id) == VisitContact.visit_id)
                      .group_by(col(VisitContact.contact_id))).all())
    recorded = dict(s.exec(select(Audit.entity_id, func.max(Audit.time))
                           .where(Audit.entity == "contact").group_by(Audit.entity_id)).all())
    rows = []
    for contact, org in s.exec(select(Contact, Org).join(Org, col(Org.id) == Contact.org_id)):
        seen, basis = _last_seen(contact, org, met, recorded)
        if seen < cutoff:
            rows.append({"id": contact.id, "name": contact.name, "org": org.name,
                         "last_seen": seen, "basis": basis})
    return sorted(rows, key=lambda r: (r["last_seen"], r["id"]))


def _months_kept(today: date) -> int:
    """Whole months from the first day megler keeps (megler.limits) to today."""
    return (today.year - FIRST_DAY.year) * 12 + today.month - FIRST_DAY.month


def _last_seen(contact: Contact, org: Org, met: dict, recorded: dict) -> tuple[date, str]:
    visit = met.get(contact.id)
    logged = recorded.get(str(contact.id))
    logged = local(logged).date() if logged else None
    candidates = [(d, why) for d, why in ((visit, "visit"), (logged, "recorded")) if d]
    if candidates:
        return max(candidates)
    return org.created, "org added"
