"""An xlsx workbook of named tables: typed cells, a frozen header row, columns sized to fit.

An xlsx file is a zip of XML parts (ECMA-376, SpreadsheetML). megler writes the few parts a
workbook of plain tables needs itself: openpyxl, which builds an element object per cell,
took three minutes for a decade's store (four million cells) where this takes seconds.
Text goes in as inline strings, so a cell is never a formula, whatever it starts with;
days are date serials with a date format; the tests read every file back with openpyxl.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice

# Columns that hold a day (ISO text in the store): a spreadsheet gets a real date.
DATE_COLUMNS = {"date", "created", "closed_on", "due", "done_on"}
# Yes/no columns (0/1 in the store).
BOOL_COLUMNS = {"rd_experience"}
WIDTH_SAMPLE = 200  # rows measured for a column's width: enough to see a column's kind
MAX_WIDTH = 60  # a wider column (a visit's notes) wraps in the cell instead
BATCH = 1000  # rows written at a time

# What XML 1.0 cannot hold: a control character left in old text would spoil the file.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet's date serials (1900 system)
# The cell styles of styles.xml, by their index.
PLAIN, DAY, HEADER, WRAPPED = range(4)

Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (_XML + f'<styleSheet {_NS}>'
           '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
           '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The workbook of (sheet name, header, rows), as the bytes of an .xlsx file."""
    out = io.BytesIO()
    names = []
    # Level 1: a decade's sheets are hundreds of MB of XML; the file is a tenth bigger
    # than at the default level and written in a third of the time.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for number, (name, header, rows) in enumerate(sheets, 1):
            names.append(name)
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                for chunk in _sheet(list(header), iter(rows)):
                    part.write(chunk.encode("utf-8"))
        for path, text in _parts(names).items():
            book.writestr(path, text)
    return out.getvalue()


def _sheet(header: list[str], rows: Iterator[Sequence[object]]) -> Iterator[str]:
    """A worksheet's XML in pieces: the header frozen and bold, the rows as they come.

    Cells carry no reference (it is optional): each row writes every cell, an empty one
    as <c/>, so each cell's place is its column. Four million cells make a decade's
    workbook, so each column's writer is chosen once, not for every cell.
    """
    first = [list(row) for row in islice(rows, WIDTH_SAMPLE)]
    widths = [_width(column, first, i) for i, column in enumerate(header)]
    writers = [_writer(column, width >= MAX_WIDTH + 2) for column, width in zip(header, widths, strict=True)]
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    yield (_XML + f'<worksheet {_NS}><sheetViews><sheetView workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           f'</sheetView></sheetViews><cols>{cols}</cols><sheetData>')
    yield "<row>" + "".join(_text(column, HEADER) for column in header) + "</row>"
    batches: Iterator[list] = chain([first], iter(lambda: list(islice(rows, BATCH)), []))
    for batch in batches:
        yield "".join(["<row>" + "".join([write(value) for write, value in zip(writers, row, strict=True)])
                       + "</row>" for row in batch])
    yield "</sheetData></worksheet>"


def _writer(column: str, wrap: bool) -> Callable[[object], str]:
    """How the column's values are written: days as dates, yes/no as booleans, numbers
    as numbers, the rest as text (in a wrapping style where the column is capped)."""
    style = WRAPPED if wrap else PLAIN

    def cell(value: object) -> str:
        if value is None or value == "":
            return "<c/>"  # an empty cell, not an empty text
        if isinstance(value, str):
            if column in DATE_COLUMNS:
                return _day(dt.date.fromisoformat(value[:10]))
            return _text(value, style)
        if isinstance(value, bool) or (isinstance(value, int) and column in BOOL_COLUMNS):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f"<c><v>{value!r}</v></c>"
        if isinstance(value, dt.date):
            return _day(value)
        return _text(str(value), style)
    return cell


def _day(day: dt.date) -> str:
    return f'<c s="{DAY}"><v>{(day - _EPOCH).days}</v></c>'


def _text(text: str, style: int) -> str:
    if not text.isprintable():  # a newline, or a control left in old text XML cannot hold
        text = _NOT_XML.sub("\ufffd", text)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


def _parts(names: list[str]) -> dict[str, str]:
    """The parts around the sheets: what each part is, and how the workbook finds them."""
    numbered = list(enumerate(names, 1))
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n, _ in numbered)
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": _XML + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>{sheets}</Types>'),
        "_rels/.rels": _XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": _XML + (
            f'<workbook {_NS} xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in numbered)
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": _XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n, _ in numbered)
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": _STYLES,
    }


def _width(column: str, rows: list[list], i: int) -> float:
    """The longest line in the column's first rows, within MAX_WIDTH, and a margin."""
    lines = [column] + [line for row in rows if row[i] is not None for line in str(row[i]).splitlines()]
    return min(max(map(len, lines)), MAX_WIDTH) + 2
