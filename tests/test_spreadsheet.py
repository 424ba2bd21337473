"""The xlsx writer: typed cells that read back as they were given."""

import io
from datetime import date, datetime

import openpyxl

from megler.spreadsheet import typed, workbook


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


def test_typed_leaves_other_columns_as_they_are():
    assert typed("date", "2026-09-15") == date(2026, 9, 15)
    assert typed("created", "2026-09-15 08:30:00") == date(2026, 9, 15)
    assert typed("employees", 1) == 1 and typed("name", "2026-09-15") == "2026-09-15"


def test_an_empty_table_is_a_sheet_with_its_header():
    book = _read(workbook([("contacts", ["id", "name"], [])]))
    assert [[c.value for c in row] for row in book["contacts"].iter_rows()] == [["id", "name"]]
    assert book["contacts"].freeze_panes == "A2"


def test_a_day_given_as_a_date_is_a_date():
    assert typed("value", date(2026, 7, 1)) == date(2026, 7, 1)
