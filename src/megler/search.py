"""Full-text search over orgs, contacts, visit notes and needs (SQLite FTS5, trigrams).

The index holds a folded copy of each text (`megler.resolve.fold`: ø = oe = o,
æ = ae = ä, å = aa), so every spelling of a Nordic letter finds the others, and its
trigrams find a word inside a compound: `båt` finds `trebåt` and `fritidsbåter`.
Digits written in groups are one number: `974 760 673` is `974760673`. A word of two
letters matches as a word beginning, one of one letter as a whole word.

SQLite cannot fold as megler does, so megler keeps the index, not SQLite: triggers
only note which rows changed (`search_stale`, migrations.m008), and `refresh` indexes
them before every commit that wrote (store.session) and before every search.
"""

import re
import sqlite3
from functools import lru_cache

from sqlmodel import Session

from megler import sql
from megler.errors import InvalidInput
from megler.resolve import fold

MARK = "\x02", "\x03"  # around the matched words in a snippet
SHORTEST = 3           # the trigram index finds nothing shorter by itself
WIDTH = 12             # words in a snippet
WEIGHTS = 4.0, 1.0     # bm25 weights of title and body: a name outranks a mention

# The rowid code (id * 8 + code), what each kind is titled by in the index, and its text.
SOURCES = {
    1: ("org", "SELECT id, name, coalesce(orgnr, '') || ' ' || coalesce(industry, '') || ' ' "
               "|| coalesce(municipality, '') FROM org"),
    2: ("visit", "SELECT id, '', coalesce(notes, '') || ' ' || coalesce(since_last, '') || ' ' "
                 "|| coalesce(next_steps, '') FROM visit"),
    3: ("need", "SELECT id, '', text FROM need"),
    4: ("contact", "SELECT id, name, coalesce(email, '') || ' ' || coalesce(role, '') || ' ' "
                   "|| coalesce(phone, '') FROM contact"),
}
KINDS = {code: kind for code, (kind, _) in SOURCES.items()}
_GROUPED_DIGITS = re.compile(r"(?<=\d)[ .-](?=\d)")  # "974 760 673", "556012-5790"
_WORD = re.compile(r"[^\W_]+")
_PUNCTUATED = re.compile(r"(\W*)(.*?)(\W*)", re.S)


def words_of(written: str) -> list[str]:
    """The folded words search compares, the same for the index and for a query."""
    return [w for token in _GROUPED_DIGITS.sub("", written).split() for w in _folded(token)]


@lru_cache(maxsize=65536)
def _folded(token: str) -> tuple[str, ...]:
    # A store's texts repeat their words: folding each once makes indexing a store twice as fast.
    return tuple(_WORD.findall(fold(token)))


class Hits(list):
    """The hits, and how many changed rows the index does not hold yet (a read-only store
    that another program wrote to cannot have them indexed)."""

    def __init__(self, hits: list[dict], unindexed: int = 0) -> None:
        super().__init__(hits)
        self.unindexed = unindexed


def search(s: Session, words: str, limit: int = 50) -> Hits:
    """The best hits first: each with its kind, id, title and a snippet with the matches marked."""
    terms = words_of(words)
    if not terms:
        raise InvalidInput("search needs at least one word")
    unindexed = _catch_up(s)
    found = _matching(s, terms, limit)
    texts = {id_ * 8 + code: (name, body) for code in SOURCES
             for id_, name, body in _texts(_raw(s), code, [r // 8 for r in found if r % 8 == code])}
    titles = {rowid: title for kind in TITLES
              for rowid, title in _titles(s, kind, [r // 8 for r in found if KINDS[r % 8] == kind])}
    return Hits([_hit(rowid, titles.get(rowid) or texts[rowid][0], texts[rowid][1], terms)
                 for rowid in found], unindexed)


def _catch_up(s: Session) -> int:
    """Index what changed; 0, or on a store that cannot be written how many rows wait."""
    try:
        refresh(s)
        return 0
    except sqlite3.OperationalError as e:
        if getattr(e, "sqlite_errorname", "") != "SQLITE_READONLY":
            raise
        return sql.value(s, "SELECT count(*) FROM search_stale")


def _matching(s: Session, terms: list[str], limit: int) -> list[int]:
    if sql.on_postgres(s):
        return _matching_postgres(s, terms, limit)
    phrases = " ".join(f'"{_phrase(t)}"' for t in terms)
    return [r for (r,) in sql.rows(s, "SELECT rowid FROM search WHERE search MATCH :q ORDER BY "
                                      f"bm25(search, {WEIGHTS[0]}, {WEIGHTS[1]}) LIMIT :limit",
                                   q=phrases, limit=limit)]


def _matching_postgres(s: Session, terms: list[str], limit: int) -> list[int]:
    """The same hits as SQLite's trigram index: every term's phrase in the title or the
    body (pg_trgm's index serves LIKE); a term in the title weighs as bm25's does."""
    likes = {f"t{i}": f"%{_phrase(t)}%" for i, t in enumerate(terms)}  # folded: no % or _
    each = " AND ".join(f"(title LIKE :{k} OR body LIKE :{k})" for k in likes)
    weight = " + ".join(f"(title LIKE :{k})::int * {WEIGHTS[0]} + (body LIKE :{k})::int * {WEIGHTS[1]}"
                        for k in likes)
    return [r for (r,) in sql.rows(s, f"SELECT rowid FROM search WHERE {each} "
                                      f"ORDER BY {weight} DESC, length(title || body), rowid "
                                      "LIMIT :limit", limit=limit, **likes)]


def _phrase(term: str) -> str:
    """What the trigram index looks for. The indexed text is its words between single
    spaces, with one before and after, so a space makes a short word three letters long:
    two letters are a word beginning (" as"), one letter a whole word (" i ")."""
    return term if len(term) >= SHORTEST else f" {term}" if len(term) == 2 else f" {term} "


def _hit(rowid: int, title: str, body: str, terms: list[str]) -> dict:
    title = title.strip()
    return {"kind": KINDS[rowid % 8], "id": rowid // 8, "title": title,
            "snippet": snippet(body, terms) or snippet(title, terms) or title}


def snippet(written: str, terms: list[str], width: int = WIDTH) -> str:
    """The words around the first match, each matching word between MARKs; '' if none match.

    >>> snippet("Fire nye fritidsbåter i år", ["bat"]).replace("\\x02", "[").replace("\\x03", "]")
    'Fire nye [fritidsbåter] i år'
    """
    words = written.split()
    found = [i for i, word in enumerate(words) if _matches(word, terms)]
    if not found:
        return ""
    start = max(0, min(found[0] - width // 3, len(words) - width))
    shown = [_marked(w) if i in found else w for i, w in enumerate(words[start:start + width], start)]
    return ("… " if start else "") + " ".join(shown) + (" …" if start + width < len(words) else "")


def _marked(word: str) -> str:
    """The word between MARKs, its punctuation outside: `\x02Bjørnstad\x03,`."""
    lead, core, tail = _PUNCTUATED.fullmatch(word).groups()  # type: ignore[union-attr]  # always matches
    return f"{lead}{MARK[0]}{core}{MARK[1]}{tail}"


def _matches(word: str, terms: list[str]) -> bool:
    """Does the word hold a term, as the index would find it (see `_phrase`)?"""
    folded = f" {''.join(words_of(word))} "
    return any(_phrase(t) in folded for t in terms)


def refresh(s: Session) -> None:
    """Index the rows changed since the last refresh, in the session's transaction."""
    reindex(_raw(s))


def reindex(db) -> None:
    """Index the rows noted in `search_stale`, a batch at a time (store.prepare calls it
    once after an upgrade, so that no command pays for a whole store's index).
    `db` is the DB-API connection, SQLite's or psycopg's (their placeholders differ)."""
    mark = "?" if isinstance(db, sqlite3.Connection) else "%s"
    cursor = db.cursor()
    while stale := [r for (r,) in cursor.execute("SELECT rowid FROM search_stale LIMIT 5000").fetchall()]:
        listed = ", ".join(map(str, stale))  # integers from the store: safe as literals
        cursor.execute(f"DELETE FROM search WHERE rowid IN ({listed})")
        cursor.executemany(f"INSERT INTO search (rowid, title, body) VALUES ({mark}, {mark}, {mark})", [
            (id_ * 8 + code, _indexed(title), _indexed(body))
            for code in SOURCES
            for id_, title, body in _texts(db, code, [r // 8 for r in stale if r % 8 == code])])
        cursor.execute(f"DELETE FROM search_stale WHERE rowid IN ({listed})")


def _indexed(written: str) -> str:
    return f" {' '.join(words_of(written))} "


def rebuild(s: Session) -> None:
    """After an erasure: the index keeps old entries in its pages until merged; a rebuild
    drops them, so nothing erased stays in the file."""
    refresh(s)
    if not sql.on_postgres(s):  # there: VACUUM (privacy)
        _raw(s).execute("INSERT INTO search(search) VALUES ('rebuild')")


def _texts(db, code: int, ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    return db.cursor().execute(f"{SOURCES[code][1]} WHERE id IN ({', '.join(map(str, ids))})").fetchall()


def _raw(s: Session):
    """The session's own SQLite connection, inside its transaction: the index is written
    row by row, where SQLAlchemy's statement handling would cost more than the work."""
    return s.connection().connection.dbapi_connection


TITLES = {  # what a hit is titled by besides its own name (rowid, title): its orgs and date
    "visit": "SELECT v.id * 8 + 2, group_concat(o.name, ', ') || ' ' || v.date FROM visit v "
             "JOIN visitorg vo ON vo.visit_id = v.id JOIN org o ON o.id = vo.org_id "
             "WHERE v.id IN ({ids}) GROUP BY v.id, v.date",
    "need": "SELECT n.id * 8 + 3, o.name || ' ' || n.date FROM need n JOIN org o ON o.id = n.org_id "
            "WHERE n.id IN ({ids})",
    "contact": "SELECT c.id * 8 + 4, c.name || ', ' || o.name FROM contact c "
               "JOIN org o ON o.id = c.org_id WHERE c.id IN ({ids})",
}


def _titles(s: Session, kind: str, ids: list[int]) -> list[tuple]:
    return sql.rows(s, TITLES[kind].format(ids=", ".join(map(str, ids)))) if ids else []
