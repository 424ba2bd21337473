"""The command line: `megler GROUP VERB`, one module per group.

The command modules load when their command is used, so `megler --version` and any
single command start quickly. User errors (MeglerError) are printed as one line here
and exit with 1; anything else is a bug and keeps its traceback.
"""

import importlib
import os
import sys
from collections.abc import Mapping
from functools import cache
from typing import Annotated

import typer
from typer.core import TyperArgument, TyperGroup

from megler import __version__
from megler.errors import InvalidInput, MeglerError

# Each command and group: "module:attribute" in megler.cli, in the order --help lists them.
COMMANDS = {
    "demo": "demo:demo", "due": "due:due", "match": "match:match",
    "report": "report:report", "search": "search:search", "undo": "undo:undo",
    "org": "orgs:app", "contact": "contacts:app", "visit": "visits:app", "need": "needs:app",
    "referral": "referrals:app", "followup": "followups:app", "catalog": "catalog:app",
    "goal": "goals:app", "register": "register:app", "config": "config:app",
    "init": "init:init", "export": "export:export", "import": "export:import_",
    "backup": "backup:backup", "restore": "backup:restore", "check": "check:check",
    "audit": "audit:audit", "retention": "retention:retention", "network": "network:app",
}


class Commands(Mapping):
    """COMMANDS by name, each module imported only when its command is looked up: Typer's
    "did you mean …?" reads the names, and `megler --version` imports no command."""

    def __getitem__(self, name: str):
        if name not in COMMANDS:
            raise KeyError(name)
        return load(name)

    def __iter__(self):
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class MeglerGroup(TyperGroup):
    def __init__(self, **attrs) -> None:
        super().__init__(**attrs)
        self.commands = Commands()  # type: ignore[assignment]  # fixed by COMMANDS, never added to

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)  # not self.commands' items: that would import every module

    def invoke(self, ctx):
        from megler.audit import COMMAND
        from megler.cli.output import progress
        from megler.progress import WATCHER

        COMMAND.set(command_path(self, ctx))  # what the audit log says did a write
        watching = WATCHER.set(progress)  # the domain's long steps show a bar in a terminal
        try:
            take_arguments(ctx)
            return super().invoke(ctx)
        except MeglerError as e:
            from megler.cli.output import error

            error(str(e))
            raise typer.Exit(1) from None
        finally:
            WATCHER.reset(watching)  # a library call after the command is not watched


@cache
def load(name: str):
    """The click command for a name of COMMANDS, importing its module now."""
    module, attribute = COMMANDS[name].split(":")
    target = getattr(importlib.import_module(f"megler.cli.{module}"), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    bound_values(command)
    return command


def bound_values(command) -> None:
    """Every whole number given to a command fits the store (limits.check_int), every path
    the file system (limits.check_path): a check added to each parameter of the command
    and its subcommands, so no command forgets it. (--db and `catalog import`, which take
    their path as text, check it with common.literal_path.) Its help is put in words on
    the way (readable)."""
    for param in command.params:
        param.callback = _bounded(param.callback)
        readable(param)
    for sub in getattr(command, "commands", {}).values():
        bound_values(sub)


def readable(param) -> None:
    """Help in words, not Python types: `--org ORG`, `--format table|json|csv`, `ORG NAME`;
    never `<list[str]>`, `<str>` or `{ORG}`. Placeholders are named as argparse names
    them, after the option."""
    if param.param_type_name == "argument":
        param.metavar = param.metavar or param.name.upper()
        param.__class__ = PlainArgument
    elif param.metavar is None and not param.is_flag:
        kind = getattr(param, "type_descriptor", None)  # Typer >= 0.2x; click's type before
        choices = (kind.choices if kind.is_choice else None) if kind else getattr(param.type, "choices", None)
        param.metavar = ("|".join(str(c) for c in choices) if choices
                         else max(param.opts, key=len).lstrip("-").replace("-", "_").upper())


class PlainArgument(TyperArgument):
    """An argument as usage lines have long written it: ORG, [ORG], FILE..."""

    def get_usage_pieces(self, ctx) -> list[str]:
        name = f"{self.metavar}{'...' if self.nargs != 1 else ''}"
        return [name if self.required else f"[{name}]"]

    def display_type_rich(self, ctx) -> None:
        return None  # the placeholder says it; "<str>" beside it would not


def _bounded(callback):
    def check(ctx, param, value):
        from pathlib import PurePath

        from megler.limits import check_int, check_path

        for one in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(one, int) and not isinstance(one, bool):
                check_int(one, shown(param))
            elif isinstance(one, PurePath):
                check_path(one, shown(param))
        return callback(ctx, param, value) if callback else value
    return check


def shown(param) -> str:
    """A parameter as --help shows it: `--employees`, `ID`."""
    if param.param_type_name == "option":
        return param.opts[0]
    return param.metavar or param.name.upper()


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


def take_arguments(ctx) -> None:
    """Every argument as NFC text (megler.text), so one name has one spelling.

    Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite cannot store.
    """
    from megler.text import nfc

    protected = getattr(ctx, "_protected_args", [])
    for number, word in enumerate([*protected, *ctx.args], 1):
        if any("\udc80" <= c <= "\udcff" for c in word):
            raise InvalidInput(f"argument {number} is not valid UTF-8 text; "
                               "check the terminal's or the script's encoding")
    protected[:] = [nfc(w) for w in protected]
    ctx.args[:] = [nfc(w) for w in ctx.args]


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
    ctx: typer.Context,
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH", help="The store, for the command that follows "
        "(megler --db PATH org list); --db after the command wins.")] = None,
) -> None:
    """megler: visits, needs, referrals and follow-ups of a competence broker."""
    from megler.cli.common import ROOT_DB

    if db is not None:
        ctx.meta[ROOT_DB] = db  # what every command's --db falls back to (common.store_path)


def main() -> None:
    # Pydantic looks up plugins through package metadata on first use; megler has none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    os.umask(0o077)  # the store, its backups and exports are private to the user
    try:
        app(prog_name="megler")
    finally:  # the last connection folds the WAL in: megler.db alone then holds everything
        if store := sys.modules.get("megler.store"):
            store.close_all()
