"""The xlsx writer: typed cells that read back as they were given."""

import io
from datetime import date, datetime

import openpyxl

from megler.spreadsheet import workbook


def _read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_cells_read_back_with_their_types():
    book = _read(workbook([("needs", ["id", "date", "text", "people", "rd_experience", "note"], [
        (1, "2026-09-15", "=1+1", 6, 1, ""),
        (2, None, "Sveis\nog stål æøå", 2.5, 0, "bell\x07"),
    ])]))
    first, second = list(book["needs"].iter_rows(min_row=2))
    assert [c.value for c in first] == [1, datetime(2026, 9, 15), "=1+1", 6, True, None]
    assert first[2].data_type == "s"  # a formula typed by a broker is text
    assert [c.value for c in second] == [2, None, "Sveis\nog stål æøå", 2.5, False, "bell\ufffd"]


def test_days_are_dates_only_in_the_day_columns():
    book = _read(workbook([("visits", ["date", "created", "name", "employees", "value"],
                            [("2026-09-15", "2026-09-15 08:30:00", "2026-09-15", 1, date(2026, 7, 1))])]))
    assert [c.value for c in book["visits"][2]] == [
        datetime(2026, 9, 15), datetime(2026, 9, 15), "2026-09-15", 1, datetime(2026, 7, 1)]


def test_an_empty_table_is_a_sheet_with_its_header():
    book = _read(workbook([("contacts", ["id", "name"], [])]))
    assert [[c.value for c in row] for row in book["contacts"].iter_rows()] == [["id", "name"]]
    assert book["contacts"].freeze_panes == "A2"


def test_wide_sheets_markup_characters_and_styles_read_back():
    """Column letters past Z, text that looks like XML or a formula, a bold frozen header,
    and a long note wrapped in its capped column: as openpyxl (Excel's reader) sees them."""
    header = [f"c{i}" for i in range(30)]
    note = "Kurs <b>&</b> «æøå» " * 10
    book = _read(workbook([("visits", header, [[note if i == 29 else i for i in range(30)]])]))
    sheet = book["visits"]
    assert sheet["AD1"].value == "c29" and sheet["AD1"].font.b and sheet.freeze_panes == "A2"
    assert sheet["AD2"].value == note  # its trailing space too
    assert sheet["AD2"].alignment.wrap_text and sheet.column_dimensions["AD"].width == 62
    assert sheet["Z2"].value == 25 and not sheet["A2"].alignment.wrap_text


def test_many_sheets_keep_their_order_and_names():
    names = ["orgs", "contacts", "visits", "needs", "referrals", "followups", "figures"]
    book = _read(workbook([(name, ["id"], [(n,)]) for n, name in enumerate(names)]))
    assert book.sheetnames == names
    assert [book[name]["A2"].value for name in names] == list(range(len(names)))
