"""Full-text search over orgs, visit notes and needs (SQLite FTS5).

Every word of the query matches as a word beginning, because Norwegian and Swedish
build compounds: `sveis` finds `sveisesertifisering`.
"""

import re

from sqlalchemy import text
from sqlmodel import Session

from megler.errors import InvalidInput

KINDS = {1: "org", 2: "visit", 3: "need"}  # the rowid code, see migrations.m001_initial
MARK = "\x02", "\x03"                         # around the matched words in a snippet


def fts_query(words: str) -> str:
    """Each word quoted (so FTS5 syntax in the input is just text) and as a prefix."""
    tokens = re.findall(r"\w+", words)
    if not tokens:
        raise InvalidInput("search needs at least one word")
    return " ".join(f'"{t}"*' for t in tokens)


def search(s: Session, words: str, limit: int = 50) -> list[dict]:
    rows = s.exec(text(
        "SELECT rowid, title, snippet(search, 1, :open, :close, '…', 12) AS snip "
        "FROM search WHERE search MATCH :q ORDER BY rank LIMIT :limit"),
        params={"q": fts_query(words), "open": MARK[0], "close": MARK[1], "limit": limit})
    hits = []
    for rowid, title, snip in rows:
        kind = KINDS[rowid % 8]
        hits.append({"kind": kind, "id": rowid // 8, "title": title or "",
                     "snippet": snip if MARK[0] in snip else title})
    return hits
