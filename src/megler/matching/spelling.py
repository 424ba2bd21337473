"""Words the catalog does not know, read as the catalog word the broker meant.

A broker's note is written fast: "tømmrere", "salgsoppæring" (typing errors, also inside
compounds), "helsefagarb.", "oppl." (abbreviations cut off with a full stop), or in
nynorsk against a bokmål catalog ("sjukepleiarar", "tilsette", "sakshandsaming"). Each
reading below is tried only for a word none of whose stems the index has, and each must
land on a key the index does have, so a word the catalog knows is never bent. A reading
is a written word, analysed as if the broker had written it: stems, compound parts and
synonym concepts all follow ("sjukeheim" → "sykehjem" → nursing home).
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .text import fold, stem

MIN_TYPO_WORD = 7      # shorter words have too many neighbours one edit away
MIN_TYPO_KEY = 5
LONG_KEY = 9           # from this length two edits are allowed
MIN_ABBREVIATION = 4   # "oppl." is a cut-off word; "mek." is too short to guess
MIN_COMPOUND_PART = 4
MAX_REWRITES = 2

# Nynorsk spellings and the bokmål ones a catalog written in bokmål uses, as folded
# substrings (ø→ö, æ→ä). Regular correspondences (sjuk/syk, heim/hjem, gj/g in byggje and
# følgje, -ar- agent nouns) and the few everyday words that differ outright. A rewrite
# counts only when it turns an unknown word into a known one.
NYNORSK: tuple[tuple[str, str], ...] = (
    ("sju", "sy"), ("heime", "hjemme"), ("heim", "hjem"), ("gj", "g"), ("kj", "k"),
    ("tenest", "tjenest"), ("skul", "skol"), ("vaksen", "voksen"), ("fråvär", "fravär"),
    ("forsking", "forskning"), ("handsam", "behandl"), ("leiing", "ledelse"),
    ("leiar", "leder"), ("tilsett", "ansatt"), ("verksemd", "bedrift"),
    ("röynsle", "erfaring"), ("tilbod", "tilbud"), ("styresmakt", "myndighet"),
    ("ar", "er"), ("arar", "ere"), ("ane", "ene"), ("inga", "ingen"),
)

Reading = Callable[[str, str], str | None]  # (folded word, language) → the word meant, or None


class Speller:
    """Typo, abbreviation and nynorsk readings against one catalog's keys and written forms."""

    def __init__(self, keys: list[str], surfaces: dict[str, set[str]], df: dict[str, int],
                 splits=None):
        self.keys = set(keys)
        self.surfaces = surfaces
        self.df = df
        self.splits = splits or (lambda word, language: False)  # known parts end to end?
        self._written = _most_used_form(surfaces, df)
        self._sorted_surfaces = sorted(surfaces)
        self._key_shapes = _buckets(k for k in keys if k.isalpha())
        self._surface_shapes = _buckets(s for s in surfaces if s.isalpha())

    def read(self, word: str, language: str, abbreviated: bool = False) -> str | None:
        """The word the broker meant by an unknown word (folded), or None."""
        w = fold(word)
        if not w.isalpha():
            return None
        readings: tuple[Reading, ...] = (self.typo, self.nynorsk, self.compound_typo)
        if abbreviated:
            readings = (self.abbreviation, *readings)
        for reading in readings:
            if found := reading(w, language):
                return found
        return None

    def typo(self, w: str, language: str) -> str | None:
        """One or two typing errors in the written form, else in the stem.

        >>> Speller(["tömr"], {"tömrer": {"tömr"}}, {}).typo("tömmrere", "nb")
        'tömrer'
        """
        if len(w) < MIN_TYPO_WORD:
            return None
        if hit := _nearest(w, self._surface_shapes):
            return hit
        key = stem(w, language)
        if len(key) >= MIN_TYPO_KEY and (hit := _nearest(key, self._key_shapes)):
            return self._written.get(hit)
        return None

    def nynorsk(self, w: str, language: str) -> str | None:
        """The bokmål spelling of a nynorsk word, when the catalog knows it.

        >>> Speller(["sykeplei"], {}, {}).nynorsk("sjukepleiarar", "nn")
        'sykepleiarar'
        """
        for candidate in _rewrites(w):
            if stem(candidate, "nb") in self.keys or self.splits(candidate, "nb"):
                return candidate
        return None

    def abbreviation(self, w: str, language: str) -> str | None:
        """The catalog's most used word that a cut-off word ("helsefagarb.") begins.

        >>> Speller(["opplär", "oppleve"], {"opplæring": {"opplär"}, "oppleve": {"oppleve"}},
        ...         {"opplär": 9, "oppleve": 2}).abbreviation("oppl", "nb")
        'opplæring'
        """
        if len(w) < MIN_ABBREVIATION:
            return None
        i = bisect.bisect_left(self._sorted_surfaces, w)
        found: list[str] = []
        while i < len(self._sorted_surfaces) and self._sorted_surfaces[i].startswith(w):
            found.append(self._sorted_surfaces[i])
            i += 1
        return max(found, key=self._use, default=None)

    def _use(self, surface: str) -> tuple[int, int]:
        """How much the catalog uses a written form: its keys' entries, shorter first."""
        return max(self.df.get(k, 0) for k in self.surfaces[surface]), -len(surface)

    def compound_typo(self, w: str, language: str) -> str | None:
        """A compound with a typing error in its last part: "salgsoppæring" → opplæring.

        The head must be a known key and the rest close to a known one.
        """
        for j in range(MIN_COMPOUND_PART, len(w) - MIN_TYPO_KEY + 1):
            if stem(w[:j], language) not in self.keys:
                continue
            for k in (j, j + 1) if w[j] in "se" else (j,):
                rest = w[k:]
                if len(rest) <= MIN_TYPO_KEY or not (hit := _nearest(stem(rest, language),
                                                                     self._key_shapes)):
                    continue
                if hit in self._written:
                    return w[:k] + self._written[hit]
        return None


def _most_used_form(surfaces: dict[str, set[str]], df: dict[str, int]) -> dict[str, str]:
    """key → a written form of it (the shortest), to analyse a key-level correction."""
    out: dict[str, str] = {}
    for surface in sorted(surfaces, key=lambda s: (len(s), s)):
        for key in surfaces[surface]:
            out.setdefault(key, surface)
    return out


def _rewrites(w: str):
    """Spellings of w with one, then two, of the NYNORSK rewrites applied."""
    rules = [(a, b) for a, b in NYNORSK if a in w]
    for n in range(1, MAX_REWRITES + 1):
        for combo in itertools.combinations(rules, n):
            out = w
            for a, b in combo:
                out = out.replace(a, b)
            if out != w:
                yield out


def _nearest(w: str, shapes: dict[tuple[str, int], list[str]]) -> str | None:
    """The closest string with w's first letter within one edit (two from LONG_KEY)."""
    limit = 1 if len(w) < LONG_KEY else 2
    for n in sorted(range(len(w) - limit, len(w) + limit + 1), key=lambda n: abs(n - len(w))):
        choices = shapes.get((w[0], n))
        if choices and (hit := process.extractOne(w, choices, scorer=OSA.distance,
                                                  score_cutoff=limit)):
            return hit[0]
    return None


def _buckets(strings) -> dict[tuple[str, int], list[str]]:
    by_shape: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in strings:
        if len(s) >= 4:
            by_shape[(s[0], len(s))].append(s)
    return dict(by_shape)
