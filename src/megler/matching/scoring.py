"""How a match is scored: named parts with their weights in one table, and confidence.

score = Σ WEIGHTS[part] × fit(part), each fit in 0..1, so the score is 0..100 and each
part's contribution can be shown on its own (`megler match --explain`):

  text      how well the need's words, compound parts and concepts hit the entry (BM25F,
            squashed to 0..1 by TEXT_HALF: the raw score that earns half the points)
  feedback  how well the entry matches the strongest terms of the need's best eligible
            matches (pseudo-relevance feedback, feedback.py): the catalog's own words for
            what the need says in the broker's words; FEEDBACK_HALF as for text
  kind      whether the entry's kind suits the need's kind (a funding need leans to
            instruments, a competence need to offerings); KIND_FIT below
  purpose   an instrument pays for the kind of thing the need is about (a grant for
            competence development for a competence need, an R&D scheme for an R&D need),
            read off its name and keywords: the broker's "and this is how to pay for it"
  local     the entry is meant for the org's own county, sub-region or municipality
            rather than the whole country: a broker suggests the local scheme first
  industry  the org's industry words (or NACE code) hit the entry
  language  the entry is written in the need's language (or is English for an English need)
  audience  the entry is aimed at this kind of org specifically, not at everyone
  learned   the broker referred a need like this one to the entry before, and how far that
            got (learning.py): -1..1, a declined or withdrawn referral counts against
  far       a penalty (negative weight): the entry is taught on a campus far from the org
            (distance.py: none within NEAR_KM, all of it from FAR_KM, half for blended)
  field     a penalty: the entry is about other fields of work (construction, health …) than
            the ones the need names, a look-alike (synonyms.yaml: fields)
  condition a penalty: the entry is only for a situation (layoffs, start-ups) the need
            does not tell of (synonyms.yaml: conditions)
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "text": 51.0,
    "feedback": 6.0,
    "kind": 8.0,
    "purpose": 9.0,
    "local": 6.0,
    "industry": 9.0,
    "language": 5.5,
    "audience": 5.5,
    "learned": 10.0,
    "far": -10.0,
    "field": -15.0,
    "condition": -12.0,
}
# What the broker's own history adds or takes: outside the 0..100 of what the texts and
# the org say, so the scale of every other part stays as calibrated.
ADJUSTMENTS = ("learned", "far", "field", "condition")
assert abs(sum(w for p, w in WEIGHTS.items() if p not in ADJUSTMENTS) - 100.0) < 1e-9

# Confidence labels by total score (first threshold reached wins), calibrated on the
# matchbench dev set (top 10 of 105 needs): of the matches scored >= 57, 88 % are graded
# 2 or 3 by a broker; of 45-57, about half are graded at all
# (>= 1); below 45, one in five. Recalibrate when the weights change:
# benchmarks/match_quality.py DATA.json --calibrate.
CONFIDENCE: tuple[tuple[str, float], ...] = (("strong", 57.0), ("possible", 45.0), ("weak", 0.0))

# Raw BM25F scores that earn half of the text / industry points.
TEXT_HALF = 14.0
INDUSTRY_HALF = 8.0
FEEDBACK_HALF = 6.0

# Query-side weights of a term group by where it came from.
QUERY: dict[str, float] = {
    "word": 1.0,       # a word of the need as written
    "part": 0.5,       # a part of a compound word of the need
    "fuzzy": 0.8,      # a word the need misspelt, as corrected against the index
    "concept": 1.0,    # a synonym concept found in the need
    "related": 0.3,    # a concept related to one found in the need
    "situation": 1.0,  # a concept a situation the need tells of points to (concepts.yaml)
    "who": 0.5,        # scales a need's words that say whom it is for (synonyms.yaml: who)
    "implied": 0.4,    # a concept the need's kind implies (synonyms.yaml: implied)
    "industry": 1.0,   # the org's industry words (scored as their own part)
    "feedback": 1.0,   # the strongest term of the best eligible matches (feedback.py); the
                       # rest of the expansion terms get less, by their weight there
}

# need kind → entry kind → fit. With several need kinds (a need asking for a course and a
# grant) the best fit counts; with none known every kind fits the same.
KIND_FIT: dict[str, dict[str, float]] = {
    "competence":     {"offering": 1.0, "instrument": 0.7, "provider": 0.6},
    "rd":             {"offering": 0.7, "instrument": 0.9, "provider": 1.0},
    "funding":        {"offering": 0.7, "instrument": 1.0, "provider": 0.5},
    "recruitment":    {"offering": 0.9, "instrument": 0.9, "provider": 0.6},
    "apprenticeship": {"offering": 1.0, "instrument": 0.8, "provider": 0.6},
    "other":          {"offering": 0.7, "instrument": 0.7, "provider": 0.7},
}
UNKNOWN_KIND_FIT = 0.7

LOCAL_REGION = 1.0     # the entry's regions name the org's municipality, group or county
LOCAL_MENTION = 0.4    # a nationwide entry whose text names the org's municipality or county


def squash(raw: float, half: float) -> float:
    """0..1, monotone, half at `half`: keeps one huge term from drowning the context."""
    return raw / (raw + half) if raw > 0 else 0.0


def kind_fit(entry_kind: str, need_kinds: set[str]) -> float:
    if not need_kinds:
        return UNKNOWN_KIND_FIT
    return max(KIND_FIT.get(k, KIND_FIT["other"]).get(entry_kind, 0.5) for k in need_kinds)


def purpose_fit(purposes: frozenset[str], need_kinds: set[str]) -> float:
    return 1.0 if not purposes.isdisjoint(need_kinds) else 0.0


def language_fit(entry_language: str, need_language: str) -> float:
    def family(lang: str) -> str:
        return "nb" if lang in ("nb", "nn") else lang
    return 1.0 if family(entry_language) == family(need_language) else 0.0


def audience_fit(audience: tuple[str, ...], org_audiences: frozenset[str]) -> float:
    """1 for an entry aimed only at this kind of org, less the more kinds it serves."""
    if org_audiences.isdisjoint(audience):
        return 0.0
    served = [a for a in audience if a != "individual"]
    return 1.0 / len(served) if served else 0.0


def confidence(score: float) -> str:
    return next((label for label, floor in CONFIDENCE if score >= floor), CONFIDENCE[-1][0])


def weighted(fits: dict[str, float]) -> float:
    """The score before rounding: enough to tell whether a candidate can make the top."""
    return sum(WEIGHTS[part] * fit for part, fit in fits.items())


def total(fits: dict[str, float]) -> dict[str, float]:
    """Contributions per part (weight × fit), rounded for display; they sum to the score."""
    return {part: round(WEIGHTS[part] * fits.get(part, 0.0), 2) for part in WEIGHTS}
