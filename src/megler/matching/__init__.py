"""Matching needs against the catalog: normalisation, eligibility, scoring, explanation.

The rest of megler calls only what is exported here:

    matcher = Matcher(entries)                      # builds the index once
    matches = matcher.rank(NeedQuery(text, org, on=today()), top=10)
    cache = matcher.dumps(); Matcher.loads(cache)   # only from a file of the user's own
    eligibility(entry, org, on)                     # reasons an org cannot use an entry
    terms("trenger sveisekurs", "nb")               # the index terms of a text

This package imports neither typer, rich nor the database layer (DESIGN §4).
"""

from __future__ import annotations

from .eligibility import eligibility
from .explain import explain
from .matcher import Matcher
from .model import Entry, Match, NeedQuery, OrgProfile, Precedent
from .regions import county_of
from .scoring import CONFIDENCE, WEIGHTS
from .text import detect_language
from .text import fold as normalise


def terms(text: str, language: str = "nb") -> list[str]:
    """Index terms of a text: stems, and concepts from the synonym table (as "§name").

    Compounds are split only against a catalog's vocabulary, so this standalone version
    splits against the synonym table's words alone.

    >>> terms("Trenger sveisekurs", "nb")
    ['sveisekur', 'sveis', 'kur', '§welding', '§training']
    """
    from .analysis import Analyzer

    return list(Analyzer(_shipped_synonyms()).doc_terms(text, language))


def need_kinds(text: str) -> set[str]:
    """The need kinds a need's text signals, by its concepts (synonyms.yaml: kinds); a
    text without a cue is read as competence, the most common need a broker records.

    >>> sorted(need_kinds("Trenger sveisekurs og tilskudd til opplæringen"))
    ['competence', 'funding']
    """
    from .analysis import Analyzer
    from .scoring import QUERY

    synonyms = _shipped_synonyms()
    _, concepts = Analyzer(synonyms).query(text, detect_language(text), QUERY)
    return synonyms.kinds_of(concepts) or {"competence"}


# When a need signals several kinds, the one it is recorded as: what is to be done comes
# before the money for it ("a course and a grant to pay for it" is a competence need).
KIND_ORDER = ("apprenticeship", "recruitment", "rd", "competence", "funding")


def main_kind(kinds: set[str]) -> str:
    """>>> main_kind({"funding", "rd"})
    'rd'
    """
    return next((k for k in KIND_ORDER if k in kinds), "competence")


_SYNONYMS = None


def _shipped_synonyms():
    global _SYNONYMS
    if _SYNONYMS is None:
        from .synonyms import Synonyms
        _SYNONYMS = Synonyms.load()
    return _SYNONYMS


__all__ = ["CONFIDENCE", "Entry", "Match", "Matcher", "NeedQuery", "OrgProfile", "Precedent", "WEIGHTS", "county_of", "detect_language",
           "eligibility", "explain", "main_kind", "need_kinds", "normalise", "terms"]
