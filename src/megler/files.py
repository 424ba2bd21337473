"""What megler writes: files (reports, exports, calendars, settings, caches), JSON and CSV text."""

import csv
import datetime as dt
import enum
import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from megler.errors import MeglerError
from megler.text import CONTROL


def write_private(path: str | Path, data: str | bytes | Iterable[str]) -> None:
    """Write atomically (a temporary file in the same folder, then rename), mode 0600.

    A reader never sees half a file, a failed write leaves the old one, and what
    megler writes is the user's alone, whatever the umask. `data` may come in pieces
    (json_chunks), written as they come.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as e:
        raise MeglerError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in [data] if isinstance(data, (str, bytes)) else data:
                f.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        os.chmod(tmp, 0o600)  # mkstemp makes it 0600 already; say so for other platforms
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise MeglerError(f"cannot write {path}: {e.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_text(data: object, indent: int = 2) -> str:
    """The one JSON dumper: æøå as they are, dates in ISO form, a newline at the end.

    json.dumps escapes C0 but leaves C1, bidi overrides and line separators raw; they
    can stand only inside strings, so `\\u202e` there is the same JSON, safe to show.
    """
    return "".join(json_chunks(data, indent))


@dataclass
class Encoded:
    """An array whose items are already JSON text, a batch at a time (rows SQLite wrote
    with json_object): json_chunks writes them as they are."""

    batches: Iterator[list[str]]


@dataclass
class Fields:
    """A JSON object given as its (key, value) pairs, written as they come (json_chunks)."""

    pairs: Iterable[tuple[str, object]]


def json_chunks(data: object, indent: int = 2) -> Iterator[str]:
    """`json_text` in pieces: a `Fields` object and an iterator (an array) are written part
    by part as they come, so a document of a million rows is never held whole. An
    iterator's items are written one a line, and everything else as `json_text` does."""
    for chunk in _chunks(data, indent, 0):  # CONTROL has no ASCII but DEL: a fast path
        plain = chunk.isascii() and "\x7f" not in chunk
        yield chunk if plain else CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", chunk)
    yield "\n"


def _chunks(data: object, indent: int, depth: int) -> Iterator[str]:
    if isinstance(data, Fields) or (isinstance(data, dict) and any(map(_streamed, data.values()))):
        pairs = data.pairs if isinstance(data, Fields) else data.items()
        labelled = ((json.dumps(key, ensure_ascii=False) + ": ", value) for key, value in pairs)
        yield from _container("{}", labelled, indent, depth)
    elif isinstance(data, (Iterator, Encoded)):
        yield from _lines(data, indent, depth)
    else:  # JSON holds no raw newline inside a string: each one here is indentation
        dumped = json.dumps(data, ensure_ascii=False, indent=indent, default=_plain)
        yield dumped.replace("\n", "\n" + " " * indent * depth)


def _lines(items: Iterator | Encoded, indent: int, depth: int) -> Iterator[str]:
    """An array of one item a line, a batch of lines a piece: a row is read at a glance,
    and C's encoder (no indent) writes a decade's store in seconds."""
    inner = "\n" + " " * indent * (depth + 1)
    opening = "["
    for lines in items.batches if isinstance(items, Encoded) else _encoded(items):
        yield opening + inner + ("," + inner).join(lines)
        opening = ","
    yield "[]" if opening == "[" else "\n" + " " * indent * depth + "]"


def _encoded(items: Iterator, batch: int = 1000) -> Iterator[list[str]]:
    encode = json.JSONEncoder(ensure_ascii=False, default=_plain, separators=(", ", ": ")).encode
    while lines := [encode(item) for item in itertools.islice(items, batch)]:
        yield lines


def _streamed(value: object) -> bool:
    return isinstance(value, (Fields, Iterator, Encoded))


def _container(brackets: str, parts: Iterable[tuple[str, object]], indent: int, depth: int) -> Iterator[str]:
    """An object or array as json.dumps indents it: `[]` when empty, else one part a line."""
    inner, first = "\n" + " " * indent * (depth + 1), True
    for label, value in parts:
        yield (brackets[0] if first else ",") + inner + label
        first = False
        yield from _chunks(value, indent, depth + 1)
    yield brackets if first else "\n" + " " * indent * depth + brackets[1]


# A spreadsheet runs a cell that starts with one of these as a formula (or a DDE call).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV is spelt: the column separator, a byte-order mark, the decimal mark."""

    separator: str = ","
    bom: str = ""
    decimal: str = "."


# For scripts (stdout): RFC 4180. For a spreadsheet (a file): Excel in a Norwegian or
# Swedish locale splits columns only at its list separator ";", reads a file as UTF-8 only
# after a BOM (else æøå come out as Ã¦Ã¸Ã¥), and reads 6,5 as a number where 6.5 is text.
PLAIN = CsvDialect()
SPREADSHEET = CsvDialect(separator=";", bom="\ufeff", decimal=",")


def csv_dialect(path: str | Path | None) -> CsvDialect:
    """The one rule: CSV written to a file is for a spreadsheet; on stdout (None or -) for scripts."""
    return PLAIN if path is None or str(path) == "-" else SPREADSHEET


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]],
             cell: Callable[[object], str] = lambda v: "" if v is None else str(v),
             dialect: CsvDialect = PLAIN) -> str:
    """The one CSV writer: a header, then rows, each line ending in a newline.

    Text is quoted when it holds the separator, a quote, CR or LF, so a stray CR never
    splits a row (csv quotes CR only if it ends lines: each row is made with CRLF and given
    LF). Text starting as a formula gets a leading apostrophe, so "=HYPERLINK(...)" stays
    text; other values become `cell(value)`, and a negative number stays a number.
    """
    out, line = io.StringIO(), io.StringIO()
    out.write(dialect.bom)
    writer = csv.writer(line, delimiter=dialect.separator, lineterminator="\r\n")
    for row in itertools.chain([header], rows):
        line.seek(0)
        line.truncate()
        writer.writerow([_csv_cell(v, cell, dialect) for v in row])
        out.write(line.getvalue()[:-2] + "\n")
    return out.getvalue()


def _csv_cell(value: object, cell: Callable[[object], str], dialect: CsvDialect) -> str:
    if isinstance(value, str):
        return _inert(value)
    if isinstance(value, float) and dialect.decimal != ".":
        return cell(value).replace(".", dialect.decimal)
    return cell(value)


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (enum.Enum, os.PathLike)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
