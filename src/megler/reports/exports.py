"""Exports for other tools: visits, needs or referrals as CSV for a spreadsheet, and the
open follow-ups as an iCalendar file for the broker's calendar.
"""

import csv
import io
from datetime import date, timedelta

from sqlmodel import Session

from megler.clock import now
from megler.errors import InvalidInput
from megler.reports.db import rows

WHAT = ("visits", "needs", "referrals")

_QUERIES = {
    "visits": """
        SELECT v.id, v.date, v.kind,
               (SELECT group_concat(o.name, '; ') FROM
                  (SELECT o.name FROM visitorg vo JOIN org o ON o.id = vo.org_id
                   WHERE vo.visit_id = v.id ORDER BY vo.position) o) AS orgs,
               v.since_last, v.next_steps, v.notes
        FROM visit v ORDER BY v.date, v.id""",
    "needs": """
        SELECT n.id, n.date, n.org_id, o.name AS org, n.kind, n.status, n.people, n.text,
               n.visit_id, n.closed_on
        FROM need n JOIN org o ON o.id = n.org_id ORDER BY n.date, n.id""",
    "referrals": """
        SELECT r.id, r.date, r.need_id, o.name AS org, r.target, c.kind AS target_kind,
               COALESCE(c.agency, c.provider) AS agency, r.status, r.amount_applied,
               r.amount_granted, r.participants, r.note
        FROM referral r JOIN need n ON n.id = r.need_id JOIN org o ON o.id = n.org_id
        LEFT JOIN catalogentry c ON c.id = r.entry_id ORDER BY r.date, r.id""",
}
_COLUMNS = {
    "visits": ["id", "date", "kind", "orgs", "since_last", "next_steps", "notes"],
    "needs": ["id", "date", "org_id", "org", "kind", "status", "people", "text", "visit_id",
              "closed_on"],
    "referrals": ["id", "date", "need_id", "org", "target", "target_kind", "agency", "status",
                  "amount_applied", "amount_granted", "participants", "note"],
}


def export_csv(s: Session, what: str) -> str:
    """All visits, needs or referrals as CSV with a header row, oldest first.

    Example: export_csv(s, "needs") starts `id,date,org_id,org,kind,status,...`
    """
    if what not in WHAT:
        raise InvalidInput(f"cannot export {what!r} as CSV (choose from {', '.join(WHAT)})")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS[what])
    writer.writerows([_safe(v) for v in row] for row in rows(s, _QUERIES[what]))
    return out.getvalue()


def _safe(value: object) -> object:
    """A spreadsheet runs a cell starting with = + - @ as a formula; a note typed as
    "=HYPERLINK(...)" must stay text, so such cells get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def followups_ics(s: Session) -> bytes:
    """The open follow-ups as all-day events on their due dates (an .ics file).

    Events rather than to-dos: every calendar shows events, few show to-dos. The
    UID is stable, so importing the file again updates the events it made before.
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//megler//follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "megler")
    stamp = now()
    for fid, due, text, org, need_id, referral_id in rows(s, """
            SELECT f.id, f.due, f.text, o.name, f.need_id, f.referral_id
            FROM followup f LEFT JOIN org o ON o.id = f.org_id
            WHERE f.done_on IS NULL ORDER BY f.due, f.id"""):
        day = date.fromisoformat(due)
        event = Event()
        event.add("uid", f"followup-{fid}@megler")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"{org}: {text}" if org else text)
        event.add("description", _description(fid, org, need_id, referral_id))
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
        calendar.add_component(event)
    return calendar.to_ical()


def _description(fid: int, org: str | None, need_id: int | None, referral_id: int | None) -> str:
    lines = [f"megler follow-up #{fid}" + (f" ({org})" if org else "")]
    if need_id:
        lines.append(f"need #{need_id}")
    if referral_id:
        lines.append(f"referral #{referral_id}")
    lines.append(f"Done? megler followup done {fid}")
    return "\n".join(lines)
