"""The one renderer: rows and records as a Rich table, JSON or CSV.

stdout carries data, stderr carries talk. Rich leaves out colour when stdout is not
a terminal or NO_COLOR is set; JSON keeps æøå as they are.

Everything megler shows passes through here, so here text from the store or the
command line is made safe to show, once: control characters escaped (megler.text),
Rich markup and emoji codes never read. Only this module makes Rich text.
"""

import datetime as dt
import os
import stat
import sys
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from megler.errors import InvalidInput
from megler.text import escape_controls


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


# Sub-table titles that differ from their key, spelt as the commands of the same name say.
TITLES = {"followups": "Follow-ups"}


@cache
def console():
    # Piped tables get room to breathe instead of the 80 columns Rich assumes without a terminal.
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return _safe_console(width=160 if piped else None)


@cache
def err_console():
    return _safe_console(stderr=True, soft_wrap=True)


def _safe_console(**options):
    """A Rich console that shows a plain string as written: "[Helgeland]" is no markup,
    ":warning:" no emoji, and an escape sequence arrives as the text `\\x1b[2J`."""
    from rich.console import Console

    class Safe(Console):
        def render_str(self, text: str, **kwargs):
            return super().render_str(escape_controls(text), **kwargs)

    return Safe(highlight=False, markup=False, emoji=False, **options)


def text(value: str, style: str = "", **options):
    """The one way data becomes Rich text (a cell, a title, a prompt): escaped, never markup."""
    from rich.text import Text

    return Text(escape_controls(value), style=style, **options)


def say(message: str) -> None:
    """Talk to the person at the keyboard (stderr, so stdout stays data)."""
    err_console().print(message)


def error(message: str) -> None:
    err_console().print(text("Error:", "bold red") + " " + text(message), soft_wrap=True)


def deliver(data: str | bytes, file: Path | None, done: str, *, force: bool = False) -> None:
    """Data to stdout (no FILE, or `-`), or to FILE, atomic and private, with a word on
    stderr when done. An existing FILE is replaced only with `force`; a link, a device,
    a pipe or a folder never (replacing /dev/stdout as root would be a disaster)."""
    if file is None or str(file) == "-":
        return _to_stdout(data if isinstance(data, str) else data.decode("utf-8"))
    from megler.files import write_private

    _may_write(file, force)
    write_private(file, data)
    say(done)


def _may_write(file: Path, force: bool) -> None:
    try:
        mode = file.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise InvalidInput(f"cannot write {file}: {e.strerror}") from None
    if stat.S_ISLNK(mode):
        raise InvalidInput(f"{file} is a symlink; megler does not replace links: name the "
                           "file itself, a new one, or - for stdout")
    if stat.S_ISDIR(mode):
        raise InvalidInput(f"{file} is a folder; name a file in it")
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{file} is not a regular file (a device or a pipe); name a file")
    if not force:
        raise InvalidInput(f"{file} exists already; add --force to replace it")


def _to_stdout(data: str) -> None:
    """Data as it is into a pipe or a file; on a terminal, its control characters escaped."""
    sys.stdout.write(escape_controls(data) if sys.stdout.isatty() else data)


def render(data: list[dict] | dict, fmt: Format = Format.table, *,
           columns: list[str] | None = None, title: str | None = None) -> None:
    """Print rows (a list) or one record (a dict, nested lists shown as sub-tables)."""
    if fmt == Format.json:
        from megler.files import json_text

        _to_stdout(json_text(data))
    elif fmt == Format.csv:
        rows = data if isinstance(data, list) else [_scalars(data)]
        _to_stdout(_csv(rows, columns))
    elif isinstance(data, list):
        _print_table(data, columns, title)
    else:
        _print_record(data, title)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _shown(value: Any, column: str, row: dict) -> str:
    """A cell for people: kroner grouped by thousands, with the row's currency
    (1 200 000 NOK); CSV and JSON keep plain digits and the currency apart."""
    if isinstance(value, int) and not isinstance(value, bool) and column.startswith("amount"):
        return f"{value:,}".replace(",", "\u00a0") + (f"\u00a0{row['currency']}" if row.get("currency") else "")
    return _cell(value)


def _scalars(record: dict) -> dict:
    return {k: v for k, v in record.items() if not isinstance(v, (list, dict))}


def _csv(rows: list[dict], columns: list[str] | None) -> str:
    from megler.files import csv_text

    columns = columns or (list(rows[0]) if rows else [])
    return csv_text(columns, ([row.get(k) for k in columns] for row in rows), cell=_cell)


def table(rows: list[dict], columns: list[str] | None = None, title: str | None = None):
    from rich import box
    from rich.table import Table

    columns = columns or (list(rows[0]) if rows else [])
    # escaped before measuring: `\x1b` takes four columns on screen
    cells = [[escape_controls(_shown(row.get(c), c, row)) for c in columns] for row in rows]
    if cells and _cramped(columns, cells):  # a column with nothing in it can go first
        keep = [i for i in range(len(columns)) if any(row[i] for row in cells)]
        columns, cells = [columns[i] for i in keep], [[row[i] for i in keep] for row in cells]
    grid = Table(title=title and text(title), box=box.SIMPLE_HEAD, title_justify="left",
                 title_style="bold")
    for i, (column, width) in enumerate(zip(columns, _widths(columns, cells), strict=True)):
        # Ids, dates and statuses stay on one line (a date cut short is a wrong date);
        # names and text wrap, and a long word in them (a compound) folds.
        grid.add_column(text(column.replace("_", " "), no_wrap=False, overflow="fold"),
                        width=width, no_wrap=_atomic(cells, i), overflow="fold")
    for row in cells:
        grid.add_row(*map(text, row))
    return grid


SHORT = 14  # the longest cell of a column of ids, dates or statuses


def _atomic(cells: list[list[str]], i: int) -> bool:
    return all(len(row[i]) <= SHORT and " " not in row[i] for row in cells)


def _room(columns: list[str]) -> int:
    return console().width - 3 * len(columns) - 1  # padding, the gaps and the two edges


def _fits(columns: list[str], cells: list[list[str]]) -> bool:
    longest = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    return sum(longest) <= _room(columns)


def _cramped(columns: list[str], cells: list[list[str]]) -> bool:
    """Too narrow for ids, dates and statuses with their headers and a name per text column."""
    atomic = [_atomic(cells, i) for i in range(len(columns))]
    fixed = sum(max([len(w) for w in c.split("_")] + [len(row[i]) for row in cells])
                for i, c in enumerate(columns) if atomic[i])
    return fixed + 12 * atomic.count(False) > _room(columns)


def _widths(columns: list[str], cells: list[list[str]]) -> list[int | None]:
    """Fixed widths for a terminal too narrow for the table, else None (Rich decides).

    Rich would shrink every column alike, cutting dates and dropping whole text
    columns. Here ids, dates and statuses keep their width (their headers wrap if
    need be) and the text columns share what is left.
    """
    if _fits(columns, cells):
        return [None] * len(columns)
    longest = [max([len(row[i]) for row in cells] + [2]) for i in range(len(columns))]
    atomic = [_atomic(cells, i) for i in range(len(columns))]
    texts = atomic.count(False) or 1
    for word in (99, SHORT, 5, 2):  # a header on one line, else its words, if there is room
        fixed = [max(n, min(word, len(c) if word == 99 else max(map(len, c.split("_")))))
                 for n, c in zip(longest, columns, strict=True)]
        left = _room(columns) - sum(w for w, a in zip(fixed, atomic, strict=True) if a)
        if left >= 8 * texts:
            break
    share = None if left >= 8 * texts else max(4, left // texts)
    return [w if a else share for w, a in zip(fixed, atomic, strict=True)]


def _print_table(rows: list[dict], columns: list[str] | None, title: str | None) -> None:
    if not rows:
        say(f"{title + ': ' if title else ''}nothing to show")
        return
    console().print(table(rows, columns, title))


def _print_record(record: dict, title: str | None) -> None:
    from rich.table import Table

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column()
    for key, value in _scalars(record).items():
        fields.add_row(text(key.replace("_", " ")), text(_shown(value, key, record)))
    if title:
        console().print(text(title, style="bold"))
    console().print(fields)
    for key, value in record.items():
        if isinstance(value, list) and value:
            console().print(table(value, title=TITLES.get(key, key.replace("_", " ").capitalize())))


def progress(items: list, description: str):
    """Iterate with a progress bar on stderr when a person is watching; plainly otherwise."""
    if not sys.stderr.isatty() or len(items) < 2:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=description, console=err_console(), transient=True)
