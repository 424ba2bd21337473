"""Hard rules: can this organisation use this entry on this day? Each broken rule is a reason.

The rules are those of the match benchmark (country, regions, audience, size, deadline)
plus the entry's validity window. Audience: the entry names the org's kind, or the org is
an NGO (a business association, a cluster) asking for its member companies and the entry
is for companies (OrgProfile.audiences). Unknown facts about the org (no employee count, no
municipality) never make an entry ineligible: the broker can still judge.
"""

from __future__ import annotations

from datetime import date

from .model import Entry, OrgProfile
from .regions import area_key, geography

_SHOW_REGIONS = 3


def eligibility(entry: Entry, org: OrgProfile, on: date) -> list[str]:
    """Reasons the org cannot use the entry on `on`; an empty list means eligible.

    >>> e = Entry(id=1, kind="instrument", name="RFF", regions=("Nordland",), audience=("company",))
    >>> eligibility(e, OrgProfile(kind="company", country="NO", municipality="Halden"), date(2026, 3, 1))
    ['serves Nordland, org is in Halden (Østfold)']
    """
    areas = geography().areas(org.municipality, org.region, org.country)
    return reasons(entry, org, on, areas, entry_regions(entry))


def reasons(entry: Entry, org: OrgProfile, on: date, areas: frozenset[str],
            regions: frozenset[str]) -> list[str]:
    """eligibility() with the org's areas and the entry's regions worked out beforehand."""
    checks = (_country(entry, org), _regions(entry, org, areas, regions), _audience(entry, org),
              _size(entry, org), _dates(entry, on))
    return [r for r in checks if r]


def entry_regions(entry: Entry) -> frozenset[str]:
    return frozenset(area_key(r) if r != "*" else r for r in entry.regions)


def region_ok(regions: frozenset[str], areas: frozenset[str]) -> bool:
    """Whether an entry's folded region names reach any of the org's areas."""
    return "*" in regions or not regions or not regions.isdisjoint(areas)


def _country(entry: Entry, org: OrgProfile) -> str | None:
    if org.country and entry.country and entry.country.upper() != org.country.upper():
        return f"is for organisations in {entry.country}, org is in {org.country}"
    return None


def _regions(entry: Entry, org: OrgProfile, areas, regions) -> str | None:
    if not (org.municipality or org.region) or region_ok(regions, areas):
        return None
    shown = ", ".join(entry.regions[:_SHOW_REGIONS])
    if len(entry.regions) > _SHOW_REGIONS:
        shown += f" and {len(entry.regions) - _SHOW_REGIONS} more"
    return f"serves {shown}, org is in {_place(org)}"


def _place(org: OrgProfile) -> str:
    county = org.region or (org.municipality and geography().county_of(org.municipality, org.country))
    if org.municipality and county and area_key(county) != area_key(org.municipality):
        return f"{org.municipality} ({county})"
    return org.municipality or county or "an unknown place"


def _audience(entry: Entry, org: OrgProfile) -> str | None:
    if not entry.audience or not org.kind:
        return None
    if not org.audiences().isdisjoint(entry.audience):
        return None
    if set(entry.audience) == {"individual"}:
        return "is for individuals only, not organisations"
    return f"is for {', '.join(entry.audience)}, org is a {org.kind}"


def _size(entry: Entry, org: OrgProfile) -> str | None:
    n = org.employees
    if n is None:
        return None
    if entry.min_employees is not None and n < entry.min_employees:
        return f"needs at least {entry.min_employees} employees, org has {n}"
    if entry.max_employees is not None and n > entry.max_employees:
        return f"allows at most {entry.max_employees} employees, org has {n}"
    return None


def _dates(entry: Entry, on: date) -> str | None:
    if entry.deadline is not None and entry.deadline < on:
        return f"deadline {entry.deadline.isoformat()} has passed ({on.isoformat()})"
    if entry.valid_from is not None and on < entry.valid_from:
        return f"not open before {entry.valid_from.isoformat()}"
    if entry.valid_to is not None and entry.valid_to < on:
        return f"closed on {entry.valid_to.isoformat()}"
    return None
