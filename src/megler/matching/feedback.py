"""Pseudo-relevance feedback: widen a need with the words of its best eligible matches.

Brokers write needs in their own words ("papirer på prosessen", "folk som kan OT"); the
entries that a need's words do hit carry the catalog's words for the same thing (fagbrev,
praksiskandidat, informasjonssikkerhet). RM3 takes the terms that weigh most in the top
few eligible matches, weighted by how well each of those matches scored, and adds the
strongest of them as low-weight query groups, so a second entry that says the same thing
in the catalog's words moves up. Feedback comes only from eligible entries: a look-alike
the org cannot use must not steer the query.
"""

from __future__ import annotations

from collections import defaultdict

from .analysis import Group

DOCS = 3     # feedback entries: the best few; more drifts towards everything
TERMS = 10   # expansion terms kept
# A feedback entry must score at least this share of the best one's text score: when one
# entry clearly fits and the rest are hit by a stray word, the stray ones' terms are noise.
MIN_SHARE = 0.3


def expansion(doc_terms, top: list[tuple[int, float]], skip: set[str], weight: float,
              terms: int = TERMS) -> list[Group]:
    """Query groups for the strongest terms of the feedback entries `top` ((d, score)).

    doc_terms(d) gives (keys, impacts) of entry d; `skip` holds the keys the query has.

    >>> docs = {0: (("sveis", "kur", "fagbrev"), (2.0, 1.0, 1.0))}
    >>> [(g.label, g.weight) for g in expansion(docs.get, [(0, 5.0)], {"sveis"}, 0.2)]
    [('fagbrev', 0.2), ('kur', 0.2)]
    """
    total = sum(s for _, s in top)
    if total <= 0:
        return []
    relevance: dict[str, float] = defaultdict(float)
    for d, score in top:
        keys, impacts = doc_terms(d)
        mass = sum(impacts) or 1.0
        for key, imp in zip(keys, impacts, strict=True):
            if key not in skip:
                relevance[key] += imp / mass * score / total
    best = sorted(relevance.items(), key=lambda kv: (-kv[1], kv[0]))[:terms]
    if not best:
        return []
    peak = best[0][1]
    return [Group(key, frozenset([key]), weight * r / peak, "feedback") for key, r in best]
