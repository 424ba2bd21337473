"""megler undo"""

from megler.cli.common import Db, Yes, confirm, opened
from megler.cli.output import say


def undo(yes: Yes = False, db: Db = None) -> None:
    """Put back what the last delete, merge or edit changed, if nothing has changed it since.

    Example: megler undo
    """
    from megler.undo import last_undoable, undo_last

    with opened(db) as s:
        last = last_undoable(s)
    confirm(f"Undo `{last.command}` of {last.time:%Y-%m-%d %H:%M}?", yes)
    with opened(db, write=True) as s:
        done = undo_last(s)
    say(f"Undid `{done['command']}` ({done['rows']} rows put back)")
