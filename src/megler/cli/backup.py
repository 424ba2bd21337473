"""megler backup | megler restore"""

from pathlib import Path
from typing import Annotated

import typer

from megler.cli.common import Db, Yes, confirm, existing, writable
from megler.cli.output import say


def backup(file: Annotated[Path | None, typer.Argument(
               metavar="FILE", help="Where to write (default: beside the store, with the time).")] = None,
           db: Db = None) -> None:
    """Take a consistent copy of the store, even while other megler commands run.

    Example: megler backup ~/sikkerhet/megler-2026-09.db
    """
    from megler import backup as copies
    from megler import store

    path = existing(db)
    store.engine(path)  # an old store is upgraded (and copied aside) first
    if isinstance(path, store.Url):
        made = copies.take_backup_postgres(path, file)
        return say(f"Backed up {path} to {made} (megler's export document)")
    made = copies.take_backup(path, file)
    say(f"Backed up to {made}")


def restore(file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by megler backup.")],
            yes: Yes = False, db: Db = None) -> None:
    """Replace the store by a backup, after checking the backup and copying the store aside.

    Example: megler restore ~/sikkerhet/megler-2026-09.db
    """
    from megler import backup as copies
    from megler.store import Url

    path = writable(db)
    if isinstance(path, Url):  # into an empty database: the server keeps no file to set aside
        confirm(f"Fill the store at {path} from {file}?", yes)
        copies.restore_postgres(path, file)
        return say(f"Restored {file} into {path}")
    version = copies.verify_backup(file)
    confirm(f"Replace the store at {path} by {file} (schema {version})?", yes)
    aside = copies.restore(path, file)
    say(f"Restored {file}" + (f"; the store as it was is in {aside}" if aside else ""))
