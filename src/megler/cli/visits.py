"""megler visit add|list|show|edit"""

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
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
    interactive,
    opened,
    render_page,
    rows_wanted,
)
from megler.cli.common import app as group
from megler.cli.output import Format, render, say
from megler.errors import InvalidInput, MeglerError
from megler.reports.i18n import counted
from megler.vocabulary import NeedKind, VisitKind, listed

app = group("Meetings with orgs: on site, phone, video or at an event.")

VisitId = Annotated[int, typer.Argument(metavar="ID", help="The visit's id.")]
Kind = Annotated[str, typer.Option("--kind", "-k", help=f"{listed(VisitKind)}.")]
Notes = Annotated[str | None, typer.Option("--notes", "-n", metavar="TEXT", help="What was said.")]
SinceLast = Annotated[str | None, typer.Option(metavar="TEXT", help="What has happened since last time, and how.")]
NextSteps = Annotated[str | None, typer.Option(metavar="TEXT", help="What we do before next time, and why it matters.")]


@dataclass
class Typed:
    """A visit as typed, on the command line or in the editor; checked when stored."""

    orgs: list[str] = field(default_factory=list)
    date: str = "today"
    kind: str = "visit"
    contacts: list[str] = field(default_factory=list)
    notes: str | None = None
    since_last: str | None = None
    next_steps: str | None = None
    needs: list[str] = field(default_factory=list)
    need_kind: str | None = None
    follow_up: str | None = None
    follow_up_text: str | None = None


@app.command("add")
def add(
    org: Annotated[str | None, typer.Argument(metavar="ORG", help="The org met (id, org number or name).")] = None,
    date: When = "today", kind: Kind = "visit",
    more_orgs: Annotated[list[str] | None, typer.Option("--org", help="Another org at the same event (repeatable).")] = None,
    contact: Annotated[list[str] | None, typer.Option("--contact", "-c", help="A contact present: id, e-mail or part of the name (repeatable).")] = None,
    notes: Notes = None, since_last: SinceLast = None, next_steps: NextSteps = None,
    need: Annotated[list[str] | None, typer.Option("--need", metavar="TEXT", help="A need found, in your words (repeatable).")] = None,
    need_kind: Annotated[list[str] | None, typer.Option(metavar="KIND", help=(
        f"The kind of the needs: {listed(NeedKind)} (default: read from each need's text); a need of "
        "another kind says so in front: --need \"rd: Vil teste ...\"."))] = None,
    follow_up: Annotated[str | None, typer.Option("--follow-up", metavar="DATE", help="When to follow up (+2w, 2026-10-01).")] = None,
    follow_up_text: Annotated[str | None, typer.Option(metavar="TEXT", help="What to do then (default: the next steps).")] = None,
    edit: Annotated[bool, typer.Option("--edit", "-e", help="Write the visit in $EDITOR (only at a terminal).")] = False,
    source: Annotated[Path | None, typer.Option("--from", metavar="FILE", help=(
        "Store a filled-in visit template: one kept after an error, or your own; with "
        "--edit, change it in $EDITOR first."))] = None,
    db: Db = None,
) -> None:
    """Record a meeting straight after it, with the needs found and the next follow-up.

    In a terminal without notes, it opens $EDITOR on the visit template; a script never
    waits. A template that could not be stored is kept: `--from FILE` stores it.

    Example: megler visit add "Fredrikstad Mek" --since-last "Ny ordre fra Equinor" --need "Sveisekurs for 6 ansatte" --follow-up +2w
    """
    typed = Typed(orgs=[org, *(more_orgs or [])] if org else list(more_orgs or []),
                  date=date, kind=kind, contacts=contact or [], notes=notes,
                  since_last=since_last, next_steps=next_steps, needs=need or [],
                  need_kind=_one_kind(need_kind), follow_up=follow_up, follow_up_text=follow_up_text)
    at_terminal = interactive() and sys.stdout.isatty()
    kept = None  # the filled-in template, kept until the visit is stored
    if source:
        typed, kept = _from_file(source, typed, edit, db), source
    elif edit or (at_terminal and not (notes or since_last or next_steps)):
        typed, kept = _edit(typed, db)
    elif at_terminal and not typed.orgs:
        from rich.prompt import Prompt

        typed.orgs = [Prompt.ask("Org")]
    if kept and not _has_text(typed):
        _forget(kept, db)  # like an empty commit message: the broker changed their mind
        raise InvalidInput("the template came back with no text; nothing was stored")
    try:
        _check(typed, edited=kept is not None)
        with opened(db, write=True) as s:
            visit = _store(s, typed)
            say(f"Added visit #{visit.id} on {visit.date}")
            _say_read_kinds(s, visit, typed)
    except MeglerError as e:
        raise _still_kept(e, kept, db) if kept else e from None
    if kept:
        _forget(kept, db)


def _still_kept(e: Exception, kept: Path, db: str | None) -> InvalidInput:
    """Minutes of typing must not be lost to a typo in a date: where they are, and the
    command that stores them once fixed."""
    from megler.store import resolve

    store = f" --db {shlex.quote(str(resolve(db)))}" if resolve(db) != resolve(None) else ""
    return InvalidInput(f"{e}; what you wrote is kept in {kept}: fix it there and run "
                        f"`megler visit add{store} --from {shlex.quote(str(kept))}` "
                        "(add --edit to open it in your editor)")


def _forget(path: Path, db: str | None) -> None:
    """A draft megler kept goes once the visit is stored; a file of the broker's own stays."""
    from megler.store import resolve
    from megler.visit_form import kept_drafts

    if path.resolve() in {p.resolve() for p in kept_drafts(resolve(db))}:
        path.unlink(missing_ok=True)


def _from_file(source: Path, typed: Typed, edit: bool, db: str | None) -> Typed:
    """The visit in a template file (`--from FILE`), which holds all of it."""
    if typed != Typed():
        raise InvalidInput("--from FILE holds the whole visit: write the org, the date and "
                           "the rest in the file")
    if edit:
        _run_editor(source)
    return _read_form(source, db)


def _say_read_kinds(s, visit, typed: Typed) -> None:
    """Each need whose kind megler read from its text, so the broker sees the guess."""
    from sqlmodel import col, select

    from megler.cli.needs import read_as
    from megler.models import Need
    from megler.visits import kind_and_text

    if typed.need_kind:
        return
    needs = s.exec(select(Need).where(Need.visit_id == visit.id).order_by(col(Need.id))).all()
    for need, text in zip(needs, typed.needs, strict=False):
        if kind_and_text(text, None)[0] is None:
            say(f"Added need #{need.id}{read_as(need)}")


def _one_kind(kinds: list[str] | None) -> str | None:
    """One --need-kind for the visit: a second one would silently apply to every need."""
    if kinds and len(kinds) > 1:
        raise InvalidInput("give --need-kind once; a need of another kind says so in front: "
                           '--need "rd: Vil teste en ny prosess"')
    return kinds[0] if kinds else None


def _has_text(typed: Typed) -> bool:
    return bool(typed.notes or typed.since_last or typed.next_steps or typed.needs)


def _check(typed: Typed, *, edited: bool) -> None:
    """What the command line cannot say on its own: options that need another option."""
    if not typed.orgs:
        raise InvalidInput("which org? give ORG (id, org number or part of the name)")
    if typed.follow_up_text and not typed.follow_up:
        raise InvalidInput("a follow-up text needs a date (--follow-up DATE): when to do it")
    if typed.need_kind and not typed.needs and not edited:
        raise InvalidInput("--need-kind needs --need TEXT (the need it describes)")


def _store(s, typed: Typed):
    from megler.contacts import find_contact
    from megler.models import ident
    from megler.orgs import find_org
    from megler.parse import parse_choice
    from megler.visits import VisitDraft, add_visit

    orgs = [find_org(s, ref) for ref in typed.orgs]
    draft = VisitDraft(
        orgs=orgs, date=day(typed.date), kind=parse_choice(typed.kind, VisitKind, "visit kind"),
        contact_ids=[ident(find_contact(s, ref, orgs).id) for ref in typed.contacts],
        notes=typed.notes, since_last=typed.since_last, next_steps=typed.next_steps, needs=typed.needs, need_kind=typed.need_kind,
        follow_up=day(typed.follow_up) if typed.follow_up else None,
        follow_up_text=typed.follow_up_text)
    if not _has_text(typed):  # the same rule as for an empty template: a visit says something
        raise InvalidInput("a visit needs some text: give --notes, --since-last, --next-steps "
                           "or --need; nothing was stored")
    return add_visit(s, draft)


def _edit(typed: Typed, db: str | None) -> tuple[Typed, Path]:
    """Open the template in $VISUAL or $EDITOR; what the broker wrote, and its file (a
    private draft beside the store: see megler.visit_form)."""
    from megler import visit_form
    from megler.store import resolve

    if not interactive():  # before a draft is made that nobody could write in
        raise _no_terminal()
    form = visit_form.render(_to_form(_named(typed, db)))
    try:
        draft = visit_form.new_draft(resolve(db), form)
    except OSError as e:
        raise InvalidInput(f"cannot keep the visit template beside the store: {e.strerror}") from None
    try:
        _run_editor(draft)
    except MeglerError:
        draft.unlink()
        raise
    return _read_form(draft, db), draft


def _no_terminal() -> InvalidInput:
    return InvalidInput("--edit needs a terminal, and stdin is not one: in a script give "
                        "--notes, --since-last or --need, or --from FILE")


def _run_editor(path: Path) -> None:
    """$VISUAL or $EDITOR on `path`, only at a terminal: an editor with no terminal (vim
    reading a pipe) would wait for keys that never come."""
    if not interactive():
        raise _no_terminal()
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        failed = subprocess.run([*shlex.split(editor), str(path)]).returncode != 0
    except (OSError, ValueError):  # no such program, or a broken quote in $EDITOR
        raise InvalidInput(f"cannot start the editor {editor!r}; set $EDITOR to one "
                           "that is installed, e.g. export EDITOR=nano") from None
    if failed:
        raise InvalidInput("the editor failed; nothing was stored")


def _read_form(path: Path, db: str | None) -> Typed:
    from megler import visit_form
    from megler.text import nfc

    try:
        with open(path, encoding="utf-8") as f:
            return _from_form(visit_form.parse(nfc(f.read())))
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror}") from None
    except (MeglerError, UnicodeDecodeError) as e:
        raise _still_kept(e, path, db) from None


def _named(typed: Typed, db: str | None) -> Typed:
    """The orgs and contacts as the template shows them: by their names in the store, so
    the broker sees who is meant (and a typo fails now, not after the writing)."""
    from dataclasses import replace

    from megler.contacts import find_contact
    from megler.orgs import find_org

    if not typed.orgs:
        return typed
    with opened(db) as s:
        orgs = [find_org(s, ref) for ref in typed.orgs]
        contacts = [find_contact(s, ref, orgs).name for ref in typed.contacts]
    return replace(typed, orgs=[o.name for o in orgs], contacts=contacts)


def _to_form(typed: Typed):
    from megler.visit_form import Form

    headers = {"date": typed.date, "kind": typed.kind, "orgs": ", ".join(typed.orgs),
               "contacts": ", ".join(map(str, typed.contacts)), "need kind": typed.need_kind or "",
               "follow-up": typed.follow_up or "", "follow-up text": typed.follow_up_text or ""}
    sections = {"notes": typed.notes or "", "since_last": typed.since_last or "",
                "next_steps": typed.next_steps or "", "needs": "\n".join(typed.needs)}
    return Form(headers, sections)


def _from_form(form) -> Typed:
    h, sec = form.headers, form.sections
    contacts = [c.strip() for c in h.get("contacts", "").split(",") if c.strip()]
    return Typed(orgs=[o.strip() for o in h.get("orgs", "").split(",") if o.strip()],
                 date=h.get("date", "today"), kind=h.get("kind", "visit"), contacts=contacts,
                 notes=sec.get("notes"), since_last=sec.get("since_last"),
                 next_steps=sec.get("next_steps"),
                 needs=[n.strip() for n in sec.get("needs", "").splitlines() if n.strip()],
                 need_kind=h.get("need kind") or None, follow_up=h.get("follow-up"),
                 follow_up_text=h.get("follow-up text"))


@app.command("list")
def list_(org: Annotated[str | None, typer.Option("--org", help="Only visits to this org.")] = None,
          since: Annotated[str | None, typer.Option(help="From this date.")] = None,
          until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
          mine: Mine = False, broker: Broker = None,
          every: Every = False, limit: Limit = None, fmt: Fmt = Format.table, db: Db = None) -> None:
    """List visits, newest first (the newest 50 unless --all or --limit N).

    Example: megler visit list --since -4w
    """
    from megler.brokers import whose
    from megler.orgs import find_org
    from megler.visits import list_visits

    with opened(db) as s:
        rows = list_visits(s, org=find_org(s, org) if org else None,
                           whose=whose(s, mine=mine, broker=broker),
                           since=day(since) if since else None, until=day(until) if until else None,
                           limit=rows_wanted(every, limit))
    render_page(rows, fmt, title="Visits",
           columns=["id", "date", "kind", "orgs", "since_last", "next_steps"] if fmt == Format.table else None)


@app.command("show")
def show(visit_id: VisitId, fmt: Fmt = Format.table, db: Db = None) -> None:
    """Show a visit with its orgs, contacts and needs.

    Example: megler visit show 7
    """
    from megler.visits import get_visit, visit_detail

    with opened(db) as s:
        record = visit_detail(s, get_visit(s, visit_id))
    render(record, fmt, title=f"Visit #{visit_id}")


@app.command("edit")
def edit(visit_id: VisitId, date: Annotated[str | None, typer.Option("--date", "-d", help="A new date.")] = None,
         kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"{listed(VisitKind)}.")] = None,
         notes: Notes = None, since_last: SinceLast = None, next_steps: NextSteps = None,
         org: Annotated[list[str] | None, typer.Option(
             "--org", help="The orgs met, the host first (repeatable): they replace the old ones.")] = None,
         contact: Annotated[list[str] | None, typer.Option(
             "--contact", "-c", help="The contacts present (repeatable): they replace the old ones.")] = None,
         db: Db = None) -> None:
    """Change a visit's date, kind, text, orgs or contacts; what is not given stays as it is.

    Example: megler visit edit 7 --next-steps "Sende tilbud fra fagskolen innen fredag"
    """
    from megler.contacts import find_contact
    from megler.models import ident
    from megler.orgs import find_org
    from megler.visits import edit_visit, get_visit, visit_detail

    with opened(db, undoable=True) as s:
        visit = get_visit(s, visit_id)
        orgs = [find_org(s, ref) for ref in org] if org else None
        met = orgs or [find_org(s, str(o["id"])) for o in visit_detail(s, visit)["orgs"]]
        contacts = [ident(find_contact(s, ref, met).id) for ref in contact] if contact else None
        visit = edit_visit(s, visit, {
            "date": day(date) if date else None, "kind": kind, "notes": notes,
            "since_last": since_last, "next_steps": next_steps}, orgs=orgs, contact_ids=contacts)
        say(f"Updated visit #{visit.id}")


@app.command("delete")
def delete(visit_id: VisitId, yes: Yes = False, db: Db = None) -> None:
    """Delete a visit entered by mistake (megler undo puts it back); its needs stay.

    Example: megler visit delete 7
    """
    from megler.visits import delete_visit, get_visit, visit_detail

    def question(s) -> str:
        record = visit_detail(s, get_visit(s, visit_id))
        orgs = ", ".join(o["name"] for o in record["orgs"]) or "no org"
        return f"Delete visit #{visit_id} of {record['date']} with {orgs}?"

    def remove(s) -> str:
        kept = delete_visit(s, get_visit(s, visit_id))["needs_kept"]
        return f"Deleted visit #{visit_id}" + (
            f"; its {counted(kept, 'need stays', 'needs stay')}" if kept else "")

    delete_asking(db, yes, question, remove)
