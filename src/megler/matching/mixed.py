"""A need that asks for something to do and the money for it ("a welding course, and a
grant to pay for it") gets both in its first five."""

from __future__ import annotations

from megler.vocabulary import EntryKind

from .model import Match

DEPTH = 20  # how far down to look for the kind a mixed need's first five lack
SHOWN = 5
_TO_DO = {"competence", "apprenticeship", "recruitment", "rd"}


def asks_both(kinds: set[str]) -> bool:
    return "funding" in kinds and bool(kinds & _TO_DO)


def with_both(ranked: list[Match], top: int) -> list[Match]:
    """The first `top` of `ranked`, with an instrument and an offering or provider among
    the first five when the ranking has both."""
    eligible = [m for m in ranked if m.eligible]
    first, shown = min(top, SHOWN), eligible[:top]
    for wanted, why in ((_money, "the funding the need asks for"),
                        (lambda m: not _money(m), "what the funding is for")):
        if first < 2 or any(map(wanted, shown[:first])):
            continue
        best = next((m for m in eligible[first:] if wanted(m)), None)
        if best:
            best.notes.append(f"in the first {first} for {why}")
            rest = [m for m in shown if m is not best]
            shown = rest[:first - 1] + [best] + rest[first - 1:]
    return shown[:top] + [m for m in ranked if not m.eligible][:top]


def _money(m: Match) -> bool:
    return m.entry.kind == EntryKind.instrument
