"""megler search TEXT"""

from typing import Annotated

import typer

from megler.cli.common import Db, Fmt, opened
from megler.cli.output import Format, render, say


def search(text: Annotated[str, typer.Argument(metavar="TEXT", help="Words; each also matches as a word beginning.")],
           fmt: Fmt = Format.table, db: Db = None) -> None:
    """Search orgs, contacts, visit notes, template fields and needs.

    Each hit shows its kind, id, name or date, the words around the match, and the
    command that opens it.

    Example: megler search sveis
    """
    from megler.search import MARK
    from megler.search import search as find

    with opened(db) as s:
        hits = find(s, text)
    if hits.unindexed:
        rows = "1 changed row is" if hits.unindexed == 1 else f"{hits.unindexed:,} changed rows are"
        say(f"Warning: {rows} not in the search index: the store is read-only")
    if fmt != Format.table:
        return render(hits, fmt, marks=MARK)
    if not hits:
        return say("no matches")
    render([hit | {"open": f"megler {hit['kind']} show {hit['id']}"} for hit in hits], fmt,
           title="Search", marks=MARK, columns=["kind", "id", "title", "snippet", "open"])
