"""megler search TEXT"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, render, say


def search(text: Annotated[str, typer.Argument(metavar="TEXT", help="Words; each also matches as a word beginning.")],
           fmt: Fmt = Format.table, db: Db = None) -> None:
    """Search orgs, visit notes, template fields and needs.

    Example: megler search sveis
    """
    from megler.search import MARK
    from megler.search import search as find

    with opened(db) as s:
        hits = find(s, text)
    if fmt != Format.table:
        plain = [h | {"snippet": h["snippet"].replace(MARK[0], "").replace(MARK[1], "")} for h in hits]
        return render(plain, fmt)
    _print_hits(hits, MARK)


def _print_hits(hits: list[dict], mark: tuple[str, str]) -> None:
    from megler.cli.output import console, table, text

    if not hits:
        return say("no matches")
    grid = table([], ["kind", "id", "title", "snippet"], title="Search")
    for hit in hits:
        snippet = text("")
        for i, part in enumerate(hit["snippet"].replace(mark[1], mark[0]).split(mark[0])):
            snippet.append(text(part, style="bold yellow" if i % 2 else ""))
        grid.add_row(hit["kind"], str(hit["id"]), text(hit["title"]), snippet)
    console().print(grid)
