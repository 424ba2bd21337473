"""megler followup add|list|done"""

from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import (
    Broker,
    Db,
    Every,
    Fmt,
    Force,
    Limit,
    Mine,
    When,
    Yes,
    day,
    delete_asking,
    opened,
    render_page,
    rows_wanted,
)
from megler.cli.common import app as group
from megler.cli.output import Format, deliver, say
from megler.clock import today

app = group("Work promised between meetings, with a due date.")


@app.command("add")
def add(org: Annotated[str | None, typer.Argument(metavar="ORG", help="The org it concerns.")] = None,
        due: Annotated[str, typer.Option("--due", metavar="DATE", help="When: 2026-10-01, +3d, +2w.")] = "+1w",
        text: Annotated[str, typer.Option("--text", "-t", help="What to do.")] = "",
        need: Annotated[int | None, typer.Option(help="The need it concerns.")] = None,
        referral: Annotated[int | None, typer.Option(help="The referral it concerns.")] = None,
        db: Db = None) -> None:
    """Add a follow-up with a due date.

    Example: megler followup add "Fredrikstad Mek" --due +2w --text "Sende kursplan fra fagskolen"
    """
    from megler.followups import add_followup
    from megler.orgs import find_org

    with opened(db, write=True) as s:
        followup = add_followup(s, day(due), text, org=find_org(s, org) if org else None,
                                need_id=need, referral_id=referral, today=today())
        say(f"Added follow-up #{followup.id} due {followup.due}")


@app.command("list")
def list_(with_done: Annotated[bool, typer.Option("--done", help="Include those done.")] = False,
          ics: Annotated[Path | None, typer.Option("--ics", metavar="FILE", help="Write the open follow-ups as an iCalendar file for your calendar; - is stdout.")] = None,
          mine: Mine = False, broker: Broker = None,
          every: Every = False, limit: Limit = None, force: Force = False, fmt: Fmt = Format.table,
          db: Db = None) -> None:
    """List open follow-ups by due date (the first 50 unless --all or --limit N), or write
    them to a calendar file.

    Example: megler followup list --done        megler followup list --ics ~/oppfolging.ics
    """
    from megler.followups import list_followups

    if ics:
        from megler.followups import followups_ics

        with opened(db) as s:
            data = followups_ics(s)
        return deliver(data, ics, f"Wrote the open follow-ups to {ics}", force=force)
    from megler.brokers import whose

    with opened(db) as s:
        rows = list_followups(s, include_done=with_done, whose=whose(s, mine=mine, broker=broker),
                              limit=rows_wanted(every, limit))
    render_page(rows, fmt, title="Follow-ups",
           columns=["id", "due", "org", "text", "done_on"] if fmt == Format.table else None)


@app.command("done")
def done(followup_id: Annotated[int, typer.Argument(metavar="ID")], date: When = "today",
         db: Db = None) -> None:
    """Mark a follow-up done.

    Example: megler followup done 5
    """
    from megler.followups import done as mark_done

    with opened(db, undoable=True) as s:
        followup = mark_done(s, followup_id, day(date))
        say(f"Follow-up #{followup.id} done on {followup.done_on}")


FollowupId = Annotated[int, typer.Argument(metavar="ID")]


@app.command("edit")
def edit(followup_id: FollowupId,
         due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="A new due date.")] = None,
         text: Annotated[str | None, typer.Option("--text", "-t", help="What to do.")] = None,
         db: Db = None) -> None:
    """Correct a follow-up's due date or text.

    Example: megler followup edit 5 --due +1w
    """
    from megler.followups import edit_followup, get_followup

    with opened(db, undoable=True) as s:
        followup = edit_followup(s, get_followup(s, followup_id),
                                 due=day(due) if due else None, text=text)
        say(f"Follow-up #{followup.id} is due {followup.due}")


@app.command("delete")
def delete(followup_id: FollowupId, yes: Yes = False, db: Db = None) -> None:
    """Delete a follow-up entered by mistake (megler undo puts it back).

    Example: megler followup delete 5
    """
    from megler.followups import delete_followup, get_followup

    def remove(s) -> str:
        delete_followup(s, get_followup(s, followup_id))
        return f"Deleted follow-up #{followup_id}"

    delete_asking(db, yes, lambda s: f"Delete follow-up #{followup_id} "
                  f"({get_followup(s, followup_id).text[:60]})?", remove)
