"""megler need add|list|show|close"""

from typing import Annotated

import typer

from megler.cli.common import (
    Broker,
    Db,
    Every,
    Fmt,
    Limit,
    Mine,
    OrgRef,
    When,
    Yes,
    day,
    delete_asking,
    opened,
    render_page,
    rows_wanted,
)
from megler.cli.common import app as group
from megler.cli.output import Format, render, say
from megler.reports.i18n import counted
from megler.vocabulary import NEED_ACTIVE, NEED_CLOSED, NeedKind, NeedStatus, listed

app = group("Needs found at the orgs: competence, R&D, recruitment, apprenticeships, funding.")

NeedId = Annotated[int, typer.Argument(metavar="NEED", help="The need's id.")]


@app.command("add")
def add(org: OrgRef, text: Annotated[str, typer.Argument(help="The need in your own words.")],
        kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"{listed(NeedKind)} (default: read from the text).")] = None,
        people: Annotated[int | None, typer.Option(help="People affected.")] = None,
        visit: Annotated[int | None, typer.Option(help="The visit it came from.")] = None,
        date: Annotated[str | None, typer.Option(
            "--date", "-d", metavar="DATE", help="When it was found (default: the visit's day, else today).")] = None,
        db: Db = None) -> None:
    """Record a need found at an org.

    Example: megler need add "Fredrikstad Mek" "Sveisesertifisering for 6 ansatte" --kind competence --people 6
    """
    from megler.needs import add_need
    from megler.orgs import find_org
    from megler.visits import get_visit

    with opened(db, write=True) as s:
        need = add_need(s, find_org(s, org), text, kind=kind, people=people, on=day(date) if date else None,
                        visit=get_visit(s, visit) if visit else None)
        say(f"Added need #{need.id}" + ("" if kind else read_as(need)))


def read_as(need) -> str:
    """How a need whose kind the broker did not give was read, for the line that adds it."""
    return f", read as {need.kind} from its text (need edit {need.id} --kind KIND to correct it)"


@app.command("list")
def list_(status: Annotated[str | None, typer.Option(help=f"{listed(NeedStatus)}, or active ({listed(NEED_ACTIVE, 'and')}).")] = None,
          kind: Annotated[str | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
          org: Annotated[str | None, typer.Option("--org", help="Only this org's needs.")] = None,
          mine: Mine = False, broker: Broker = None,
          every: Every = False, limit: Limit = None, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List needs, newest first (the newest 50 unless --all or --limit N).

    Example: megler need list --status open
    """
    from megler.brokers import whose
    from megler.needs import list_needs
    from megler.orgs import find_org

    with opened(db) as s:
        rows = list_needs(s, status=status, kind=kind, org=find_org(s, org) if org else None,
                          whose=whose(s, mine=mine, broker=broker),
                          limit=rows_wanted(every, limit))
    render_page(rows, fmt, title="Needs",
           columns=["id", "date", "org", "kind", "status", "text"] if fmt == Format.table else None)


@app.command("show")
def show(need_id: NeedId, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show a need with its referrals.

    Example: megler need show 4
    """
    from megler.needs import get_need, need_detail

    with opened(db) as s:
        record = need_detail(s, get_need(s, need_id))
    render(record, fmt, title=f"Need #{need_id}")


@app.command("close")
def close(need_id: NeedId,
          status: Annotated[str, typer.Option(help=f"{listed(NEED_CLOSED)}.")] = "resolved",
          date: When = "today", db: Db = None) -> None:
    """Close a need as resolved (the org got what it needed) or dropped.

    Example: megler need close 4 --status dropped
    """
    from megler.needs import close_need, get_need

    with opened(db, undoable=True) as s:
        need = close_need(s, get_need(s, need_id), status, day(date))
        say(f"Need #{need.id} is {need.status}")


@app.command("edit")
def edit(need_id: NeedId,
         text: Annotated[str | None, typer.Option("--text", "-t", help="The need in your own words.")] = None,
         kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"{listed(NeedKind)}.")] = None,
         people: Annotated[int | None, typer.Option(help="People affected.")] = None,
         org: Annotated[str | None, typer.Option("--org", help="Move it to another org.")] = None,
         date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="When it was found.")] = None,
         db: Db = None) -> None:
    """Correct a need: its text, kind, people, org or date; what is not given stays.

    Example: megler need edit 4 --kind rd --people 3
    """
    from megler.needs import NeedFields, edit_need, get_need
    from megler.orgs import find_org

    with opened(db, undoable=True) as s:
        need = edit_need(s, get_need(s, need_id), NeedFields(
            text=text, kind=kind, people=people, org=find_org(s, org) if org else None,
            on=day(date) if date else None))
        say(f"Updated need #{need.id}")


@app.command("delete")
def delete(need_id: NeedId, yes: Yes = False, db: Db = None) -> None:
    """Delete a need entered by mistake, with its referrals (megler undo puts them back).

    Example: megler need delete 4
    """
    from megler.needs import delete_need, get_need, need_detail

    def question(s) -> str:
        record = need_detail(s, get_need(s, need_id))
        referred = counted(len(record["referrals"]), "referral", "referrals")
        return f"Delete need #{need_id} of {record['org']} ({record['text'][:60]}) and its {referred}?"

    def remove(s) -> str:
        referred = delete_need(s, get_need(s, need_id))["referrals"]
        return f"Deleted need #{need_id} and its {counted(referred, 'referral', 'referrals')}"

    delete_asking(db, yes, question, remove)
