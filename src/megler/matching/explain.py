"""One line of explanation per match, for `megler match --explain` and reports."""

from __future__ import annotations

from .model import Match


def explain(match: Match) -> str:
    """Why this entry is suggested (or why it cannot be used).

    >>> from .model import Entry
    >>> m = Match(Entry(id=1, kind="offering", name="X"), 61.5,
    ...           {"text": 40.0, "kind": 14.0, "local": 0.0, "language": 5.0, "audience": 2.5},
    ...           "strong", [], ["sveising", "kurs"])
    >>> explain(m)
    'strong 61.5 = text 40.0 + kind 14.0 + language 5.0 + audience 2.5; matched: sveising, kurs'
    >>> m.concepts = ["sveising", "opplæring"]
    >>> explain(m).split("; ")[-1]
    'concepts: sveising, opplæring'
    """
    parts = "".join(f" {'-' if v < 0 else '+'} {k} {abs(v):.1f}" for k, v in match.parts.items() if v)
    line = f"{match.confidence} {match.score:.1f} ={parts.removeprefix(' +')}"
    if match.terms:
        line += "; matched: " + ", ".join(match.terms)
    if match.concepts:
        line += "; concepts: " + ", ".join(match.concepts)
    if match.notes:
        line += "; " + "; ".join(match.notes)
    if match.reasons:
        line += "; not eligible: " + "; ".join(match.reasons)
    return line
