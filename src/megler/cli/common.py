"""What every command shares: the option aliases, the way into the store, the question
before a destructive step.

The CLI modules import the domain (and so SQLAlchemy) inside the commands, never at
the top: `megler --help` and `megler --version` must stay as quick as Typer itself.
"""

import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from megler.cli.output import Format
from megler.errors import InvalidInput, MeglerError, NotFound
from megler.where import Where


def literal_path(ctx, param, text: str | None) -> str | None:
    """A path kept as text (--db takes it literally, `catalog import ""` is no folder),
    checked as every Path parameter is (cli.bound_values)."""
    from megler.cli import shown
    from megler.limits import check_path

    return None if text is None else check_path(text, shown(param))


ROOT_DB = "megler.db"  # ctx.meta key: the --db given before the command (megler --db X org list)


def store_path(ctx, param, text: str | None) -> str | None:
    """--db after the command, else --db before it, else $MEGLER_DB: the nearest wins."""
    source = ctx.get_parameter_source(param.name)
    if getattr(source, "name", None) != "COMMANDLINE":
        text = ctx.meta.get(ROOT_DB, text)
    return literal_path(ctx, param, text)


Db = Annotated[str | None, typer.Option(
    "--db", envvar="MEGLER_DB", metavar="PATH", show_envvar=True, callback=store_path,
    help="The store (default: megler.db in your data folder).")]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="table for people, json or csv for scripts.")]
When = Annotated[str, typer.Option("--date", "-d", metavar="DATE",
                                   help="YYYY-MM-DD, today, yesterday, +3d, -1w.")]
OrgRef = Annotated[str, typer.Argument(metavar="ORG", help="Id, org number or part of the name.")]
ContactRef = Annotated[str, typer.Argument(metavar="CONTACT", help="Id, e-mail or part of the name.")]
Out = Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE",
                                            help="Write to FILE (private, atomic) instead of stdout; - is stdout.")]
Force = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists (never a link or a device).")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; needed in scripts.")]


def app(help_text: str) -> typer.Typer:
    # completion is installed once, from `megler --install-completion`, not per command
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None,
                       add_completion=False)


@contextmanager
def opened(db: str | None, *, write: bool = False, undoable: bool = False):
    """A session on the store: one transaction, committed at the end of the block;
    an undoable one is what `megler undo` can take back. Only a writing command creates
    the store: a reading one on a mistyped --db says there is none instead of making it."""
    from megler.store import session

    writable(db) if write or undoable else existing(db)
    with session(db, write=write or undoable, undoable=undoable) as s:
        yield s


def writable(db: str | None) -> Where:
    """The store's path for a command that may create it: a file, or nothing there yet."""
    from megler.store import resolve

    path = resolve(db)
    return a_file(path) if path.exists() else path  # a URL: the server decides


def existing(db: str | None) -> Where:
    """The store's path, which must exist: a backup or a check never creates one."""
    from megler.store import resolve

    path = resolve(db)
    if not path.exists():
        import shlex

        raise NotFound(f"there is no store at {path}; create it with "
                       f"`megler init --db {shlex.quote(str(path))}`, or name the store with --db PATH")
    return a_file(path)


def a_file(path: Where) -> Where:
    """`path`, if it is a regular file: SQLite answers a folder with "disk I/O error" or
    "is its folder writable?", and /dev/null with "no transaction is active"."""
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "not a regular file"
        raise InvalidInput(f"{path} is {kind}, not a store; give the store's file")
    return path


def day(text: str) -> date:
    from megler.parse import parse_date

    return parse_date(text)


def confirm(question: str, yes: bool) -> None:
    """Ask before changing data for good; only a person at a terminal is asked.

    `--yes` answers for a script, and a script without it is refused, never left waiting.
    """
    if yes:
        return
    if not interactive():
        raise InvalidInput("this command changes data for good: add --yes to run it from a script")
    from rich.prompt import Confirm

    from megler.cli.output import err_console, text

    if not Confirm.ask(text(question), console=err_console(), default=False):
        raise MeglerError("cancelled; nothing was changed")


def delete_asking(db: str | None, yes: bool, question: Callable, remove: Callable) -> str:
    """The way every `delete` goes: `question(session)` asked (or --yes), then `remove(session)`
    in an undoable transaction; returns what `remove` says was done."""
    with opened(db) as s:
        asked = question(s)
    confirm(asked, yes)
    with opened(db, undoable=True) as s:
        done = remove(s)
    from megler.cli.output import say

    say(f"{done} (megler undo puts it back)")
    return done


def interactive() -> bool:
    return sys.stdin.isatty()


# -- every list: the first rows, and how many more there are -----------------------------

ROWS = 50  # what a list shows unless told: a screenful or two, fast at any store size
Limit = Annotated[int | None, typer.Option("--limit", min=1, metavar="N",
                                           help=f"Show the first N rows (default {ROWS}).")]
Every = Annotated[bool, typer.Option("--all", help="Show every row.")]
Mine = Annotated[bool, typer.Option("--mine", help="Only the records you recorded.")]
Broker = Annotated[str | None, typer.Option("--broker", metavar="NAME",
                                            help="Only the records broker NAME recorded.")]


def rows_wanted(every: bool, limit: int | None) -> int | None:
    """How many rows a list asks its query for; None is all of them."""
    if every and limit:
        raise InvalidInput("give --all or --limit N, not both")
    return None if every else limit or ROWS


def render_page(page, fmt: Format, **options) -> None:
    """A list's rows as `render` shows them, and on stderr how many it left out."""
    from megler.cli.output import render, say

    columns = options.get("columns")
    if columns and "broker" not in columns and len({row.get("broker") for row in page} - {None}) > 1:
        options["columns"] = [*columns, "broker"]  # who recorded which, once there are several
    render(page, fmt, **options)
    if page.more:
        say(f"… {page.more:,} more: --all or --limit N")
