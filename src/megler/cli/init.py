"""megler init"""

from megler.cli.common import Db, writable
from megler.cli.output import say


def init(db: Db = None) -> None:
    """Create the store (a command that writes also creates it on first use; one that only reads does not).

    Example: megler init --db ~/megler/østfold.db
    """
    from megler.store import prepare

    path = writable(db)
    applied = prepare(path)
    say(f"Store ready at {path}" + (f" (applied {', '.join(applied)})" if applied else ""))
