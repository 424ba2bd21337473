"""megler match NEED | megler match --all"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, console, render, say
from megler.clock import today
from megler.errors import InvalidInput
from megler.reports.i18n import counted
from megler.vocabulary import EntryKind, listed


def match(
    need: Annotated[int | None, typer.Argument(metavar="NEED", help="The need's id.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many suggestions.")] = 5,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"Only {listed(EntryKind)}.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show the parts of each score.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Without NEED: every open need. With NEED and --explain: the ineligible entries too, with the reason.")] = False,
    refer: Annotated[int | None, typer.Option("--refer", metavar="K", help="Turn suggestion K into a referral.")] = None,
    fmt: Fmt = Format.table, db: Db = None,
) -> None:
    """Suggest offerings, providers and funding instruments for a need, best first.

    Example: megler match 4 --explain        megler match 4 --refer 1        megler match --all
    """
    kinds = {_kind(kind)} if kind else None
    if need is None:
        if not all_:
            raise InvalidInput("give a NEED id, or --all for every open need")
        return _match_all(top, kinds, fmt, db)
    from megler.match import suggestions
    from megler.needs import get_need

    with opened(db, write=refer is not None) as s:
        found = get_need(s, need)
        matches = suggestions(s, found, today(), top=top, kinds=kinds,
                                      include_ineligible=explain and all_)
        if refer is not None:
            return _refer(s, found, matches, refer)
    rows = [_row(rank, m, explain) for rank, m in enumerate(matches, 1)]
    render(rows, fmt, title=f"Suggestions for need #{need}{_read_as(found, matches)}: {found.text}",
           columns=COLUMNS if fmt == Format.table else None)
    if explain and fmt == Format.table:  # a line each: too long for a table cell
        for row in rows:
            console().print(f"{row['rank'] or '–'}. {row['name']}: {row['why']}", soft_wrap=False)


COLUMNS = ["rank", "entry_id", "kind", "name", "by", "score", "confidence"]


def _read_as(need, matches) -> str:
    """What the matcher read the need as, when its text says more than its kind (a
    competence need that also asks for the money): the broker sees the guess."""
    kinds = getattr(matches, "kinds", None)
    if not kinds or kinds == {need.kind}:
        return ""
    return f" (read as {listed(sorted(kinds), 'and')})"


def _kind(text: str) -> str:
    from megler.parse import parse_choice

    return parse_choice(text, EntryKind, "entry kind")


def _refer(s, need, matches, k: int) -> None:
    from megler.match import refer

    eligible = [m for m in matches if m.eligible]
    if not 1 <= k <= len(eligible):
        eligible_now = counted(len(eligible), "suggestion is", "suggestions are")
        raise InvalidInput(f"--refer {k}: {eligible_now} eligible")
    referral = refer(s, need, eligible[k - 1], today())
    say(f"Added referral #{referral.id}: need #{need.id} to {referral.target}")


def _row(rank: int, m, explain: bool) -> dict:
    from megler.matching import explain as why

    e = m.entry
    row = {"rank": rank if m.eligible else None, "entry_id": e.id, "kind": e.kind, "name": e.name,
           "by": e.provider or e.agency or "", "score": round(m.score, 1),
           "confidence": m.confidence if m.eligible else "ineligible",
           "matched": ", ".join(m.terms), "reasons": "; ".join(m.reasons)}
    return row | ({"why": why(m), "parts": {k: round(v, 1) for k, v in m.parts.items()}}
                  if explain else {})


def _match_all(top: int, kinds, fmt: Format, db) -> None:
    """Each open need's suggestions: for people a table per need under its text, for
    scripts one flat list of rows that each carry their need."""
    from megler.cli.output import progress, text
    from megler.match import matcher_for, open_needs, suggestions

    with opened(db) as s:
        needs = open_needs(s)
        matcher = matcher_for(s) if needs else None  # built, with its own bar, before the needs' bar
        found = [(need, suggestions(s, need, today(), top=top, kinds=kinds, matcher=matcher))
                 for need in progress(needs, "Matching open needs")]
    ranked = [(need, matches, [_row(rank, m, False) for rank, m in enumerate(matches, 1)])
              for need, matches in found]
    if fmt != Format.table:
        return render([{"need_id": need.id, "need": need.text, **row}
                       for need, _, rows in ranked for row in rows], fmt)
    console().print(text(f"Top {top} for {counted(len(needs), 'open need', 'open needs')}",
                         style="bold"))
    for need, matches, rows in ranked:
        console().print()
        render(rows, fmt, title=f"Need #{need.id}{_read_as(need, matches)}: {need.text}", columns=COLUMNS)
