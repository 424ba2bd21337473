"""megler demo: a few weeks of a broker in Østfold, in a throwaway store."""

import contextlib
import io
import shlex
import tempfile
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from megler.cli.output import console, say
from megler.clock import today
from megler.errors import InvalidInput
from megler.limits import FIRST_DAY, LAST_DAY

# What the broker looks at once the weeks are recorded: a title and a command each.
TOUR = [
    ("Every morning: what is due", "due --explain"),
    ("Before the next meeting: one org's history", 'org show "Fredrikstad Mek"'),
    ("The active needs", "need list --status active"),
    ("Where the referrals stand", "referral list"),
    ("What could help Halden Treindustri", "match 5 --top 4"),
    ("The report for the county, for the five weeks", "report --period {weeks} --lang nb"),
]
REACH = timedelta(days=60)  # examples/week.txt dates its lines up to five weeks back, two ahead


def demo(keep: Annotated[Path | None, typer.Option(
        "--keep", metavar="PATH", help="Keep the demo store in this new file to explore it.")] = None) -> None:
    """Record a realistic few weeks of a broker from examples/, then show what they see.

    Never touches your own store: the demo writes to a temporary one (or to --keep PATH),
    and never asks a register about its invented org numbers.

    Example: megler demo --keep /tmp/demo.db
    """
    if keep and keep.exists():
        raise InvalidInput(f"{keep} exists already; --keep wants a new file")
    from megler.registers.lookup import OFFLINE

    _check_today()
    offline = OFFLINE.set(True)  # its invented org numbers may be real units': never asked
    try:
        _tour(keep)
    finally:
        OFFLINE.reset(offline)
    if keep:
        say(f"The demo store is kept at {keep}; try: megler org list --db {keep}")


def _tour(keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="megler-demo-") as folder:
        db = keep or Path(folder) / "demo.db"
        script = files("megler").joinpath("examples", "week.txt").read_text(encoding="utf-8")
        lines = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
        say(f"Recording five weeks in Østfold ({len(lines)} commands from examples/week.txt) ...")
        _run(f"catalog import {shlex.quote(str(files('megler').joinpath('examples', 'catalog')))}",
             db, quiet=True)
        for line in lines:
            _run(line, db, quiet=True)
        weeks = f"{today() - timedelta(days=35)}..{today()}"
        for title, command in TOUR:
            command = command.format(weeks=weeks)
            console().rule(f"{title}:  megler {command}", align="left")
            _run(command, db)


def _check_today() -> None:
    """Before any step: a today near the limits would fail the script halfway."""
    if not FIRST_DAY + REACH <= today() <= LAST_DAY - REACH:
        raise InvalidInput(f"the demo records the weeks around today ({today()}), which must "
                           f"lie within {FIRST_DAY + REACH} .. {LAST_DAY - REACH}; set "
                           "MEGLER_TODAY to another day, or unset it")


def _run(command: str, db: Path, quiet: bool = False) -> None:
    """Run one megler command line in this process, on the demo store."""
    from megler.cli import app

    talk = io.StringIO()
    with contextlib.redirect_stderr(talk) if quiet else contextlib.nullcontext():
        code = typer.main.get_command(app).main(
            [*shlex.split(command), "--db", str(db)], prog_name="megler", standalone_mode=False)
    if code:  # a line of the script failed: that is a bug in the example, show it whole
        raise RuntimeError(f"demo step failed: megler {command}\n{talk.getvalue()}")
