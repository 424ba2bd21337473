"""CSV exports for spreadsheets and the follow-ups as an iCalendar file."""

import csv
import io
import os
import stat
from datetime import date

import pytest
from icalendar import Calendar

from megler import store
from megler.errors import InvalidInput, MeglerError
from megler.export import export_csv
from megler.files import write_private
from megler.followups import followups_ics
from megler.needs import add_need
from megler.orgs import OrgFields, add_org


def _rows(db, what):
    with store.session(db) as s:
        return list(csv.DictReader(io.StringIO(export_csv(s, what))))


def test_visits_csv(scenario_db):
    rows = _rows(scenario_db, "visits")
    assert len(rows) == 7
    event = next(r for r in rows if r["kind"] == "event")
    assert event["orgs"] == "Sarpsborg kommune; Moss Data AS; Uddevalla Vård AB"
    assert "\n" in next(r for r in rows if r["date"] == "2026-08-15")["since_last"]


def test_needs_and_referrals_csv(scenario_db):
    needs = _rows(scenario_db, "needs")
    assert len(needs) == 6 and {"org", "kind", "status", "closed_on"} <= set(needs[0])
    referrals = _rows(scenario_db, "referrals")
    skattefunn = next(r for r in referrals if r["target"] == "SkatteFUNN")
    assert (skattefunn["target_kind"], skattefunn["agency"], skattefunn["status"]) == (
        "instrument", "Forskningsrådet", "granted")
    assert skattefunn["amount_granted"] == "1000000"


def test_a_formula_stays_text(session):
    org = add_org(session, OrgFields(name='=HYPERLINK("http://x")'))
    add_need(session, org, "-rask hjelp", on=date(2026, 9, 1))
    out = export_csv(session, "needs")
    assert "'=HYPERLINK" in out and "'-rask hjelp" in out


def test_unknown_export(session):
    with pytest.raises(InvalidInput):
        export_csv(session, "contacts")


def test_open_followups_as_calendar_events(scenario_db):
    with store.session(scenario_db) as s:
        calendar = Calendar.from_ical(followups_ics(s))
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Halden Fisk AS: Introdusere Halden Fisk for SINTEF",
        "Sarpsborg kommune: Planlegge møte med Sarpsborg"]
    first = events[0]
    assert first.decoded("dtstart").isoformat() == "2026-11-10"
    assert first.decoded("dtend").isoformat() == "2026-11-11"
    assert str(first["uid"]).startswith("followup-") and "@megler" in str(first["uid"])


def test_write_private_is_atomic_and_0600(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("old")
    write_private(target, "ny rapport æøå")
    assert target.read_text(encoding="utf-8") == "ny rapport æøå"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temporary file left
    with pytest.raises(MeglerError):
        write_private(tmp_path / "missing" / "r.md", b"x")
