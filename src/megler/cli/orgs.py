"""megler org add|list|show|edit|merge|erase"""

from pathlib import Path
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
def add(name: Annotated[str | None, typer.Argument(
            help="The org's name (with --orgnr, the register's unless given).")] = None,
        orgnr: OrgNr = None, country: Country = None, kind: Kind = None,
        industry: Industry = None, municipality: Municipality = None, region: Region = None,
        employees: Employees = None, rd: Rd = None, force: Place = False, db: Db = None) -> None:
    """Add an org; a likely duplicate already in the store is named (it is added all the same).

    With --orgnr, megler looks the number up (the imported register file first, then
    Enhetsregisteret's API) and fills in the name, organisation form, industry (NACE),
    employees, municipality and region; what you type wins. If the register cannot be
    asked, the org is added with what you typed.

    Example: megler org add --orgnr 923609016

    Example: megler org add "Fredrikstad Mek AS" --orgnr 974760673 --municipality Fredrikstad --employees 40
    """
    from megler import orgs
    from megler.duplicates import duplicates_of

    if name is None and not orgnr:
        raise typer.BadParameter("Missing argument 'NAME' (or give --orgnr)", param_hint="'NAME'")
    fields = _fields(name=name, orgnr=orgnr, country=country, kind=kind, industry=industry,
                     municipality=municipality, region=region, employees=employees, rd_experience=rd)
    if _known_in_network(db, fields):
        return
    told = _looked_up(db, orgnr, country, typed=bool(name)) if orgnr else None
    with opened(db, write=True) as s:
        org = orgs.add_org(s, fields, force=force, told=told)
        say(f"Added org #{org.id} {org.name}" + (f" (from {_register(told)})" if told else ""))
        _say_standing(org)
        _say_unplaced(org)
        for i, other in duplicates_of(s, org):  # added all the same: the broker knows best
            say(f"Warning: #{i} {other} may be the same org; if so: megler org merge {i} {org.id}")


def _known_in_network(db: str | None, fields) -> bool:
    """A colleague has the org: megler uses theirs, and says who met it last."""
    from megler.models import ident
    from megler.network import known_in_network, last_visit
    from megler.store import resolve
    from megler.where import Url

    if not isinstance(resolve(db), Url):  # a network is on PostgreSQL
        return False
    with opened(db) as s:
        org = known_in_network(s, fields)
        met = last_visit(s, ident(org.id)) if org else None
    if org:
        seen = f"; last visit {met[0]} by {met[1] or 'a broker'}" if met else "; no visit yet"
        say(f"#{org.id} {org.name} is in the network's store already{seen}. It is yours too: "
            f"megler visit add {org.id} …")
    return org is not None


def _looked_up(db: str | None, number: str, country: str | None, *, typed: bool,
               unchanged: str = "nothing was added (give the org's name too)", own: int | None = None):
    """What the register says of the number, or None with one line why: an error when
    nothing else was typed, else a note."""
    from megler import config
    from megler.errors import MeglerError
    from megler.orgs import validate_orgnr
    from megler.registers.lookup import Registers
    from megler.registers.unit import told
    from megler.store import resolve

    compact, country = validate_orgnr(number, country)
    if _holder(db, compact) not in (None, own):
        return None  # the number is taken: adding or editing says so, with no lookup first
    with Registers(resolve(db), config.get("register_url")) as registers:
        looked = registers.look_up(compact, country)
    if looked.unit and looked.noted and (looked.unit.name or typed):
        return told(looked.unit, looked.noted)
    if looked.unit and not typed:
        status = f" and says it is {looked.unit.status}" if looked.unit.status else ""
        raise MeglerError(f"the register gives no name for {compact}{status}; {unchanged}")
    if not typed:
        raise MeglerError(f"{looked.why_not}; {unchanged}")
    if looked.asked:  # no register to ask (Sweden, no file imported) is nothing to tell
        say(f"Note: {looked.why_not}; the org keeps what you typed")
    return None


def _holder(db: str | None, orgnr: str) -> int | None:
    """The org that holds the number already, if any."""
    from sqlmodel import select

    from megler.models import Org
    from megler.store import resolve

    if not resolve(db).exists():
        return None
    with opened(db) as s:
        return s.exec(select(Org.id).where(Org.orgnr == orgnr)).first()


def _register(told) -> str:
    return "Bolagsverket" if told.source == "bolagsverket" else "Enhetsregisteret"


def _say_standing(org) -> None:
    if org.register_status:
        say(f"Warning: the register says #{org.id} {org.name} is {org.register_status.replace('_', ' ')}")


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(metavar="FILE", help=(
                "A CSV list (`;` or `,`) with a column of org numbers, and optionally "
                "name and municipality columns."))],
            dry_run: Annotated[bool, typer.Option("--dry-run", help=(
                "Show what would be added, and which numbers are unknown or in the store "
                "already; write nothing."))] = False,
            fmt: Fmt = Format.table, db: Db = None) -> None:
    """Add many orgs at once from a list of org numbers, each filled in from the register:
    all of them or none.

    A number already in the store (or twice in the list) is left out; one the register
    does not know is added with the list's name, and without one the list is refused.

    Example: megler org import bedrifter.csv --dry-run
    """
    from megler import config
    from megler.registers import orglist
    from megler.registers.lookup import Registers
    from megler.store import resolve

    listed = orglist.read_list(file)
    existing = _numbers_in_store(db)
    with Registers(resolve(db), config.get("register_url")) as registers:
        planned = orglist.plan(listed, existing, registers)
    if registers.unreachable:
        say(f"Note: {registers.unreachable}")
    if dry_run:
        render([p.row() for p in planned], fmt, title="Would add",
               columns=["line", "orgnr", "name", "action", "why"])
        return say(f"Dry run: would add {orglist.summary(planned)}; nothing was written")
    with opened(db, write=True) as s:
        added = orglist.add_planned(s, planned)
    say(f"Added {counted(len(added), 'org', 'orgs')}: {orglist.summary(planned)}")


def _numbers_in_store(db: str | None) -> dict[str, tuple[int, str]]:
    """The store's org numbers; none when there is no store yet (a dry run makes none)."""
    from megler.registers.orglist import numbers_in_store
    from megler.store import resolve

    if not resolve(db).exists():
        return {}
    with opened(db) as s:
        return numbers_in_store(s)


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
         refresh: Annotated[bool, typer.Option(
             "--refresh", help="Look the org number up again: the register's news changes "
             "what it gave before, never what you typed.")] = False,
         db: Db = None) -> None:
    """Change an org's fields; those not given stay as they are.

    Kind, industry, municipality, employees and R&D experience are kept with the day
    they changed, so a past period's report stays as it was.

    Example: megler org edit "Fredrikstad Mek" --employees 45 --rd --since 2026-10-01

    Example: megler org edit "Halden Sag" --refresh
    """
    from megler import orgs

    fields = _fields(name=name, orgnr=orgnr, country=country, kind=kind, industry=industry,
                     municipality=municipality, region=region, employees=employees, rd_experience=rd)
    told = _refreshed(db, org, fields) if refresh else None
    with opened(db, undoable=True) as s:
        found = orgs.edit_org(s, orgs.find_org(s, org), fields,
                              since=day(since) if since else None, force=force, told=told)
        say(f"Updated org #{found.id} {found.name}" + (f" (from {_register(told)})" if told else ""))
        _say_standing(found)
        _say_unplaced(found)


def _refreshed(db: str | None, ref: str, fields):
    """The register's word on the org's number; refreshing alone, nothing found is an error."""
    from megler import orgs
    from megler.errors import InvalidInput

    with opened(db) as s:
        found = orgs.find_org(s, ref)
    number = fields.orgnr or found.orgnr
    if not number:
        raise InvalidInput(f"org #{found.id} has no org number to look up (give --orgnr)")
    typed = any(v is not None for v in vars(fields).values())
    return _looked_up(db, number, fields.country or found.country, typed=typed,
                      unchanged="nothing was changed", own=found.id)


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
