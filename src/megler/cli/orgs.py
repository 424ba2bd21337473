"""megler org add|list|show|edit|merge|erase"""

from typing import Annotated

import typer

from megler.cli.common import (
    Db,
    Every,
    Fmt,
    Limit,
    OrgRef,
    Yes,
    confirm,
    day,
    opened,
    render_page,
    rows_wanted,
)
from megler.cli.common import app as group
from megler.cli.output import Format, render, say
from megler.reports.i18n import counted
from megler.vocabulary import Country as Countries
from megler.vocabulary import OrgKind, listed

app = group("Companies, municipalities, public bodies and NGOs.")

OrgNr = Annotated[str | None, typer.Option("--orgnr", help="Norwegian (9 digits) or Swedish (10 digits) org number.")]
Country = Annotated[str | None, typer.Option(help=f"{listed(Countries)} (follows from the org number).")]
Kind = Annotated[str | None, typer.Option(help=f"{listed(OrgKind)}.")]
Industry = Annotated[str | None, typer.Option(help="NACE code or words.")]
Municipality = Annotated[str | None, typer.Option(help="The county or region follows from it.")]
Region = Annotated[str | None, typer.Option(help="County or Swedish region.")]
Place = Annotated[bool, typer.Option("--force", help="Keep a municipality megler does not know.")]
Employees = Annotated[int | None, typer.Option(help="Number of employees.")]
Rd = Annotated[bool | None, typer.Option(
    "--rd/--no-rd", help="Has had R&D funded (research council, regional fund, EU) in five years.")]


def _fields(**values):
    from megler.orgs import OrgFields

    return OrgFields(**values)


@app.command("add")
def add(name: Annotated[str, typer.Argument(help="The org's name.")],
        orgnr: OrgNr = None, country: Country = None, kind: Kind = None,
        industry: Industry = None, municipality: Municipality = None, region: Region = None,
        employees: Employees = None, rd: Rd = None, force: Place = False, db: Db = None) -> None:
    """Add an org; a likely duplicate already in the store is named (it is added all the same).

    Example: megler org add "Fredrikstad Mek AS" --orgnr 974760673 --municipality Fredrikstad --employees 40
    """
    from megler import orgs
    from megler.duplicates import duplicates_of

    with opened(db, write=True) as s:
        org = orgs.add_org(s, _fields(name=name, orgnr=orgnr, country=country, kind=kind,
                                      industry=industry, municipality=municipality,
                                      region=region, employees=employees, rd_experience=rd),
                           force=force)
        say(f"Added org #{org.id} {org.name}")
        _say_unplaced(org)
        for i, other in duplicates_of(s, org):  # added all the same: the broker knows best
            say(f"Warning: #{i} {other} may be the same org; if so: megler org merge {i} {org.id}")


@app.command("list")
def list_(name: Annotated[str | None, typer.Argument(help="Part of the name.")] = None,
          region: Region = None, every: Every = False, limit: Limit = None,
          fmt: Fmt = Format.table, db: Db = None) -> None:
    """List orgs, the most recently met first, with their active needs (open or referred);
    the first 50 unless --all or --limit N.

    Example: megler org list --region Østfold
    """
    from megler import orgs

    with opened(db) as s:
        rows = orgs.list_orgs(s, text=name, region=region, limit=rows_wanted(every, limit))
    render_page(rows, fmt, title="Orgs", columns=None if fmt != Format.table else
           ["id", "name", "orgnr", "municipality", "employees", "last_visit", "active_needs"])


@app.command("show")
def show(org: OrgRef, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show an org with its contacts, visits, needs, referrals and follow-ups.

    Example: megler org show "Fredrikstad Mek"
    """
    from megler import orgs

    with opened(db) as s:
        record = orgs.org_history(s, orgs.find_org(s, org))
    render(record, fmt, title=record["name"])


@app.command("edit")
def edit(org: OrgRef, name: Annotated[str | None, typer.Option(help="A new name.")] = None,
         orgnr: OrgNr = None, country: Country = None, kind: Kind = None,
         industry: Industry = None, municipality: Municipality = None, region: Region = None,
         employees: Employees = None, rd: Rd = None, force: Place = False,
         since: Annotated[str | None, typer.Option(
             "--since", metavar="DATE", help="When the change became true (default: today); "
             "reports of periods before it keep the old values.")] = None,
         db: Db = None) -> None:
    """Change an org's fields; those not given stay as they are.

    Kind, industry, municipality, employees and R&D experience are kept with the day
    they changed, so a past period's report stays as it was.

    Example: megler org edit "Fredrikstad Mek" --employees 45 --rd --since 2026-10-01
    """
    from megler import orgs

    with opened(db, undoable=True) as s:
        found = orgs.edit_org(s, orgs.find_org(s, org), _fields(
            name=name, orgnr=orgnr, country=country, kind=kind, industry=industry,
            municipality=municipality, region=region, employees=employees, rd_experience=rd),
            since=day(since) if since else None, force=force)
        say(f"Updated org #{found.id} {found.name}")
        _say_unplaced(found)


def _say_unplaced(org) -> None:
    if org.municipality and not org.region:  # only a forced place has no county
        say(f"megler does not know {org.municipality}: the region stays empty, so regional "
            "catalog entries will not match (give --region)")


@app.command("merge")
def merge(keep: Annotated[str, typer.Argument(metavar="KEEP", help="The org that stays.")],
          duplicate: Annotated[str, typer.Argument(metavar="DUPLICATE", help="The org folded into it.")],
          yes: Yes = False, db: Db = None) -> None:
    """Fold a duplicate org into another: visits, needs, contacts and follow-ups move over.

    Two orgs with different org numbers, countries or municipalities are likely two orgs:
    megler asks first (a script needs --yes). megler undo takes a merge back.

    Example: megler org merge 12 "Fredrikstad Mekaniske"
    """
    from megler import orgs

    with opened(db) as s:
        target, dup = orgs.find_org(s, keep), orgs.find_org(s, duplicate)
        differs, moving = orgs.merge_preview(s, target, dup)
    moves = ", ".join(counted(n, noun, f"{noun}s") for noun, n in moving.items() if n) or "nothing"
    if differs:
        confirm(f"#{dup.id} {dup.name} and #{target.id} {target.name} differ ({'; '.join(differs)}). "
                f"Merge anyway, moving {moves}?", yes)
    with opened(db, undoable=True) as s:
        target, dup = orgs.find_org(s, str(target.id)), orgs.find_org(s, str(dup.id))
        orgs.merge_orgs(s, target, dup)
    say(f"Merged #{dup.id} {dup.name} into #{target.id} {target.name}, moving {moves} "
        "(megler undo takes it back)")


@app.command("erase")
def erase(org: OrgRef, yes: Yes = False, db: Db = None) -> None:
    """Erase an org that is a person (a sole trader: ENK, enskild firma) with all it holds.

    Its contacts, visits (an event shared with other orgs stays, without it), needs,
    referrals, follow-ups, dated facts and undo records go; where records that stay
    name it or its org number, they get `[erased org #ID]`. It cannot be undone, and
    past reports no longer count the org: for a company that is not a person, keep it.

    Example: megler org erase "Åse Bjørnstad Rådgivning ENK"
    """
    from megler import orgs, privacy
    from megler.cli.contacts import after_erasure

    with opened(db) as s:
        found = orgs.find_org(s, org)
        tied = {table: len(ids) for table, ids in privacy.tied_to(s, found).items()}
    nouns = {"followup": "follow-up"}
    held = ", ".join(counted(n, nouns.get(t, t), f"{nouns.get(t, t)}s")
                     for t, n in tied.items() if n) or "nothing else"
    confirm(f"Erase org #{found.id} {found.name} with {held}? This cannot be undone, "
            "and past reports will no longer count it.", yes)
    with opened(db, write=True) as s:
        done = privacy.erase_org(s, orgs.find_org(s, str(found.id)))
    say(f"Erased org #{done.org_id} with {held}"
        + (f"; redacted {counted(len(done.redacted), 'text', 'texts')} that named it"
           if done.redacted else ""))
    after_erasure(db, [done, *done.contacts], redact=True)
