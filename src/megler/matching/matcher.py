"""Rank catalog entries for a need: text relevance plus context, eligible entries only."""

from __future__ import annotations

import functools
import heapq
import itertools
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from megler.vocabulary import EntryKind, listed

from . import distance, feedback, learning, mixed, scoring
from .analysis import Group
from .eligibility import entry_regions, reasons
from .index import Index
from .model import Entry, Match, NeedQuery, OrgProfile
from .regions import geography
from .scoring import QUERY, WEIGHTS
from .synonyms import Synonyms, concept_key
from .text import detect_language, for_members, stem, words

FORMAT = 11  # bump when the pickled index changes shape
# Context parts bound what an entry can gain beyond its text score; ranking stops reading
# candidates once even a perfect context could not lift the next one into the top.
_CONTEXT_MAX = sum(w for part, w in WEIGHTS.items()
                   if part not in ("text", "learned") and w > 0)  # penalties only lower it
# ... of which these two are bounded per need, by what its kinds and its org's industry allow
_PER_NEED = ("kind", "industry")
_ROUNDING = 0.05  # parts are rounded to 0.01 for display; never skip on rounding alone


@dataclass
class _Need:
    """A need worked out once per ranking."""

    query: NeedQuery
    language: str
    groups: list[Group]
    kinds: set[str]
    areas: frozenset[str]
    text: dict[int, float]
    said: set[int]                   # entries the need's own words reach (not only implied)
    feedback: dict[int, float]
    industry: dict[int, float]
    local_mentions: set[int]
    kind_fit: dict[str, float]
    learned: dict[int, learning.Pull]
    fields: frozenset[str]           # the fields of work the need's own words name
    told: frozenset[str]             # the situations some entries are only for that it tells of
    home: tuple[float, float] | None  # where the org lies (distance.py)
    context_max: float = _CONTEXT_MAX  # what context can add to any entry's text for this need
    raw: dict[int, float] = field(init=False)  # text + feedback of every entry hit
    # the kind, language and audience fits of each (kind, language, audience) an entry has
    profile_fits: dict[tuple, tuple[float, float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.raw = dict.fromkeys(self.industry, 0.0) | _added(self.text, self.feedback)


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
        self._sites = [distance.sites(e) for e in self.entries]

    # ---- cache -------------------------------------------------------------------------
    _TRANSIENT = ("_seen", "_position")  # worked out while ranking: not part of the index

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self._TRANSIENT}

    def dumps(self) -> bytes:
        """The built index as bytes, for a cache of exactly these entries.

        A pickle: load only what this user wrote, from where nobody else can write.
        """
        return pickle.dumps((FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> Matcher:
        fmt, matcher = pickle.loads(data)
        if fmt != FORMAT or not isinstance(matcher, cls):
            raise ValueError("matcher cache has an old format; rebuild it")
        return matcher

    # ---- ranking -----------------------------------------------------------------------
    def rank(self, need: NeedQuery, *, top: int = 10, kinds: set[str] | None = None,
             include_ineligible: bool = False) -> Ranking:
        """Best first; ineligible entries only when asked, after the eligible ones.

        A need that asks for something to do and the money for it ("a welding course, and
        a grant to pay for it") gets both in its first five: the best entry of the kind
        missing there takes the fifth place, and its note says why.
        """
        n = self._prepare(need)
        both = kinds is None and mixed.asks_both(n.kinds)
        ranked = self._ranked(n, top + (mixed.DEPTH if both else 0), kinds, include_ineligible)
        if both:
            ranked = mixed.with_both(ranked, top)
        return Ranking(ranked, n.kinds)

    def _ranked(self, n: _Need, top: int, kinds: set[str] | None,
                include_ineligible: bool) -> list[Match]:
        good: list[tuple[float, int, Match]] = []
        bad: list[tuple[float, int, Match]] = []
        for d in self._candidates(n, kinds):
            floor = _floor(good, top)
            if self._bound(n, d) < floor:
                if d in n.learned:
                    continue
                break
            # Most candidates fall short, many on their gains alone (penalties only lower a
            # score): skip the rest of their parts, the eligibility check and the Match.
            short = min(floor, _floor(bad, top) if include_ineligible else floor) - _ROUNDING
            gains = self._gains(n, d)
            if scoring.weighted(gains) < short:
                continue
            fits = gains | self._penalties(n, d)
            if scoring.weighted(fits) < short:
                continue
            m = self._match(n, d, fits)
            if not m.reasons or include_ineligible:
                _push(bad if m.reasons else good, (m.score, -d, m), top)
        out = sorted(good, key=lambda t: (-t[0], -t[1]))
        if include_ineligible:
            out += sorted(bad, key=lambda t: (-t[0], -t[1]))
        for _, d, m in out:  # only the shown matches need their matched words
            self._explain(n, -d, m)
        return [m for _, _, m in out]

    def _explain(self, n: _Need, d: int, m: Match) -> None:
        """The need's words that hit the entry as written, and the concepts by name."""
        hits = self.index.matched(d, n.groups)
        m.terms = list(_unique(g.label for g in hits if g.label))
        m.concepts = list(_unique(self.synonyms.label(g.concept, n.language)
                                  for g in hits if g.concept))

    def _prepare(self, need: NeedQuery) -> _Need:
        lang = need.language or detect_language(need.text)
        if need.org.kind == "ngo" and for_members(need.text):
            need = replace(need, org=replace(need.org, for_members=True))
        groups, implied, kinds, concepts = self._query(need, lang)
        org = need.org
        areas = geography().areas(org.municipality, org.region, org.country)
        idx = self.index
        said = idx.score(groups)
        text = _added(said, idx.score(implied))
        fb = idx.score(self._feedback(need, areas, groups + implied, text))
        industry = idx.score(self._industry_groups(org, lang))
        kind_fit: dict[str, float] = {k: scoring.kind_fit(k, kinds) for k in EntryKind}
        context = (_CONTEXT_MAX - sum(WEIGHTS[p] for p in _PER_NEED)
                   + WEIGHTS["kind"] * max(kind_fit.values())
                   + WEIGHTS["industry"] * scoring.squash(max(industry.values(), default=0.0),
                                                          scoring.INDUSTRY_HALF))
        return _Need(need, lang, groups + implied, kinds, areas, text, set(said), fb,
                     industry, self._mentions(org), kind_fit,
                     self._learned(need, text), self.synonyms.fields_of(concepts),
                     self.synonyms.conditions_of(concepts), distance.home(org), context)

    def _learned(self, need: NeedQuery, text: dict[int, float]) -> dict[int, learning.Pull]:
        """The pull of the broker's earlier referrals of needs like this one."""
        if not need.precedents:
            return {}
        theirs = ((p, self._profile(p.text)) for p in need.precedents)
        return learning.pulls(learning.profile(text), theirs, self._positions().get)

    def _profile(self, text: str) -> dict[int, float]:
        """An earlier need's learning profile, worked out once per text in this process."""
        seen = self.__dict__.setdefault("_seen", {})
        if text not in seen:
            lang = detect_language(text)
            fuzzy = functools.partial(self.index.fuzzy, language=lang)
            groups = self.index.analyzer.query(text, lang, QUERY, self.index.known, fuzzy)[0]
            seen[text] = learning.profile(self.index.score(groups))
        return seen[text]

    def _positions(self) -> dict[int | str, int]:
        if "_position" not in self.__dict__:
            self.__dict__["_position"] = {e.id: d for d, e in enumerate(self.entries)}
        return self.__dict__["_position"]

    def _query(self, need: NeedQuery, lang: str):
        """The need's own term groups, the groups its kinds imply, and the kinds (given,
        or guessed from its concepts)."""
        idx = self.index
        fuzzy = functools.partial(idx.fuzzy, language=lang)
        groups, concepts = idx.analyzer.query(need.text, lang, QUERY, idx.known, fuzzy)
        kinds = self.synonyms.kinds_of(concepts) | ({need.kind} if need.kind else set())
        # No cue at all ("the mechanics don't dare touch the drivetrain"): most needs a
        # broker records are about skills, so read it as competence rather than as nothing
        # (megler.matching.need_kinds, which reads a need's kind when it is recorded).
        kinds = kinds or {"competence"}
        return groups, self._implied_groups(kinds, groups), kinds, concepts

    def _feedback(self, need: NeedQuery, areas, groups: list[Group], text) -> list[Group]:
        """Expansion groups from the best eligible text matches (see feedback.py)."""
        top: list[tuple[int, float]] = []
        for d in sorted(text, key=text.__getitem__, reverse=True):  # ties stay in order
            if top and text[d] < feedback.MIN_SHARE * top[0][1]:
                break  # far weaker than the best: a guess, not evidence
            if not reasons(self.entries[d], need.org, need.on, areas, self._regions[d]):
                top.append((d, text[d]))
                if len(top) == feedback.DOCS:
                    break
        return feedback.expansion(self.index.doc_terms, top, _keys(groups), QUERY["feedback"])

    def _implied_groups(self, kinds: set[str], groups: list[Group]) -> list[Group]:
        """Low-weight groups for the concepts the need's kinds imply and its text lacks."""
        said = _keys(groups)
        return [Group("", frozenset([concept_key(c)]), QUERY["implied"], "implied", c)
                for c in self.synonyms.implied_by(kinds) if concept_key(c) not in said]

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
        """The entries earlier referrals pull (a few), then the rest by falling text score,
        then those the need shares nothing with: after the pulled ones, a candidate that
        cannot reach the top means none after it can."""
        pulled = sorted(n.learned)
        scored = (set(n.text) | set(n.feedback) | set(n.industry)) - set(n.learned)
        hit = sorted(scored, key=n.raw.__getitem__, reverse=True)  # ties stay in order
        rest = (d for d in range(len(self.entries)) if d not in scored and d not in n.learned)
        for d in itertools.chain(pulled, hit, rest):
            if kinds is None or self.entries[d].kind in kinds:
                yield d

    def _bound(self, n: _Need, d: int) -> float:
        # squash(a + b) >= squash(a): the text part bounds text and feedback together;
        # only an entry an earlier referral pulls can gain the learned part
        learned = WEIGHTS["learned"] if d in n.learned else 0.0
        return WEIGHTS["text"] * scoring.squash(n.raw.get(d, 0.0), scoring.TEXT_HALF) + n.context_max + learned

    def _gains(self, n: _Need, d: int) -> dict[str, float]:
        """The parts that add to a score (and learned, which may take away: exact here)."""
        kind, language, audience = self._profile_fits(n, self.entries[d])
        return {
            "text": scoring.squash(n.text.get(d, 0.0), scoring.TEXT_HALF),
            "feedback": scoring.squash(n.feedback.get(d, 0.0), scoring.FEEDBACK_HALF),
            "kind": kind,
            "purpose": self._purpose(n, d),
            "local": self._local(n, d),
            "industry": scoring.squash(n.industry.get(d, 0.0), scoring.INDUSTRY_HALF),
            "language": language,
            "audience": audience,
            "learned": n.learned[d].fit if d in n.learned else 0.0,
        }

    @staticmethod
    def _profile_fits(n: _Need, e: Entry) -> tuple[float, float, float]:
        """The fits that depend only on the entry's kind, language and audience: a catalog
        has a few dozen of those, so each is worked out once per need."""
        key = (e.kind, e.language, e.audience)
        if (fits := n.profile_fits.get(key)) is None:
            fits = n.profile_fits[key] = (
                n.kind_fit.get(e.kind) or scoring.kind_fit(e.kind, n.kinds),
                scoring.language_fit(e.language, n.language),
                scoring.audience_fit(e.audience, n.query.org.audiences()))
        return fits

    def _penalties(self, n: _Need, d: int) -> dict[str, float]:
        return {
            "far": far.fit if (far := distance.far_from(self._sites[d], n.home)) else 0.0,
            "field": 1.0 if self._other_field(n, d) else 0.0,
            "condition": 1.0 if self._untold(n, d) else 0.0,
        }

    def _untold(self, n: _Need, d: int) -> frozenset[str]:
        """What the entry is only for (layoffs, start-ups) that the need does not tell of."""
        return self.index.conditions[d] - n.told

    def _other_field(self, n: _Need, d: int) -> bool:
        """The entry is about other fields of work than the ones the need names."""
        theirs = self.index.fields[d]
        return bool(n.fields and theirs and n.fields.isdisjoint(theirs))

    def _purpose(self, n: _Need, d: int) -> float:
        # Only for an instrument the need's own words reach: a competence grant must not
        # outrank the welding course the need asked for on its purpose alone.
        if d not in n.said:
            return 0.0
        return scoring.purpose_fit(self.index.purposes[d], n.kinds)

    def _match(self, n: _Need, d: int, fits: dict[str, float]) -> Match:
        e = self.entries[d]
        why = reasons(e, n.query.org, n.query.on, n.areas, self._regions[d])
        parts = scoring.total(fits)
        score = round(sum(parts.values()), 2)
        return Match(e, score, parts, scoring.confidence(score), why, notes=self._notes(n, d))

    def _notes(self, n: _Need, d: int) -> list[str]:
        e, org = self.entries[d], n.query.org
        f = distance.far_from(self._sites[d], n.home)
        notes = [f.note(org.municipality or org.region or "the org")] if f and f.fit else []
        if org.for_members and org.kind not in e.audience:
            notes.append("for the members, who are companies")
        if d in n.learned:
            notes.append(n.learned[d].note())
        if untold := self._untold(n, d):
            notes.append(f"only for {listed(sorted(self.synonyms.label(c) for c in untold), 'and')}, "
                         "which the need does not tell of")
        if self._other_field(n, d):
            notes.append(f"about {listed(sorted(self.index.fields[d]), 'and')}, the need about "
                         f"{listed(sorted(n.fields), 'and')}")
        return notes

    def _local(self, n: _Need, d: int) -> float:
        regions = self._regions[d]
        if "*" not in regions and not regions.isdisjoint(n.areas):
            return scoring.LOCAL_REGION
        return scoring.LOCAL_MENTION if d in n.local_mentions else 0.0


class Ranking(list):
    """The matches, best first, and the need kinds they were ranked for (given, or read
    from the need's text)."""

    def __init__(self, matches: Iterable[Match], kinds: set[str]) -> None:
        super().__init__(matches)
        self.kinds = frozenset(kinds)


def _unique(labels: Iterable[str]) -> Iterable[str]:
    """First spelling of each label, ignoring case ("LEAN" and "lean" are one word); a
    phrase whose words are all shown already ("generativ KI" after both words) is left out."""
    seen: set[str] = set()
    for label in labels:
        low = label.lower()
        if low not in seen and not (" " in low and set(low.split()) <= seen):
            seen.add(low)
            yield label


def _added(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    out = dict(a)
    for d, v in b.items():
        out[d] = out.get(d, 0.0) + v
    return out


def _keys(groups: list[Group]) -> set[str]:
    return set().union(*(g.keys for g in groups)) if groups else set()


def _floor(heap: list, top: int) -> float:
    """The score to beat to enter a full heap of the best `top` (-1 while it has room)."""
    return heap[0][0] if len(heap) >= top else -1.0


def _push(heap: list, item: tuple, top: int) -> None:
    if len(heap) < top:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)
