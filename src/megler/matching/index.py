"""An inverted index over normalised terms, scored with BM25F, built once per catalog.

Why BM25F: entries are short and uneven (a provider's one-liner next to a programme's
five sentences), so term frequency must saturate (k1) and length must be normalised (b);
and a word in the name or keywords says more than one in passing in the description, so
fields get weights before saturation (the "F"). Each (term, entry) impact is computed at
build time, so ranking is a sum over the postings of the need's terms: for one need
against 10,000 entries that is tens of thousands of additions instead of 10,000 string
comparisons of whole texts.

A query is a list of term groups (analysis.Group): an entry earns the best impact among a
group's alternative keys times the group's weight, so a word stemmed three ways or a
concept reached by two synonyms still counts once.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter, defaultdict

from megler.progress import steps

from .analysis import Analyzer, Group
from .model import Entry
from .spelling import Speller
from .synonyms import CONCEPT_PREFIX, Synonyms
from .text import base_language, fold, is_stopword, stem, words

FIELDS: dict[str, float] = {
    "name": 3.0,         # the entry's own title
    "keywords": 2.0,     # chosen by whoever wrote the entry
    "description": 1.0,
    "owner": 1.0,        # provider / agency name
    "programmes": 0.4,   # a provider's offerings (name and keywords): what it is known for
}
K1 = 1.2
B = 0.6
COMPOUND_HEAD = 4   # a need word this long may be the first part of a catalog compound
COMPOUND_REST = 4   # ... whose rest is at least this long ("natt" + "ilsyn", not "natta")
COMPOUNDS = 6       # at most this many compounds per word


def entry_fields(entry: Entry, programmes: str = "") -> dict[str, str]:
    return {"name": entry.name, "keywords": " ; ".join(entry.keywords),
            "description": entry.description,
            "owner": entry.provider or entry.agency or "", "programmes": programmes}


class Index:
    """Postings per key, plus what the typo corrector and the explanation need."""

    def __init__(self, entries: list[Entry], synonyms: Synonyms):
        self.entries = entries
        vocabulary, self.surfaces = _vocabulary(entries)
        self.analyzer = Analyzer(synonyms, vocabulary)
        pairs = zip(entries, _programmes(entries), strict=True)
        docs = [self._doc(e, p) for e, p in steps(pairs, "Building the match index", len(entries))]
        self.postings, self.forward = _postings(docs)
        self.purposes = [self._purpose(e, synonyms) for e in entries]
        self.fields = [self._fields(e, synonyms) for e in entries]
        self.conditions = [self._conditions(e, synonyms) for e in entries]
        self._sorted = sorted(k for k in self.postings if not k.startswith(CONCEPT_PREFIX))
        self.speller = Speller(self._sorted, self.surfaces,
                               {k: len(self.postings[k][0]) for k in self._sorted},
                               self.analyzer.splitter.whole)

    def _doc(self, entry: Entry, programmes: str) -> tuple[dict[str, float], float]:
        tf: dict[str, float] = defaultdict(float)
        length = 0.0
        for field, text in entry_fields(entry, programmes).items():
            if not text:
                continue
            terms = self.analyzer.doc_terms(text, entry.language)
            for key, n in terms.items():
                tf[key] += FIELDS[field] * n
            length += FIELDS[field] * sum(terms.values())
        return tf, length

    def _purpose(self, entry: Entry, synonyms: Synonyms) -> frozenset[str]:
        """What an instrument pays for, as need kinds read off its name and keywords.

        "Tilskudd til kompetanseutvikling" funds competence; "Kvalifiseringsprosjekt ...
        FoU" funds R&D. Funding itself is left out: every instrument is funding.
        """
        if entry.kind != "instrument":
            return frozenset()
        return frozenset(synonyms.kinds_of(self._concepts(entry.name, *entry.keywords,
                                                          language=entry.language)) - {"funding"})

    def _fields(self, entry: Entry, synonyms: Synonyms) -> frozenset[str]:
        """The fields of work an entry is about, read off its own name, keywords and
        description (not its provider's other programmes). A provider is about none in
        particular: a university college's text names a few of the fields it teaches."""
        if entry.kind == "provider":
            return frozenset()
        return synonyms.fields_of(self._concepts(entry.name, *entry.keywords, entry.description,
                                                 language=entry.language))

    def _conditions(self, entry: Entry, synonyms: Synonyms) -> frozenset[str]:
        """The situations an entry is only for (layoffs, start-ups), read off its
        name and keywords: a description mentions situations in passing."""
        return synonyms.conditions_of(self._concepts(entry.name, *entry.keywords,
                                                     language=entry.language))

    def _concepts(self, *texts: str, language: str) -> list[str]:
        terms = self.analyzer.doc_terms(" ; ".join(texts), language)
        return [k[len(CONCEPT_PREFIX):] for k in terms if k.startswith(CONCEPT_PREFIX)]

    def known(self, key: str) -> bool:
        return key in self.postings

    def fuzzy(self, word: str, language: str = "nb",
              abbreviated: bool = False) -> tuple[str | None, list[str]]:
        """A word the catalog does not know, read as (the catalog word it misspells,
        abbreviates or spells in nynorsk (spelling.py), None), else as (None, the catalog's
        compounds that begin with it; see `compounds`)."""
        lang = base_language(language)
        if meant := self.speller.read(word, lang, abbreviated):
            return meant, []
        return None, self.compounds(stem(word, lang))

    def compounds(self, key: str) -> list[str]:
        """Catalog keys that are compounds starting with `key`: a need's "natta" meets
        "nattilsyn" although the catalog never says "natt" alone to split it by.

        >>> idx = Index([Entry(id=1, kind="offering", name="Digitalt nattilsyn")], Synonyms.load())
        >>> idx.compounds("natt")
        ['nattilsyn']
        """
        if len(key) < COMPOUND_HEAD:
            return []
        i = bisect.bisect_left(self._sorted, key)
        out: list[str] = []
        while i < len(self._sorted) and self._sorted[i].startswith(key) and len(out) < COMPOUNDS:
            if len(self._sorted[i]) - len(key) >= COMPOUND_REST:
                out.append(self._sorted[i])
            i += 1
        return out

    def score(self, groups: list[Group]) -> dict[int, float]:
        """BM25F score per entry position, only entries hit by at least one group."""
        acc: dict[int, float] = defaultdict(float)
        for g in groups:
            lists = [self.postings[k] for k in g.keys if k in self.postings]
            if len(lists) == 1:
                docs, imps = lists[0]
                for d, s in zip(docs, imps, strict=True):
                    acc[d] += g.weight * s
                continue
            best: dict[int, float] = {}
            for docs, imps in lists:
                for d, s in zip(docs, imps, strict=True):
                    if s > best.get(d, 0.0):
                        best[d] = s
            for d, s in best.items():
                acc[d] += g.weight * s
        return acc

    def doc_terms(self, d: int) -> tuple[tuple[str, ...], array]:
        """Keys of entry d and their impacts (for pseudo-relevance feedback)."""
        return self.forward[d]

    def matched(self, d: int, groups: list[Group]) -> list[Group]:
        """The groups that hit entry d, for the explanation column."""
        keys = set(self.forward[d][0])
        return [g for g in groups if not g.keys.isdisjoint(keys)]


def _vocabulary(entries: list[Entry]) -> tuple[set[str], dict[str, set[str]]]:
    """Stems the catalog uses (for compound splitting) and written forms → stems (typos)."""
    vocab: set[str] = set()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        lang = base_language(e.language)
        for text in entry_fields(e).values():
            for w in words(text):
                if is_stopword(w, lang):
                    continue
                k = stem(w, lang)
                vocab.add(k)
                surfaces[fold(w)].add(k)
    return vocab, dict(surfaces)


def _programmes(entries: list[Entry]) -> list[str]:
    """For each provider entry, the names and keywords of the offerings it runs."""
    runs: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e.kind == "offering" and e.provider:
            runs[fold(e.provider)].append(" ; ".join((e.name, *e.keywords)))
    return [" ; ".join(runs.get(fold(e.name), ())) if e.kind == "provider" else "" for e in entries]


def _postings(docs: list[tuple[dict[str, float], float]]):
    n = len(docs)
    avg = sum(length for _, length in docs) / n if n else 1.0
    df: Counter = Counter()
    for tf, _ in docs:
        df.update(tf.keys())
    postings: dict[str, tuple[array, array]] = {}
    forward = []
    for d, (tf, length) in enumerate(docs):
        norm = K1 * (1 - B + B * length / (avg or 1.0))
        mine = array("f")
        for key, f in tf.items():
            idf = math.log(1 + (n - df[key] + 0.5) / (df[key] + 0.5))
            docs_arr, imps = postings.setdefault(key, (array("I"), array("f")))
            docs_arr.append(d)
            imps.append(idf * f * (K1 + 1) / (f + norm))
            mine.append(imps[-1])
        forward.append((tuple(tf), mine))
    return postings, forward
