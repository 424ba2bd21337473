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
from .model import Entry, Match, NeedQuery, OrgProfile
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


_SYNONYMS = None


def _shipped_synonyms():
    global _SYNONYMS
    if _SYNONYMS is None:
        from .synonyms import Synonyms
        _SYNONYMS = Synonyms.load()
    return _SYNONYMS


__all__ = ["CONFIDENCE", "Entry", "Match", "Matcher", "NeedQuery", "OrgProfile", "WEIGHTS", "county_of", "detect_language",
           "eligibility", "explain", "normalise", "terms"]
