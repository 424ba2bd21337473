"""The values the matcher takes and gives: entries, the org, the need, and matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Entry:
    """What the matcher needs of one catalog entry."""

    id: int | str              # store id (int) or benchmark id ("c001")
    kind: str                  # "offering" | "instrument" | "provider"
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    provider: str | None = None     # offerings
    agency: str | None = None       # instruments
    language: str = "nb"            # nb | nn | sv | en
    country: str = "NO"             # NO | SE
    regions: tuple[str, ...] = ("*",)
    audience: tuple[str, ...] = ()
    min_employees: int | None = None
    max_employees: int | None = None
    deadline: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    delivery: tuple[str, ...] = ()  # campus | online | company | blended; () = not said
    campus: tuple[str, ...] = ()    # where it is taught or gathers


@dataclass(frozen=True, slots=True)
class OrgProfile:
    kind: str | None = None          # company | municipality | public | ngo
    country: str | None = None
    region: str | None = None        # county / Swedish region; derived from municipality if None
    municipality: str | None = None
    industry: str | None = None      # words or NACE code
    employees: int | None = None
    for_members: bool = False        # an NGO asking on behalf of its member companies

    def audiences(self) -> frozenset[str]:
        """Whom an entry must be for to serve this org. A business association or other
        NGO that asks for its member companies (a course it arranges for them) is served
        by what serves companies: the members are the ones who take part."""
        if not self.kind:
            return frozenset()
        members = {"company"} if self.for_members and self.kind == "ngo" else set()
        return frozenset({self.kind, *members})


@dataclass(frozen=True, slots=True)
class Precedent:
    """An earlier need the broker referred to an entry, and how far the referral got."""

    need_id: int | str
    text: str
    entry_id: int | str
    status: str                      # a referral status: suggested … completed, declined


@dataclass(frozen=True, slots=True)
class NeedQuery:
    text: str
    org: OrgProfile
    on: date                         # "today" (the need's date in benchmarks)
    kind: str | None = None          # competence | rd | recruitment | apprenticeship | funding | other
    language: str | None = None      # detected when None
    precedents: tuple[Precedent, ...] = ()  # the broker's earlier referrals (learning.py)


@dataclass
class Match:
    entry: Entry
    score: float                     # 0..100
    parts: dict[str, float]          # named parts → contribution; they sum to score
    confidence: str                  # "strong" | "possible" | "weak"
    reasons: list[str] = field(default_factory=list)   # why ineligible; empty = eligible
    terms: list[str] = field(default_factory=list)     # the need's words that matched, as written
    concepts: list[str] = field(default_factory=list)  # synonym concepts that matched, by name
    notes: list[str] = field(default_factory=list)     # what a context part saw ("campus in Bodø, …")

    @property
    def eligible(self) -> bool:
        return not self.reasons
