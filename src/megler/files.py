"""What megler writes: files (reports, exports, calendars, settings, caches), JSON and CSV text."""

import csv
import datetime as dt
import enum
import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from megler.errors import MeglerError
from megler.text import CONTROL


def write_private(path: str | Path, data: str | bytes) -> None:
    """Write atomically (a temporary file in the same folder, then rename), mode 0600.

    A reader never sees half a file, a failed write leaves the old one, and what
    megler writes is the user's alone, whatever the umask.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as e:
        raise MeglerError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
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
    dumped = json.dumps(data, ensure_ascii=False, indent=indent, default=_plain)
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped) + "\n"


# A spreadsheet runs a cell that starts with one of these as a formula (or a DDE call).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]],
             cell: Callable[[object], str] = lambda v: "" if v is None else str(v)) -> str:
    """The one CSV writer: a header, then rows, each line ending in a newline.

    Text is quoted when it holds a comma, a quote, CR or LF, so a stray CR never splits
    a row (csv quotes CR only if it ends lines: each row is made with CRLF and given LF).
    Text starting as a formula gets a leading apostrophe, so "=HYPERLINK(...)" stays
    text; other values become `cell(value)`, and a negative number stays a number.
    """
    out, line = io.StringIO(), io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")
    for row in itertools.chain([header], rows):
        line.seek(0)
        line.truncate()
        writer.writerow([_inert(v) if isinstance(v, str) else cell(v) for v in row])
        out.write(line.getvalue()[:-2] + "\n")
    return out.getvalue()


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (enum.Enum, os.PathLike)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
