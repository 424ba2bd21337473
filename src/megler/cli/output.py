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
from collections.abc import Iterable, Sized
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


def deliver(data: str | bytes | Iterable[str], file: Path | None, done: str, *,
            force: bool = False) -> None:
    """Data (whole, or text in pieces as they come) to stdout (no FILE, or `-`), or to FILE,
    atomic and private, with a word on stderr when done. An existing FILE is replaced only
    with `force`; a link, a device, a pipe or a folder never (replacing /dev/stdout as root
    would be a disaster)."""
    if file is None or str(file) == "-":
        for piece in [data] if isinstance(data, (str, bytes)) else data:
            _to_stdout(piece if isinstance(piece, str) else piece.decode("utf-8"))
        return None
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
           columns: list[str] | None = None, title: str | None = None,
           marks: tuple[str, str] | None = None) -> None:
    """Print rows (a list) or one record (a dict, nested lists shown as sub-tables).
    Text between `marks` is highlighted in a table; JSON and CSV leave the marks out."""
    if marks and fmt != Format.table and isinstance(data, list):
        data = [{k: _unmarked(v, marks) if isinstance(v, str) else v for k, v in row.items()}
                for row in data]
    if fmt == Format.json:
        from megler.files import json_text

        _to_stdout(json_text(data))
    elif fmt == Format.csv:
        rows = data if isinstance(data, list) else [_scalars(data)]
        _to_stdout(_csv(rows, columns))
    elif isinstance(data, list):
        _print_table(data, columns, title, marks)
    else:
        _print_record(data, title)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):  # a score: one decimal in every table, as in explanations
        return f"{value:.1f}"
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


def table(rows: list[dict], columns: list[str] | None = None, title: str | None = None,
          marks: tuple[str, str] | None = None):
    """Rows as a table that fits the terminal (megler.cli.tables), else as records.
    Text between `marks` (search's matched words) shows in bold."""
    from rich import box
    from rich.table import Table

    from megler.cli import tables

    columns = columns or (list(rows[0]) if rows else [])
    cells = [[_shown(row.get(c), c, row) for c in columns] for row in rows]
    # escaped before measuring: `\x1b` takes four columns on screen
    plain = [[escape_controls(_unmarked(cell, marks)) for cell in row] for row in cells]
    keep, widths = tables.fit(columns, plain, console().width)
    columns, cells = [columns[i] for i in keep], [[row[i] for i in keep] for row in cells]
    if widths is None:
        return _records(columns, cells, title, marks)
    grid = Table(title=title and text(title), box=box.SIMPLE_HEAD, title_justify="left",
                 title_style="bold", show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for column, width in zip(columns, widths, strict=True):
        # a token never wraps; text wraps at spaces and cuts a word too long with "…"
        grid.add_column(text(tables.header(column), no_wrap=False, overflow="ellipsis"),
                        width=width, no_wrap=tables.is_token(column), overflow="ellipsis")
    for row in cells:
        grid.add_row(*(_marked(cell, marks) for cell in row))
    return grid


def _records(columns: list[str], cells: list[list[str]], title: str | None,
             marks: tuple[str, str] | None):
    """A table too wide for the terminal: one "field  value" block per row."""
    from rich.console import Group

    from megler.cli import tables

    blocks = [_fields([(tables.header(column), _marked(value, marks))
                       for column, value in zip(columns, row, strict=True) if value])
              for row in cells]
    heading = [text(title, style="bold")] if title else []
    return Group(*heading, *(part for block in blocks for part in (block, text(""))))


def _fields(pairs: list[tuple[str, Any]]):
    """A record: each value beside its field, whole (a word longer than the line folds)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for field, value in pairs:
        grid.add_row(text(field), value if not isinstance(value, str) else text(value))
    return grid


def _unmarked(cell: str, marks: tuple[str, str] | None) -> str:
    return cell.replace(marks[0], "").replace(marks[1], "") if marks else cell


def _marked(cell: str, marks: tuple[str, str] | None):
    """The cell as Rich text, the parts between marks in bold."""
    if not marks:
        return text(cell)
    shown = text("")
    for i, part in enumerate(cell.replace(marks[1], marks[0]).split(marks[0])):
        shown.append(text(part, style="bold yellow" if i % 2 else ""))
    return shown


def _print_table(rows: list[dict], columns: list[str] | None, title: str | None,
                 marks: tuple[str, str] | None = None) -> None:
    if not rows:
        say(f"{title + ': ' if title else ''}nothing to show")
        return
    console().print(table(rows, columns, title, marks))


def _print_record(record: dict, title: str | None) -> None:
    if title:
        console().print(text(title, style="bold"))
    console().print(_fields([(key.replace("_", " "), _shown(value, key, record))
                             for key, value in _scalars(record).items()]))
    for key, value in record.items():
        if isinstance(value, list) and value:
            console().print(table(value, title=TITLES.get(key, key.replace("_", " ").capitalize())))


_bars: list[str] = []  # the bars being drawn: one at a time, a step inside a step draws none


def progress(items: Iterable, description: str, total: int | None = None):
    """Iterate with a progress bar on stderr when a person is watching; plainly otherwise
    (megler.progress.steps calls it for the domain's long steps). A single step, or one
    of unknown length, draws a pulsing bar, which moves while it works."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    if not sys.stderr.isatty() or total == 0 or _bars:
        yield from items
        return
    from rich.progress import Progress, TimeElapsedColumn

    _bars.append(description)
    try:
        with Progress(*Progress.get_default_columns(), TimeElapsedColumn(),
                      console=err_console(), transient=True) as bar:
            task = bar.add_task(description, total=total if total and total > 1 else None)
            for item in items:
                yield item
                bar.advance(task)
    finally:
        _bars.pop()
