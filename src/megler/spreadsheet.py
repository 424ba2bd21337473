"""An xlsx workbook of named tables: typed cells, a frozen header row, columns sized to fit.

openpyxl is imported here only, and only when a workbook is made, so no other command
pays for it. Its write-only mode streams rows to the file instead of holding every cell.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

# Columns that hold a day (ISO text in the store): a spreadsheet gets a real date.
DATE_COLUMNS = {"date", "created", "closed_on", "due", "done_on"}
# Yes/no columns (0/1 in the store).
BOOL_COLUMNS = {"rd_experience"}
WIDTH_SAMPLE = 200  # rows measured for a column's width: enough to see a column's kind
MAX_WIDTH = 60  # a wider column (a visit's notes) wraps in the cell instead

# What XML 1.0 cannot hold: a control character left in old text would spoil the file.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The workbook of (sheet name, header, rows), as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, header, rows in sheets:
        _add_sheet(book, name, list(header), iter(rows))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add_sheet(book, name: str, header: list[str], rows) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"
    first = [list(row) for _, row in zip(range(WIDTH_SAMPLE), rows, strict=False)]
    for i, column in enumerate(header):
        sheet.column_dimensions[get_column_letter(i + 1)].width = _width(column, first, i)
    bold = Font(bold=True)
    titles = [WriteOnlyCell(sheet, column) for column in header]
    for title in titles:
        title.font = bold
    sheet.append(titles)
    for row in first:
        sheet.append(_cells(sheet, header, row))
    for row in rows:
        sheet.append(_cells(sheet, header, row))


def _cells(sheet, header: list[str], row: Sequence[object]) -> list:
    return [_cell(sheet, column, value) for column, value in zip(header, row, strict=True)]


def _cell(sheet, column: str, value: object):
    """The value itself (openpyxl types it, a date as yyyy-mm-dd), but a text that starts
    with "=" as a cell marked text: openpyxl would write it as a formula."""
    from openpyxl.cell import WriteOnlyCell

    value = typed(column, value)
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def typed(column: str, value: object) -> str | float | dt.date | None:
    """The value as the spreadsheet should hold it: days as dates, yes/no as booleans,
    numbers as numbers, the rest as text."""
    if isinstance(value, str) and column in DATE_COLUMNS:
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, int) and column in BOOL_COLUMNS:
        return bool(value)
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    return _NOT_XML.sub("\ufffd", str(value)) or None  # an empty cell, not an empty text


def _width(column: str, rows: list[list], i: int) -> float:
    """The longest line in the column's first rows, within MAX_WIDTH, and a margin."""
    lines = [column] + [line for row in rows if row[i] is not None for line in str(row[i]).splitlines()]
    return min(max(map(len, lines)), MAX_WIDTH) + 2
