"""Reading the registers' bulk files as published, a piece at a time.

A file may be gzipped (Enhetsregisteret's `enheter_alle.json.gz`), zipped (Bolagsverket's
bulk file) or plain; it holds a JSON array of units or a table of text with a header row
(`;` or `,` between columns). Memory stays flat in the file's size: the JSON array is
decoded one unit at a time from a window of the text (json.JSONDecoder.raw_decode), the
table one row at a time.
"""

import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TextIO

from megler.errors import InvalidInput

CHUNK = 1 << 20           # characters read at a time
MAX_UNIT = 16 << 20       # no unit of a register is this long: the file is not one
HEAD = 1 << 16            # what is read to tell the format
_GAP = re.compile(r"[\s,]*")


@dataclass
class Bulk:
    """An opened bulk file: its format (`json` or `table`), and its text from the start."""

    format: str
    header: list[str]            # a table's column names ([] for JSON)
    text: TextIO
    head: str                    # what was read to tell the format, not yet consumed
    delimiter: str = ","

    def records(self) -> Iterator:
        if self.format == "json":
            return json_array(chain([self.head], iter(lambda: self.text.read(CHUNK), "")))
        return table_rows(self)


@contextmanager
def opened(path: Path) -> Iterator[Bulk]:
    """The bulk file at `path`, however packed; one clear line if it is none megler reads."""
    try:
        with _raw(path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
            yield _told_apart(text, path)
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text (the registers publish UTF-8)") from None
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as e:
        raise InvalidInput(f"cannot read {path.name}: {getattr(e, 'strerror', None) or e}") from None


@contextmanager
def _raw(path: Path) -> Iterator:
    with open(path, "rb") as file:
        magic = file.read(4)
        file.seek(0)
        if magic[:2] == b"\x1f\x8b":
            with gzip.open(file) as unpacked:
                yield unpacked
        elif magic == b"PK\x03\x04":
            with zipfile.ZipFile(file) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise InvalidInput(f"{path.name}: the zip file holds no file")
                with archive.open(max(members, key=lambda m: m.file_size)) as unpacked:
                    yield unpacked
        else:
            yield file


def _told_apart(text: TextIO, path: Path) -> Bulk:
    head = text.read(HEAD)
    if head.lstrip().startswith("["):
        return Bulk("json", [], text, head)
    head += text.readline()  # whole lines, for the table's reader
    first = head.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    if len(header) < 2:
        raise InvalidInput(f"{path.name}: neither a JSON array of units nor a table with a header row")
    rest = head.split("\n", 1)[1] if "\n" in head else ""
    return Bulk("table", [h.strip() for h in header], text, rest, delimiter)


def table_rows(bulk: Bulk) -> Iterator[dict[str, str]]:
    """The rows after the header, by column name."""
    lines = chain(io.StringIO(bulk.head), bulk.text)
    return csv.DictReader(lines, fieldnames=bulk.header, delimiter=bulk.delimiter)


def json_array(chunks: Iterator[str]) -> Iterator[object]:
    """The items of a JSON array whose text comes in chunks, one at a time."""
    decoder = json.JSONDecoder()
    buffer, at = "", 0
    started = False
    for piece in chain(chunks, [None]):
        if piece is None and at >= len(buffer):
            break
        buffer = buffer[at:] + (piece or "")
        at = 0
        while True:
            at = _skip(buffer, at) if started else _start(buffer)
            started = True
            if at >= len(buffer):
                break
            if buffer[at] == "]":
                return
            try:
                item, at = decoder.raw_decode(buffer, at)
            except json.JSONDecodeError as e:
                if piece is None or len(buffer) - at > MAX_UNIT:
                    raise InvalidInput(f"not a JSON array of units: {e.msg} "
                                       "(the file may be cut short)") from None
                break  # the unit goes on in the next piece
            yield item
    raise InvalidInput("not a JSON array of units: it ends before its closing ]")


def _skip(buffer: str, at: int) -> int:
    """Past the whitespace and commas between items."""
    gap = _GAP.match(buffer, at)
    return gap.end() if gap else at


def _start(buffer: str) -> int:
    at = len(buffer) - len(buffer.lstrip())
    if not buffer[at:at + 1] == "[":
        raise InvalidInput("not a JSON array of units")
    return at + 1
