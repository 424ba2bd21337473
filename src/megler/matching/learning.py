"""Learning from the broker's own referrals: a need like one referred before ranks that
entry higher, and more so the further that referral got.

A precedent is an earlier need, the entry it was referred to and the referral's status.
Its pull on the entry is how alike the two needs are (the cosine of their best text
scores over the catalog: two needs are alike when the same entries answer them) times
what the outcome says: a grant or a
completed course counts fully, a referral made but not yet answered half, a declined or
withdrawn one against. Pulls are summed per entry and bounded to -1..1, so that with the
weight of the `learned` part (scoring.WEIGHTS) one referral moves an entry but cannot
carry it past a clearly better text match. Nothing leaves the store: the precedents are
read from it for each ranking (megler.match.precedents).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import Precedent

OUTCOME: dict[str, float] = {
    "suggested": 0.5, "contacted": 0.6,
    "applied": 1.0, "granted": 1.0, "enrolled": 1.0, "completed": 1.0,
    "declined": -0.5, "withdrawn": -0.5,
}
MIN_ALIKE = 0.5   # below this two needs share an entry or two, not a purpose
PROFILE = 10      # the entries that answer a need best: what it is about


@dataclass(frozen=True, slots=True)
class Pull:
    fit: float               # -1..1, summed over the precedents, bounded
    strongest: Precedent     # the one that pulled most, for the explanation
    alike: float

    def note(self) -> str:
        said = "against it" if OUTCOME.get(self.strongest.status, 0) < 0 else "here"
        return (f"you referred need #{self.strongest.need_id} ({self.alike:.0%} alike) "
                f"{said}; {self.strongest.status}")


def profile(scores: dict[int, float], k: int = PROFILE) -> dict[int, float]:
    """A need as the catalog sees it: its best text scores by entry. Two needs are alike
    when the same entries answer both; that holds for "sveisere må sertifiseres" and
    "trenger sveisekurs", which share no word, and not for two needs that share "kurs"."""
    return dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def alike(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def pulls(need: dict[int, float], precedents: Iterable[tuple[Precedent, dict[int, float]]],
          position: Callable[[int | str], int | None]) -> dict[int, Pull]:
    """Per entry position, the pull of the precedents that are like this need."""
    total: dict[int, float] = {}
    best: dict[int, tuple[float, float, Precedent]] = {}
    for p, terms in precedents:
        d = position(p.entry_id)
        similarity = alike(need, terms)
        if d is None or similarity < MIN_ALIKE:
            continue
        pull = similarity * OUTCOME.get(p.status, 0.0)
        total[d] = total.get(d, 0.0) + pull
        if abs(pull) > abs(best.get(d, (0.0,))[0]):
            best[d] = (pull, similarity, p)
    return {d: Pull(max(-1.0, min(1.0, t)), best[d][2], best[d][1]) for d, t in total.items()
            if d in best}
