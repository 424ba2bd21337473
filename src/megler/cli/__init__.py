"""The command line: `megler GROUP VERB`, one module per group.

User errors (MeglerError) are printed as one line here and exit with 1; anything
else is a bug and keeps its traceback.
"""

import os
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from megler import __version__
from megler.cli import (catalog, config, contacts, demo, followups, match, needs, orgs,
                        referrals, report, safety, visits, workspace)
from megler.cli.output import error
from megler.errors import MeglerError


class MeglerGroup(TyperGroup):
    def invoke(self, ctx):
        from megler.audit import COMMAND

        COMMAND.set(safety.command_path(self, ctx))  # what the audit log says did a write
        try:
            safety.refuse_undecodable(ctx)
            return super().invoke(ctx)
        except MeglerError as e:
            error(str(e))
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=MeglerGroup, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
    help="Case management for competence brokers: visits, needs, referrals, follow-ups.",
)
app.add_typer(orgs.app, name="org")
app.add_typer(contacts.app, name="contact")
app.add_typer(visits.app, name="visit")
app.add_typer(needs.app, name="need")
app.add_typer(referrals.app, name="referral")
app.add_typer(followups.app, name="followup")
app.add_typer(catalog.app, name="catalog")
app.command("demo")(demo.demo)
app.command("due")(followups.due)
app.command("match")(match.match)
app.command("report")(report.report)
app.add_typer(report.goal_app, name="goal")
app.add_typer(config.app, name="config")
for command in workspace.COMMANDS:
    app.command(command.__name__.rstrip("_"))(command)
for command in safety.COMMANDS:
    app.command(command.__name__)(command)


def _version(value: bool) -> None:
    if value:
        print(f"megler {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """megler: visits, needs, referrals and follow-ups of a competence broker."""


def main() -> None:
    # Pydantic looks up plugins through package metadata on first use; megler has none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    os.umask(0o077)  # the store, its backups and exports are private to the user
    app(prog_name="megler")
