"""megler referral add|list|show|update"""

from typing import Annotated

import typer

from megler.cli.common import (
    Broker,
    Db,
    Every,
    Fmt,
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
from megler.cli.output import Format, render, say
from megler.errors import InvalidInput
from megler.parse import AMOUNT_FORMS
from megler.vocabulary import ReferralStatus, listed

app = group("Needs sent to an offering, a provider or a funding instrument, and their outcome.")

Amount = Annotated[str | None, typer.Option(metavar="AMOUNT", help=f"Whole kroner: {AMOUNT_FORMS}.")]


@app.command("add")
def add(need: Annotated[int, typer.Argument(metavar="NEED", help="The need's id.")],
        to: Annotated[str, typer.Option("--to", help="Where the need is sent: a catalog id or name, or free text.")],
        date: When = "today",
        note: Annotated[str | None, typer.Option(help="A note on the referral.")] = None,
        free_text: Annotated[bool, typer.Option(
            "--free-text", help="Take --to as written even if a catalog name comes close.")] = False,
        db: Db = None) -> None:
    """Refer a need to a target; it starts as suggested.

    Example: megler referral add 4 --to "Fagskolen i Viken: sveiseteknikk"
    """
    from megler.needs import get_need
    from megler.referrals import add_referral, resolve_target

    with opened(db, write=True) as s:
        target = resolve_target(s, to, free=free_text)
        referral = add_referral(s, get_need(s, need), target.name, on=day(date), note=note,
                                entry_id=target.entry_id)
    nearest = f"; closest: {'; '.join(target.nearest)}" if target.nearest else ""
    free = "" if target.entry_id else f" (free text: not in the catalog{nearest})"
    say(f"Added referral #{referral.id} to {referral.target}{free}")


@app.command("list")
def list_(status: Annotated[str | None, typer.Option(help="A status, or open for those in progress.")] = None,
          org: Annotated[str | None, typer.Option("--org", help="Only this org's referrals.")] = None,
          mine: Mine = False, broker: Broker = None, every: Every = False, limit: Limit = None, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List referrals, newest first (the newest 50 unless --all or --limit N).

    Example: megler referral list --status applied
    """
    from megler.brokers import whose
    from megler.orgs import find_org
    from megler.referrals import list_referrals

    with opened(db) as s:
        rows = list_referrals(s, status=status, org=find_org(s, org) if org else None,
                              whose=whose(s, mine=mine, broker=broker),
                              limit=rows_wanted(every, limit))
    render_page(rows, fmt, title="Referrals", columns=[  # json and csv carry every field
        "id", "date", "org", "target", "status", "amount_granted", "participants"]
        if fmt == Format.table else None)


@app.command("show")
def show(referral_id: Annotated[int, typer.Argument(metavar="ID")], fmt: Fmt = Format.table,
         db: Db = None) -> None:
    """Show a referral with every change of its status.

    Example: megler referral show 2
    """
    from megler.referrals import get_referral, referral_detail

    with opened(db) as s:
        record = referral_detail(s, get_referral(s, referral_id))
    render(record, fmt, title=f"Referral #{referral_id}")


@app.command("update")
def update(referral_id: Annotated[int, typer.Argument(metavar="ID")],
           status: Annotated[str | None, typer.Option(help=f"{listed(ReferralStatus)}.")] = None,
           date: When = "today", amount_applied: Amount = None, amount_granted: Amount = None,
           participants: Annotated[int | None, typer.Option(help="Participants enrolled.")] = None,
           note: Annotated[str | None, typer.Option(help="What happened.")] = None,
           db: Db = None) -> None:
    """Record a change of a referral: its status, amounts or participants, with the date.

    Example: megler referral update 2 --status granted --amount-granted 450000 --date 2026-10-10
    """
    from megler.parse import parse_count, parse_money
    from megler.referrals import Change, get_referral, update_referral

    applied, granted = (parse_money(a) if a else (None, None) for a in (amount_applied, amount_granted))
    currencies = {c for _, c in (applied, granted) if c}
    if len(currencies) > 1:
        raise InvalidInput("the amounts of one referral are in one currency, not both NOK and SEK")
    change = Change(status=status, on=day(date), amount_applied=applied[0], amount_granted=granted[0],
                    participants=parse_count(participants, "participants") if participants is not None else None,
                    note=note, currency=currencies.pop() if currencies else None)
    with opened(db, undoable=True) as s:
        referral = update_referral(s, get_referral(s, referral_id), change)
        say(f"Referral #{referral.id} is {referral.status}")


@app.command("edit")
def edit(referral_id: Annotated[int, typer.Argument(metavar="ID")],
         to: Annotated[str | None, typer.Option("--to", help="Another target: a catalog id or name, or free text.")] = None,
         note: Annotated[str | None, typer.Option(help="A new note.")] = None,
         amount_applied: Amount = None, amount_granted: Amount = None,
         date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help=(
             "Correct the amounts in effect on this day (default: the latest)."))] = None,
         free_text: Annotated[bool, typer.Option("--free-text", help="Take --to as written.")] = False,
         db: Db = None) -> None:
    """Correct a referral: its target, note, or an amount recorded wrongly (history kept right).

    Example: megler referral edit 2 --amount-granted 450000
    """
    from megler.parse import parse_money
    from megler.referrals import Correction, edit_referral, get_referral, resolve_target

    applied, granted = (parse_money(a)[0] if a else None for a in (amount_applied, amount_granted))
    with opened(db, undoable=True) as s:
        target = resolve_target(s, to, free=free_text) if to else None
        referral = edit_referral(s, get_referral(s, referral_id), Correction(
            target=target.name if target else None, entry_id=target.entry_id if target else None,
            note=note, amount_applied=applied, amount_granted=granted, on=day(date) if date else None))
        say(f"Updated referral #{referral.id}")


@app.command("delete")
def delete(referral_id: Annotated[int, typer.Argument(metavar="ID")], yes: Yes = False,
           db: Db = None) -> None:
    """Delete a referral made by mistake, with its history (megler undo puts it back).

    Example: megler referral delete 2
    """
    from megler.referrals import delete_referral, get_referral

    def remove(s) -> str:
        delete_referral(s, get_referral(s, referral_id))
        return f"Deleted referral #{referral_id}"

    delete_asking(db, yes, lambda s: f"Delete referral #{referral_id} to "
                  f"{get_referral(s, referral_id).target} and its history?", remove)
