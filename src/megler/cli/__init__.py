"""The command line: `megler GROUP VERB`, one module per group.

The command modules load when their command is used, so `megler --version` and any
single command start quickly. User errors (MeglerError) are printed as one line here
and exit with 1; anything else is a bug and keeps its traceback.
"""

import importlib
import os
from functools import cache
from typing import Annotated

import typer
from typer.core import TyperGroup

from megler import __version__
from megler.errors import InvalidInput, MeglerError

# Each command and group: "module:attribute" in megler.cli, in the order --help lists them.
COMMANDS = {
    "demo": "demo:demo", "due": "due:due", "match": "match:match",
    "report": "report:report", "search": "search:search", "undo": "undo:undo",
    "org": "orgs:app", "contact": "contacts:app", "visit": "visits:app", "need": "needs:app",
    "referral": "referrals:app", "followup": "followups:app", "catalog": "catalog:app",
    "goal": "goals:app", "config": "config:app",
    "init": "init:init", "export": "export:export", "import": "export:import_",
    "backup": "backup:backup", "restore": "backup:restore", "check": "check:check",
    "audit": "audit:audit", "retention": "retention:retention",
}


class MeglerGroup(TyperGroup):
    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        return load(name) if name in COMMANDS else None

    def invoke(self, ctx):
        from megler.audit import COMMAND

        COMMAND.set(command_path(self, ctx))  # what the audit log says did a write
        try:
            refuse_undecodable(ctx)
            return super().invoke(ctx)
        except MeglerError as e:
            from megler.cli.output import error

            error(str(e))
            raise typer.Exit(1) from None


@cache
def load(name: str):
    """The click command for a name of COMMANDS, importing its module now."""
    module, attribute = COMMANDS[name].split(":")
    target = getattr(importlib.import_module(f"megler.cli.{module}"), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=None)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    return command


def command_path(group, ctx) -> str:
    """`megler contact add` for the audit log: the names of commands, never their arguments."""
    path, command = [ctx.info_name or "megler"], group
    for word in [*getattr(ctx, "_protected_args", []), *ctx.args]:
        sub = command.get_command(ctx, word) if hasattr(command, "get_command") else None
        if sub is None:
            break
        path.append(word)
        command = sub
    return " ".join(path)


def refuse_undecodable(ctx) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite cannot store."""
    for number, word in enumerate([*getattr(ctx, "_protected_args", []), *ctx.args], 1):
        if any("\udc80" <= c <= "\udcff" for c in word):
            raise InvalidInput(f"argument {number} is not valid UTF-8 text; "
                               "check the terminal's or the script's encoding")


app = typer.Typer(
    cls=MeglerGroup, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
    help="Case management for competence brokers: visits, needs, referrals, follow-ups.",
)


def _version(value: bool) -> None:
    if value:
        print(f"megler {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """megler: visits, needs, referrals and follow-ups of a competence broker."""


def main() -> None:
    # Pydantic looks up plugins through package metadata on first use; megler has none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    os.umask(0o077)  # the store, its backups and exports are private to the user
    app(prog_name="megler")
