"""Which orgs are likely one: names a broker types for the same org, made comparable.

"Uddevalla Plåt & Svets AB" and "Uddevalla Plåt och Svets AB", "Rana Stålservice AS"
and "Rana Staalservice": `name_key` gives each pair one key, and orgs whose keys are
alike (rapidfuzz ratio) are likely duplicates. `megler check` compares only names in a
block (the same numbers and a word beginning alike), so it never compares all pairs;
`org add` compares the new name with the names that share a block with it.

    >>> name_key("Rana Stålservice AS") == name_key("Rana Staalservice")
    True
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

ALIKE = 92       # rapidfuzz ratio of two keys, 0..100: a typo, a letter more or less
PREFIX = 4       # the letters of a word that put two names in one block
MAX_BLOCK = 500  # a word beginning shared by more names than this tells none of them apart

# Words that never tell two orgs apart: legal forms, and "and" in four spellings.
SILENT = frozenset({"as", "asa", "ab", "publ", "sa", "ans", "da", "ba", "iks", "kf", "hb",
                    "kb", "enk", "&", "og", "och", "and"})
# Nordic letters as typed without them (Staalservice) and across the border (Björn, Bjørn).
SPELLINGS = str.maketrans({"å": "aa", "ø": "oe", "æ": "ae", "ä": "ae", "ö": "oe"})
_WORD = re.compile(r"\w+|&")

Block = tuple[tuple[str, ...], str]


def name_key(name: str) -> str:
    """The words of a name that tell orgs apart: folded, spelt one way, sorted."""
    folded = unicodedata.normalize("NFC", name).casefold().translate(SPELLINGS)
    bare = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return " ".join(sorted(w for w in _WORD.findall(bare) if w not in SILENT))


def blocks(key: str) -> set[Block]:
    """The blocks a name is compared within: its numbers ("Bygg 1" and "Bygg 2" are two
    orgs by design) with each word's beginning, and the whole key (identical names)."""
    numbers = tuple(sorted(re.findall(r"\d+", key)))
    return {(numbers, w[:PREFIX]) for w in key.split() if not w.isdigit()} | {((), key)}


def similar_pairs(names: Iterable[tuple[int, str]]) -> list[tuple[int, int, float]]:
    """(id, id, how alike) for each pair of orgs whose names are likely one org, lower id first."""
    keys = {i: key for i, name in names if (key := name_key(name))}
    members: dict[Block, list[int]] = defaultdict(list)
    for i in sorted(keys):
        for block in blocks(keys[i]):
            members[block].append(i)
    found: dict[tuple[int, int], float] = {}
    for ids in members.values():
        if 1 < len(ids) <= MAX_BLOCK:
            found.update(_alike_within(ids, keys))
    return sorted((a, b, score) for (a, b), score in found.items())


def _alike_within(ids: list[int], keys: dict[int, str]) -> Iterator[tuple[tuple[int, int], float]]:
    from rapidfuzz import fuzz, process

    block = [keys[i] for i in ids]
    for n, key in enumerate(block[:-1]):
        for _, score, j in process.extract(key, block[n + 1:], scorer=fuzz.ratio,
                                           score_cutoff=ALIKE, limit=None):
            yield (ids[n], ids[n + 1 + j]), score


def likely_duplicates(name: str, others: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """The (id, name) among `others` likely to be the org called `name`, most alike first."""
    from rapidfuzz import fuzz

    key = name_key(name)
    near = blocks(key)
    alike = []
    for i, other in others:
        other_key = name_key(other)
        if key and near & blocks(other_key) and (score := fuzz.ratio(key, other_key, score_cutoff=ALIKE)):
            alike.append((-score, i, other))
    return [(i, other) for _, i, other in sorted(alike)]


def duplicates_of(s, org) -> list[tuple[int, str]]:
    """The other orgs in the store likely to be `org` (a Session and an Org in)."""
    from sqlmodel import select

    from megler.models import Org

    return likely_duplicates(org.name, s.exec(select(Org.id, Org.name).where(Org.id != org.id)))
