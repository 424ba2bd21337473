"""megler network init|add-broker|brokers|remove-broker|join, megler network clusters [import]"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import ROOT_DB, Db, Fmt, opened
from megler.cli.common import app as group
from megler.cli.output import Format, render, say

app = group("Brokers sharing one PostgreSQL store: roles, and who sees what (row-level security); "
            "the municipal clusters the report breaks down by (on any store).")

Name = Annotated[str, typer.Argument(metavar="NAME", help="The broker's login (a PostgreSQL role).")]


@app.command("init")
def network_init(db: Db = None) -> None:
    """Make the store a network's: the broker and coordinator groups and the policies.

    Run once by the database's owner (again after an upgrade: the policies are put back
    as this megler has them).

    Example: megler network init --db postgresql://eier@db.fylke.no/megling
    """
    from megler.network import init

    with opened(db, write=True) as s:
        found = init(s)
    say(f"The store is a network's: brokers in {found.brokers}, coordinators in {found.coordinators}")


@app.command("add-broker")
def add_broker(name: Name,
               coordinator: Annotated[bool, typer.Option(
                   "--coordinator", help="Sees and changes every broker's records, and reports for all.")] = False,
               password_stdin: Annotated[bool, typer.Option(
                   "--password-stdin", help="Read the password from stdin (as docker login does).")] = False,
               db: Db = None) -> None:
    """Give a broker a login to the network's store.

    The password comes from stdin with --password-stdin, else is asked for in a
    terminal, else is made here and printed once.

    Example: megler network add-broker kari --coordinator

    Example: printf %s "$PASSORD" | megler network add-broker kari --password-stdin
    """
    from megler.network import add_broker as add

    given = _password(password_stdin)
    with opened(db, write=True) as s:
        password = add(s, name, given, coordinator=coordinator)
    role = "coordinator" if coordinator else "broker"
    say(f"Added {name} as a {role}")
    if given is None:
        typer.echo(password)  # the only time it is shown: stdout, for a password manager


def _password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.read().rstrip("\r\n")
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return None


@app.command("brokers")
def network_brokers(fmt: Fmt = Format.table, db: Db = None) -> None:
    """The network's brokers: coordinator or not, and whether they can still log in.

    Example: megler network brokers
    """
    from megler.network import brokers

    with opened(db) as s:
        found = brokers(s)
    render([{"name": b.name, "coordinator": b.coordinator, "login": b.can_log_in} for b in found],
           fmt, title="Brokers")


@app.command("remove-broker")
def remove_broker(name: Name, db: Db = None) -> None:
    """End a broker's login; what they recorded stays, under their name.

    Example: megler network remove-broker kari
    """
    from megler.network import remove_broker as remove

    with opened(db, write=True) as s:
        remove(s, name)
    say(f"{name} can no longer log in; their records stay")


@app.command("join")
def join(source: Annotated[Path, typer.Argument(metavar="STORE", help="Your own megler store (a .db file).")],
         dry_run: Annotated[bool, typer.Option(
             "--dry-run", help="Say what joining would bring, and change nothing.")] = False,
         db: Db = None) -> None:
    """Bring your own store into the network's, all or nothing, under your name.

    Orgs the network has (the same org number, else the same name) are used, not added
    again; names only alike are listed. Joining the same file again adds nothing.

    Example: megler network join ~/megler.db --dry-run
    """
    from megler.joining import join as bring

    with opened(db, write=True) as s:
        done = bring(s, source)
        if dry_run:
            s.rollback()
    brought = ", ".join(f"{n} {name}" for name, n in done.added.items() if n) or "nothing new"
    say(("Would bring" if dry_run else "Brought") + f" from {source}: {brought}")
    if done.merged:
        say(f"{len(done.merged)} of its orgs the network had already: " + ", ".join(done.merged))
    for theirs, i, name in done.unsure:
        say(f"Unsure: {theirs!r} may be #{i} {name}; added apart (megler org merge if they are one)")
    if dry_run:
        say("Dry run: nothing was changed")


clusters = typer.Typer(invoke_without_command=True, rich_markup_mode=None, add_completion=False)
app.add_typer(clusters, name="clusters")


@clusters.callback()
def network_clusters(ctx: typer.Context, fmt: Fmt = Format.table, db: Db = None) -> None:
    """The municipal clusters the report breaks down by (report --by cluster): each
    one's municipalities, and how many orgs of the store are in it.

    Example: megler network clusters --format json
    """
    if ctx.invoked_subcommand:
        if db is not None:  # `network clusters --db X import F` imports into X
            ctx.meta[ROOT_DB] = db
        return
    from megler.clusters import listed

    with opened(db) as s:
        rows = listed(s)
    if fmt != Format.json:
        rows = [r | {"municipalities": ", ".join(r["municipalities"])} for r in rows]
    render(rows, fmt, title="Clusters", columns=["name", "municipalities", "orgs"])


@clusters.command("import")
def clusters_import(file: Annotated[Path, typer.Argument(metavar="FILE", help="A YAML file of the clusters.")],
                    db: Db = None) -> None:
    """Replace the municipal clusters with a YAML file's: all of them or, on an error, none.

    \b
    clusters:
      Fyrbodal nord: [Strömstad, Tanum, Sotenäs]
      Fyrbodal syd: [Trollhättan, Vänersborg]

    A municipality may be in several clusters (their rows in the report then add up to
    more than the whole). A municipality no org in the store has is named in a warning:
    most likely a typo. `clusters: {}` removes them all; megler undo puts the last back.

    Example: megler network clusters import kommunegrupper.yaml
    """
    from megler.clusters import import_clusters, read_file
    from megler.reports.i18n import counted

    found = read_file(file)  # before the store: a broken file changes nothing
    with opened(db, undoable=True) as s:
        done = import_clusters(s, found)
    say(f"Imported {counted(done.clusters, 'cluster', 'clusters')} of "
        f"{counted(done.municipalities, 'municipality', 'municipalities')} from {file}")
    if not done.orgs_placed:
        return say("Warning: no org in the store has a municipality yet: the names are not checked")
    for name, like in done.unknown.items():
        say(f"Warning: no org in the store is in {name}" + (f"; did you mean {like}?" if like else ""))
