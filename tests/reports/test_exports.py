"""CSV and xlsx exports for spreadsheets and the follow-ups as an iCalendar file."""

import csv
import io
import os
import stat
from datetime import date, datetime

import openpyxl
import pytest
from icalendar import Calendar

from megler import store
from megler.errors import InvalidInput, MeglerError
from megler.export import WHAT, export_csv
from megler.files import PLAIN, SPREADSHEET, csv_dialect, csv_text, write_private
from megler.followups import followups_ics
from megler.needs import add_need
from megler.orgs import OrgFields, add_org
from tests.helpers import assert_user_error, count
from tests.reports.conftest import figures

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


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


# What each noun's CSV and sheet count: the scenario's rows of its table.
TABLE_OF = {"orgs": "org", "contacts": "contact", "visits": "visit", "needs": "need",
            "referrals": "referral", "followups": "followup"}


def test_every_noun_has_a_table():
    assert set(WHAT) == set(TABLE_OF)


@pytest.mark.parametrize("what", WHAT)
def test_every_noun_exports_as_csv(cli, case_db, what):
    ran = cli("export", "--format", "csv", "--what", what)
    assert ran.code == 0, ran.err
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    assert len(rows) == count(case_db, TABLE_OF[what]) > 0 and rows[0]["id"] == "1"
    assert "Fredrikstad Mek AS" in ran.out  # every noun names its org


def test_csv_in_a_file_opens_right_in_nordic_excel(cli, scenario_db, tmp_path):
    """A UTF-8 BOM (else Excel reads æøå as Ã¦Ã¸Ã¥) and `;` (Excel's list separator in
    nb and sv; with `,` every row lands in one column)."""
    out = tmp_path / "orgs.csv"
    ran = cli("export", "--format", "csv", "--what", "orgs", out, "--db", scenario_db)
    assert ran.code == 0 and ran.out == "" and str(out) in ran.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid;name;orgnr;")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert "Uddevalla Vård AB" in [r["name"] for r in rows]
    assert rows == list(csv.DictReader(io.StringIO(cli(  # the same cells as on stdout
        "export", "--format", "csv", "--what", "orgs", "--db", scenario_db).out)))


def test_csv_on_stdout_stays_plain_for_scripts(cli, scenario_db):
    out = cli("export", "--format", "csv", "--what", "visits", "--db", scenario_db).out
    assert out.startswith("id,date,kind,orgs,")


def test_the_report_figures_in_a_file_are_for_a_spreadsheet(cli, scenario_db, tmp_path):
    out = tmp_path / "tall.csv"
    assert cli("report", "-p", "2026Q3", "-f", "csv", "--out", out, "--db", scenario_db).code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["section", "figure", "key", "value"]
    shown = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert shown["needs", "median_days_to_referral", ""] == "6,5"  # a decimal comma: a number
    assert cli("report", "-p", "2026Q3", "-f", "csv", "--db", scenario_db).out.startswith(
        "section,figure,key,value\n")


def test_the_spreadsheet_dialect():
    rows = [["Sågverket i Årjäng AB", 6.5, -3, "=SUM(A1)", "a;b"]]
    assert csv_text(["org", "per", "n", "note", "x"], rows, dialect=SPREADSHEET) == (
        "\ufefforg;per;n;note;x\nSågverket i Årjäng AB;6,5;-3;'=SUM(A1);\"a;b\"\n")
    assert csv_text(["per"], [[6.5]], dialect=PLAIN) == "per\n6.5\n"
    assert csv_dialect(None) == csv_dialect("-") == PLAIN
    assert csv_dialect("ut.csv") == SPREADSHEET


# -- xlsx -----------------------------------------------------------------------------------

@pytest.fixture
def workbook(cli, scenario_db, tmp_path):
    with store.session(scenario_db, write=True) as s:  # text a spreadsheet would run
        add_need(s, add_org(s, OrgFields(name='=HYPERLINK("http://x","klikk")')), "+47 rask hjelp",
                 on=date(2026, 9, 1))
    out = tmp_path / "megler.xlsx"
    ran = cli("export", "--format", "xlsx", out, "--db", scenario_db)
    assert ran.code == 0 and ran.out == "" and str(out) in ran.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    return openpyxl.load_workbook(out)


def _sheet(book, name) -> list[dict]:
    header, *rows = book[name].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_xlsx_has_a_sheet_per_noun_and_the_figures(workbook, scenario_db):
    assert workbook.sheetnames == [*WHAT, "figures"]
    for what in WHAT:
        sheet = workbook[what]
        assert len(_sheet(workbook, what)) == count(scenario_db, TABLE_OF[what]), what
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_xlsx_cells_are_typed(workbook):
    skattefunn = next(r for r in _sheet(workbook, "referrals") if r["target"] == "SkatteFUNN")
    assert skattefunn["date"] == datetime(2026, 6, 5)  # referred on 5 June
    assert (skattefunn["amount_granted"], skattefunn["currency"]) == (1_000_000, "NOK")
    halden = next(r for r in _sheet(workbook, "orgs") if r["name"] == "Halden Fisk AS")
    assert (halden["employees"], halden["rd_experience"], halden["orgnr"]) == (120, True, None)
    visit = workbook["visits"]["B2"]
    assert visit.is_date and visit.number_format == "yyyy-mm-dd"
    done = [r["done_on"] for r in _sheet(workbook, "followups")]
    assert None in done and any(isinstance(d, datetime) for d in done)


def test_xlsx_formula_looking_text_stays_text(workbook):
    org = next(c for c in workbook["orgs"]["B"] if str(c.value).startswith("=HYPERLINK"))
    assert org.data_type == "s" and org.value == '=HYPERLINK("http://x","klikk")'
    need = next(c for c in workbook["needs"]["H"] if c.value == "+47 rask hjelp")
    assert need.data_type == "s"


def test_xlsx_columns_fit_their_text(workbook):
    widths = workbook["orgs"].column_dimensions
    assert widths["A"].width < widths["B"].width <= 62  # id narrow, names wide, never huge


def test_xlsx_figures_are_the_reports(workbook, scenario_db):
    rows = _sheet(workbook, "figures")
    shown = {(r["section"], r["figure"], r["key"]): r["value"] for r in rows}
    period = figures(scenario_db, "last-quarter")
    assert shown["period", "start", None] == datetime.fromisoformat(period["period"]["start"])
    assert shown["summary", "visits", "actual"] == period["summary"]["visits"]["actual"]
    assert shown["referrals", "nok_applied", None] == period["referrals"]["nok_applied"]


def test_xlsx_needs_a_file(cli, case_db):
    assert_user_error(cli("export", "--format", "xlsx"), "--format xlsx writes a file")


def test_unknown_export(session):
    with pytest.raises(InvalidInput):
        export_csv(session, "audit")


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
