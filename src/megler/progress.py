"""Long work says how far it has come, so a person watching sees it move.

Domain code passes each step that can take seconds (reading catalog files, building the
matcher's index, exporting tables, checking the records) through `steps(items, what)`;
with nobody watching that is `items` itself. The command line sets WATCHER to
cli.output.progress, which draws a bar on stderr when stderr is a terminal. Kept free
of Rich, like every domain module, and set per command like audit.COMMAND.

    >>> list(steps([1, 2], "Counting"))
    [1, 2]
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

Watcher = Callable[[Iterable, str, int | None], Iterable]
WATCHER: ContextVar[Watcher | None] = ContextVar("megler_watcher", default=None)


def steps(items: Iterable[T], what: str, total: int | None = None) -> Iterable[T]:
    """`items`, shown to a watcher as `what` going from 0 to `total` (default: len(items))."""
    watcher = WATCHER.get()
    return watcher(items, what, total) if watcher else items
