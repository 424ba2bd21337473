"""From text to index terms: stems, compound parts, concepts; and queries as term groups.

Norwegian and Swedish glue words together ("sveisekurs", "demensvård"), so a need and an
entry often share a meaning but not a word. Compounds are split against the vocabulary
the catalog itself uses (plus the synonym table), allowing the linking letters -s- and -e-
("arbeidsliv", "sveisekurs"); the parts become extra terms beside the whole word.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from .synonyms import EXACT, Synonyms, concept_key
from .text import base_language, fold, hyphen_joins, is_stopword, stem, stop_flags, words

MIN_PART = 3   # the last part: "arbeidsliv" → arbeid + liv
MIN_HEAD = 4   # earlier parts: "kommunen" is not kom + mun
MIN_COMPOUND = 7
MAX_PARTS = 3
MIN_END = 5
# Derivational endings that look like words; splitting them off only adds noise.
_NOT_PARTS = {"het", "heter", "skap", "else", "ning", "ing", "lig", "ende", "ande", "are",
              "ere", "isk", "sjon", "tion", "ene", "dom", "bar", "ert", "ter", "ste"}

# How much an occurrence counts, by where it comes from (doc side); query-side weights
# live with the other weights in scoring.WEIGHTS.
PART_TF = 0.6
CONCEPT_TF = 1.0


@dataclass(frozen=True, slots=True)
class Group:
    """One query term: alternative keys (a document scores the best of them) and a weight."""

    label: str                 # the need's words as written ("" when the need never said it)
    keys: frozenset[str]
    weight: float
    source: str  # word | part | fuzzy | concept | related | implied | industry | feedback
    concept: str = ""          # the synonym concept a concept/related/implied group stands for


class CompoundSplitter:
    """Split a word into known parts, fewest parts first, then the longest shortest part."""

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = vocabulary
        self._cache: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {}  # → (parts, whole)

    def split(self, word: str, language: str) -> tuple[str, ...]:
        """The part keys of a compound, or () when it is not one.

        >>> CompoundSplitter({"sveis", "kur"}).split("sveisekurs", "nb")
        ('sveis', 'kur')
        """
        low = word.lower()
        if len(low) < MIN_COMPOUND or not low.isalpha():
            return ()
        return self._split(low, language)[0]

    def whole(self, word: str, language: str) -> bool:
        """Whether the word splits into known parts from end to end ("sveise" + "kurs"),
        not only a known end beside an unknown rest ("salgs" + "oppæring")."""
        low = word.lower()
        return len(low) >= MIN_COMPOUND and low.isalpha() and self._split(low, language)[1]

    def _split(self, low: str, language: str) -> tuple[tuple[str, ...], bool]:
        key = (low, language)
        if key not in self._cache:
            best = self._best(low, language, 0, MAX_PARTS, whole_ok=False)
            self._cache[key] = (best, True) if best else (self._known_end(low, language), False)
        return self._cache[key]

    def _known_end(self, w: str, lang: str) -> tuple[str, ...]:
        """Fallback: a known head or modifier of a compound whose other part is unknown.

        "nestleder" → "leder", "lederansvar" → "leder" even if the catalog never says
        "nest" or "ansvar"; the longest known end of at least MIN_END letters wins.
        """
        for n in range(len(w) - MIN_HEAD, MIN_END - 1, -1):  # the unknown rest: 4+ letters
            for part in (w[:n], w[-n:]):
                if (k := self._ok(part, lang)):
                    return (k,)
        return ()

    def _ok(self, part: str, language: str) -> str | None:
        if len(part) < MIN_PART or part in _NOT_PARTS or is_stopword(part, language):
            return None
        k = stem(part, language)
        return k if len(k) >= MIN_PART and k in self.vocabulary else None

    def _best(self, w: str, lang: str, i: int, budget: int, whole_ok: bool):
        if whole_ok and (k := self._ok(w[i:], lang)):
            return (k,)
        if budget < 2:
            return None
        best = None
        for j in range(i + MIN_HEAD, len(w) - MIN_PART + 1):
            head = self._ok(w[i:j], lang)
            if not head:
                continue
            for nxt in (j, j + 1) if w[j] in "se" else (j,):
                rest = self._best(w, lang, nxt, budget - 1, True)
                if rest and (best is None or _better((head, *rest), best)):
                    best = (head, *rest)
        return best


def _better(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return (len(a), -min(map(len, a))) < (len(b), -min(map(len, b)))


class Analyzer:
    """Turns entry texts into weighted terms and need texts into query groups."""

    def __init__(self, synonyms: Synonyms, vocabulary: set[str] | None = None):
        self.synonyms = synonyms
        self.splitter = CompoundSplitter((vocabulary or set()) | synonyms.vocabulary)

    # ---- documents -------------------------------------------------------------------
    def doc_terms(self, text: str, language: str) -> dict[str, float]:
        """Weighted terms of one field of an entry: stems, compound parts, concepts."""
        lang = base_language(language)
        out: dict[str, float] = defaultdict(float)
        positions: list[tuple[str, ...]] = []
        parts: list[tuple[str, ...]] = []
        ws = _tokens(text)[0]
        stops = stop_flags(ws, language)
        for w, stop in zip(ws, stops, strict=True):
            k = stem(w, lang)
            ps = self.splitter.split(w, lang)
            positions.append((k, exact(w)))
            parts.append(ps)
            if stop:
                continue
            out[k] += 1.0
            for p in ps:
                out[p] += PART_TF
        for concept, _, _ in self.synonyms.find(positions, parts, stops, lang):
            out[concept_key(concept)] = CONCEPT_TF  # once per field: a concept is a topic
        return out

    # ---- queries -----------------------------------------------------------------------
    def query(self, text: str, language: str, weights: dict[str, float],
              known=None, fuzzy=None, source: str = "word") -> tuple[list[Group], dict[str, str]]:
        """Query groups for a need text, and the concepts found in it (→ the words that said it).

        known(key) says whether the index has a key; fuzzy(word, abbreviated) proposes keys
        for a word the index does not know (a typing error, a cut-off word, nynorsk). Each word is stemmed in the need's
        language and in the others, since a Norwegian broker writes "R&D" and "pilot" too;
        concepts are found with the need's own stemmer only (synonyms.find).
        """
        lang = base_language(language)
        langs = dict.fromkeys([lang, "nb", "sv", "en"])
        groups: dict[frozenset, Group] = {}
        positions: list[tuple[str, ...]] = []
        parts: list[tuple[str, ...]] = []
        ws, shown = _tokens(text)
        stops = stop_flags(ws, language)
        cut = abbreviations(text)
        for w, said, stop in zip(ws, shown, stops, strict=True):
            keys = frozenset(stem(w, lg) for lg in langs)
            ps = self.splitter.split(w, lang)
            positions.append((stem(w, lang), exact(w)))
            parts.append(ps)
            if stop:
                continue
            self._word_groups(said, keys, ps, weights.get(source, 1.0), weights, source, groups)
            if known is None or not fuzzy or any(known(k) for k in keys) \
                    or self.splitter.whole(w, lang):
                continue
            meant, fixed = fuzzy(w, abbreviated=w in cut)
            scale = weights["fuzzy"] * weights.get(source, 1.0)
            if meant:  # analysed as written, also for concepts: "sjukeheim" → sykehjem
                mk, mps = frozenset(stem(meant, lg) for lg in langs), self.splitter.split(meant, lang)
                self._word_groups(said, mk, mps, scale, weights, source, groups)
                positions[-1] += (stem(meant, lang),)
                parts[-1] += mps
            elif fixed:
                _put(groups, Group(said, frozenset(fixed), scale, source))
        concepts: dict[str, str] = {}
        for c, i, n in self.synonyms.find(positions, parts, stops, lang):
            concepts.setdefault(c, " ".join(shown[i:i + n]))
        self._concept_groups(concepts, weights, source, groups)
        # Who the need is for ("sykepleierne", "lærerne") says less than what it asks for:
        # "lærerne trenger andrespråkspedagogikk" wants that course, not any for teachers.
        who = {concepts[c] for c in concepts if c in self.synonyms.who}
        scale = weights.get("who", 1.0)
        return [replace(g, weight=g.weight * scale) if g.label in who else g
                for g in groups.values()], concepts

    def _word_groups(self, said, keys, ps, w_scale, weights, source, groups) -> None:
        _put(groups, Group(said, keys, w_scale, source))
        for p in ps:
            _put(groups, Group(said, frozenset([p]), weights["part"] * w_scale, source))

    def _concept_groups(self, concepts: dict[str, str], weights, source, groups) -> None:
        w_scale = weights.get(source, 1.0)
        for c in sorted(concepts):
            _put(groups, Group(concepts[c], frozenset([concept_key(c)]),
                               weights["concept"] * w_scale, source, c))
        for c in sorted(concepts):
            for r in self.synonyms.related.get(c, ()):
                if r not in concepts:
                    _put(groups, Group(concepts[c], frozenset([concept_key(r)]),
                                       weights["related"] * w_scale, source, r))
            for t in self.synonyms.points_to.get(c, ()):  # a situation: what the catalog offers
                if t not in concepts:
                    _put(groups, Group(concepts[c], frozenset([concept_key(t)]),
                                       weights["situation"] * w_scale, source, t))


_CUT = re.compile(r"([^\W\d_]+)\.(?=\s*[^\s\w]|\s+[a-zæøåäö0-9]|\s*$)", re.UNICODE)


def abbreviations(text: str) -> set[str]:
    """Words cut off with a full stop: followed by a lower-case word, a sign or the end.

    >>> sorted(abbreviations("Gi helsefagarb. oppl. for perm.? Ja. Nei."))
    ['Nei', 'helsefagarb', 'oppl', 'perm']
    """
    return set(_CUT.findall(text))


@functools.lru_cache(maxsize=1 << 16)  # every word of every entry passes here
def exact(word: str) -> str:
    """A word as written, folded: the key of a synonym term given as "=word" (synonyms.py)."""
    return EXACT + fold(word)


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Words to analyse and each as the broker wrote it: "el-bil" is analysed as "elbil"."""
    ws = words(text)
    joins = hyphen_joins(text)
    return ws + [a + b for a, b in joins], ws + [f"{a}-{b}" for a, b in joins]


def _put(groups: dict, g: Group) -> None:
    """Keep one group per key set: a word said twice is still one topic."""
    old = groups.get(g.keys)
    if old is None or old.weight < g.weight:
        groups[g.keys] = g


def surface(word: str) -> str:
    """The folded written form used by the typo corrector."""
    return fold(word)
