"""Rank catalog entries for a need: text relevance plus context, eligible entries only."""

from __future__ import annotations

import heapq
import itertools
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import scoring
from .analysis import Group
from .eligibility import entry_regions, reasons
from .index import Index
from .model import Entry, Match, NeedQuery, OrgProfile
from .regions import area_key, geography
from .scoring import QUERY, WEIGHTS
from .synonyms import Synonyms
from .text import base_language, detect_language, stem, words

FORMAT = 1  # bump when the pickled index changes shape
# Context parts bound what an entry can gain beyond its text score; ranking stops reading
# candidates once even a perfect context could not lift the next one into the top.
_CONTEXT_MAX = sum(w for part, w in WEIGHTS.items() if part != "text")


@dataclass
class _Need:
    """A need worked out once per ranking."""

    query: NeedQuery
    language: str
    groups: list[Group]
    kinds: set[str]
    areas: frozenset[str]
    text: dict[int, float]
    industry: dict[int, float]
    local_mentions: set[int]


class Matcher:
    """Builds the index once; ranks needs against it.

    >>> from datetime import date
    >>> m = Matcher([Entry(id=1, kind="offering", name="Sveisekurs for industrien")])
    >>> need = NeedQuery("trenger kurs i sveising", OrgProfile(kind="company"), date(2026, 1, 5))
    >>> [x.entry.id for x in m.rank(need)]
    [1]
    """

    def __init__(self, entries: Iterable[Entry], synonyms: str | Path | None = None):
        self.entries = list(entries)
        self.synonyms = Synonyms.load(synonyms)
        self.index = Index(self.entries, self.synonyms)
        self._regions = [entry_regions(e) for e in self.entries]

    # ---- cache -------------------------------------------------------------------------
    def dumps(self) -> bytes:
        """The built index as bytes, for a cache file keyed by catalog version.

        Only load what this process (or the same user) wrote: it is a pickle.
        """
        return pickle.dumps((FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> "Matcher":
        fmt, matcher = pickle.loads(data)
        if fmt != FORMAT or not isinstance(matcher, cls):
            raise ValueError("matcher cache has an old format; rebuild it")
        return matcher

    # ---- ranking -----------------------------------------------------------------------
    def rank(self, need: NeedQuery, *, top: int = 10, kinds: set[str] | None = None,
             include_ineligible: bool = False) -> list[Match]:
        """Best first; ineligible entries only when asked, after the eligible ones."""
        n = self._prepare(need)
        good: list[tuple[float, int, Match]] = []
        bad: list[tuple[float, int, Match]] = []
        for d in self._candidates(n, kinds):
            if len(good) >= top and self._bound(n, d) < good[0][0]:
                break
            m = self._match(n, d)
            heap = bad if m.reasons else good
            if not m.reasons or include_ineligible:
                _push(heap, (m.score, -d, m), top)
        out = [m for _, _, m in sorted(good, key=lambda t: (-t[0], -t[1]))]
        if include_ineligible:
            out += [m for _, _, m in sorted(bad, key=lambda t: (-t[0], -t[1]))]
        return out

    def _prepare(self, need: NeedQuery) -> _Need:
        lang = need.language or detect_language(need.text)
        idx = self.index
        groups, concepts = idx.analyzer.query(need.text, lang, QUERY, idx.known, idx.fuzzy)
        kinds = self.synonyms.kinds_of(concepts) | ({need.kind} if need.kind else set())
        ind_groups = self._industry_groups(need.org, lang)
        org = need.org
        return _Need(need, lang, groups, kinds,
                     geography().areas(org.municipality, org.region, org.country),
                     idx.score(groups), idx.score(ind_groups), self._mentions(org))

    def _industry_groups(self, org: OrgProfile, lang: str) -> list[Group]:
        from .industry import industry_text
        text = industry_text(org.industry)
        if not text:
            return []
        groups, _ = self.index.analyzer.query(text, lang, QUERY, source="industry")
        return groups

    def _mentions(self, org: OrgProfile) -> set[int]:
        """Entries whose text names the org's municipality or county ("samlinger i Bodø")."""
        found: set[int] = set()
        for place in (org.municipality, org.region):
            for w in words(place or "")[:1]:
                for lang in ("nb", "sv"):
                    docs, _ = self.index.postings.get(stem(w, lang), ((), ()))
                    found.update(docs)
        return found

    def _candidates(self, n: _Need, kinds: set[str] | None):
        """Entry positions by falling text score, then the rest (a need may share no word)."""
        hit = sorted(set(n.text) | set(n.industry), key=lambda d: -n.text.get(d, 0.0))
        rest = (d for d in range(len(self.entries)) if d not in n.text and d not in n.industry)
        for d in itertools.chain(hit, rest):
            if kinds is None or self.entries[d].kind in kinds:
                yield d

    def _bound(self, n: _Need, d: int) -> float:
        return WEIGHTS["text"] * scoring.squash(n.text.get(d, 0.0), scoring.TEXT_HALF) + _CONTEXT_MAX

    def _match(self, n: _Need, d: int) -> Match:
        e = self.entries[d]
        org = n.query.org
        why = reasons(e, org, n.query.on, n.areas, self._regions[d])
        fits = {
            "text": scoring.squash(n.text.get(d, 0.0), scoring.TEXT_HALF),
            "kind": scoring.kind_fit(e.kind, n.kinds),
            "local": self._local(n, d),
            "industry": scoring.squash(n.industry.get(d, 0.0), scoring.INDUSTRY_HALF),
            "language": scoring.language_fit(e.language, n.language),
            "audience": scoring.audience_fit(e.audience, org.kind),
        }
        parts = scoring.total(fits)
        score = round(sum(parts.values()), 2)
        return Match(e, score, parts, scoring.confidence(score), why,
                     self.index.matched(d, n.groups))

    def _local(self, n: _Need, d: int) -> float:
        regions = self._regions[d]
        if "*" not in regions and not regions.isdisjoint(n.areas):
            return scoring.LOCAL_REGION
        return scoring.LOCAL_MENTION if d in n.local_mentions else 0.0


def _push(heap: list, item: tuple, top: int) -> None:
    if len(heap) < top:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)
