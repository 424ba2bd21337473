"""Full-text search over orgs, visit notes and needs (SQLite FTS5).

Every word of the query matches as a word beginning, because Norwegian and Swedish
build compounds: `sveis` finds `sveisesertifisering`.
"""

import re

from sqlmodel import Session

from megler import sql
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
    rows = sql.rows(s, "SELECT rowid, title, snippet(search, 1, :open, :close, '…', 12) "
                       "FROM search WHERE search MATCH :q ORDER BY rank LIMIT :limit",
                    q=fts_query(words), open=MARK[0], close=MARK[1], limit=limit)
    hits = [{"kind": KINDS[rowid % 8], "id": rowid // 8, "title": title,
             "snippet": snip if MARK[0] in snip else title} for rowid, title, snip in rows]
    for hit in hits:
        hit["title"] = (hit["title"] or _title(s, hit["kind"], hit["id"])).strip()
        # The indexed text joins several fields with spaces; an empty one leaves a gap.
        hit["snippet"] = " ".join((hit["snippet"] or hit["title"]).split())
    return hits


def _title(s: Session, kind: str, id_: int) -> str:
    """Visits and needs are titled by their org and date, which the index does not hold."""
    query = {"visit": "SELECT group_concat(o.name, ', ') || ' ' || v.date FROM visit v "
                      "JOIN visitorg vo ON vo.visit_id = v.id JOIN org o ON o.id = vo.org_id "
                      "WHERE v.id = :id",
             "need": "SELECT o.name || ' ' || n.date FROM need n JOIN org o ON o.id = n.org_id "
                     "WHERE n.id = :id"}[kind]
    return sql.value(s, query, id=id_) or ""
