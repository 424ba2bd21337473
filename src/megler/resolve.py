"""Naming a record as a broker does: by id, by a key, or by an unambiguous part of its name.

One resolver serves orgs (id, org number, name), contacts (id, e-mail, name),
catalog entries (id, key, name) and referral targets, with one message for "none"
and one for "several":

    >>> pick("mek", [Named(1, "Fredrikstad Mek AS"), Named(2, "Halden Tre AS")], ORG).id
    1

Names compare without case and accents, the way a broker types them on any keyboard:
`skjonnsmidler` names "Skjønnsmidler", `laerling` "Lærling", `bronnoy` "Brønnøy".
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from megler.errors import InvalidInput, NotFound

LISTED = 8  # candidates named in an "ambiguous" message
_MARKS = re.compile(r"[\u0300-\u036f]")  # the combining accents NFKD splits off
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})


def plain(text: str) -> str:
    """`Skjønnsmidler Årjäng` → `skjonnsmidler arjang`: no case, no accents, Nordic letters spelt out."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _MARKS.sub("", unicodedata.normalize("NFKD", folded.translate(_LETTERS)))


_DOUBLED = re.compile(r"aa|oe")  # å and ø as written without them: "Staalservice", "Bronnoey"


def fold(text: str) -> str:
    """How search and place names compare: `plain`, with ä as æ and a doubled letter as
    the one it stands for, so each spelling of a Nordic letter finds the others.

    ä stays apart from a (it is the Swedish æ): `vård` is not `värd`.

    >>> fold("Brønnøy"), fold("Bronnoey"), fold("lærling"), fold("Värdskap"), fold("Staal")
    ('bronnoy', 'bronnoy', 'laerling', 'vaerdskap', 'stal')
    """
    return _DOUBLED.sub(lambda m: m.group()[0], plain(text.casefold().replace("ä", "ae")))


@dataclass(frozen=True)
class Named:
    """A record as the resolver sees it."""

    id: int
    name: str
    keys: tuple[str, ...] = ()   # exact identifiers besides the id: org number, key, e-mail
    retired: bool = False        # found only when nothing current fits


@dataclass(frozen=True)
class Noun:
    one: str        # "org"
    many: str       # "orgs"
    by: str         # how it can be named: "its id, org number or part of its name"
    listing: str    # where to look them up: "megler org list"


ORG = Noun("org", "orgs", "its id, org number or part of its name", "megler org list")
CONTACT = Noun("contact", "contacts", "their id, e-mail or part of their name", "megler contact list")
ENTRY = Noun("catalog entry", "catalog entries", "its id, key or part of its name",
             "megler catalog list")


def pick(ref: str, candidates: Iterable[Named], noun: Noun, *, within: str = "",
         key: Callable[[str], str] = str.casefold) -> Named:
    """The one candidate `ref` names: by id or key, else by its whole name, else by a part.

    `key` normalises the ref before it is compared with the keys (an org number
    typed with spaces); `within` says where the search looked ("at Halden Tre AS").
    """
    wanted = ref.strip()
    if not wanted:
        raise InvalidInput(f"name {'an' if noun.one[0] in 'aeiou' else 'a'} {noun.one}: {noun.by}")
    folded, keyed, named = plain(wanted), key(wanted), list(candidates)
    names = {c.id: plain(c.name) for c in named}
    tiers = (lambda c: str(c.id) == wanted or keyed in c.keys,
             lambda c: names[c.id] == folded,
             lambda c: folded in names[c.id])
    for fits in tiers:
        hits = [c for c in named if fits(c)]
        hits = [c for c in hits if not c.retired] or hits
        if len(hits) > 1:
            raise InvalidInput(ambiguous(ref, hits, noun))
        if hits:
            return hits[0]
    raise NotFound(f"no {noun.one}{' ' + within if within else ''} matches {wanted!r} "
                   f"(see {noun.listing})")


def ambiguous(ref: str, hits: list[Named], noun: Noun) -> str:
    listed = ", ".join(f"#{c.id} {c.name}" for c in hits[:LISTED])
    more = f" and {len(hits) - LISTED} more" if len(hits) > LISTED else ""
    return f"{ref.strip()!r} matches several {noun.many}: {listed}{more}; use the id"
