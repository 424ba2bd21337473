"""What every command shares: the option aliases and the way into the store.

The CLI modules import the domain (and so SQLAlchemy) inside the commands, never at
the top: `megler --help` and `megler --version` must stay as quick as Typer itself.
"""

from contextlib import contextmanager
from datetime import date
from typing import Annotated, Optional

import typer

from megler.cli.output import Format

Db = Annotated[Optional[str], typer.Option(
    "--db", envvar="MEGLER_DB", metavar="PATH", show_envvar=True,
    help="The store (default: megler.db in your data folder).")]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="table for people, json or csv for scripts.")]
When = Annotated[str, typer.Option("--date", "-d", metavar="DATE",
                                   help="YYYY-MM-DD, today, yesterday, +3d, -1w.")]
OrgRef = Annotated[str, typer.Argument(metavar="ORG", help="Id, org number or part of the name.")]


def app(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)


@contextmanager
def opened(db: str | None, *, write: bool = False):
    """A session on the store: one transaction, committed at the end of the block."""
    from megler.store import session

    with session(db, write=write) as s:
        yield s


def day(text: str) -> date:
    from megler.parse import parse_date

    return parse_date(text)
