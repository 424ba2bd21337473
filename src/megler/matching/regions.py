"""Where an organisation is: municipality → county/region, and the named groups around it.

The table (data/regions.yaml) covers every Norwegian municipality with its 2024 county,
Västra Götaland, Halland and Värmland in full, the other Swedish regions by name, and named
groups: sub-regions such as Helgeland or Fyrbodal, and former names such as Viken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from megler import safeyaml
from megler.errors import InvalidInput
from megler.resolve import fold as plain_fold

from .text import fold

_BRACKET = re.compile(r"\s*\((.+)\)\s*$")


def area_key(name: str) -> str:
    """How region names are compared: folded, hyphens as spaces ("Dals-Ed" = "dals ed")."""
    return " ".join(fold(name).replace("-", " ").split())


def place_key(name: str) -> str:
    """How a typed municipality is looked up: every spelling of a Nordic letter alike
    ("bronnoy" = "Brønnøy"), hyphens as spaces."""
    return " ".join(plain_fold(name).replace("-", " ").split())


@dataclass(frozen=True)
class Place:
    municipality: str  # as the table spells it: "Brønnøy", "Herøy"
    county: str
    country: str


@dataclass
class Geography:
    counties: dict[str, dict[str, str]] = field(default_factory=dict)    # country → key → name
    municipalities: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)            # area → group names
    places: dict[str, list[Place]] = field(default_factory=dict)         # place_key → places
    towns: dict[tuple[str, str], str] = field(default_factory=dict)      # (country, key) → municipality
    numbers: dict[tuple[str, str], str] = field(default_factory=dict)    # (country, "18") → county

    def place(self, typed: str, country: str | None = None, county: str | None = None) -> Place:
        """The municipality a broker typed, in the table's spelling, with its county.

        Unknown or ambiguous names are refused with the closest names; `county` picks
        between two municipalities of one name ("Herøy" in Nordland), `country` between
        Lund in Rogaland and Lund in Skåne, the spelling between Habo and Håbo.

        >>> geography().place("bronnoy")
        Place(municipality='Brønnøy', county='Nordland', country='NO')
        """
        found = [p for p in self.places.get(place_key(typed), []) if country in (None, p.country)]
        if county and len(found) > 1:
            found = [p for p in found if area_key(p.county) == area_key(county)] or found
        if len(found) > 1:  # "Habo" and "Håbo" fold alike: as written, it is one of them
            found = [p for p in found if area_key(p.municipality) == area_key(typed)] or found
        if len(found) == 1:
            return found[0]
        if found:
            named = ", ".join(f"{p.municipality} ({p.county})" for p in found)
            raise InvalidInput(f"there are {len(found)} municipalities named {typed}: {named}; "
                               "give one of them as written here, or --region")
        raise InvalidInput(self._unknown(typed, country))

    def _unknown(self, typed: str, country: str | None) -> str:
        key = place_key(typed)
        town = next((m for (c, k), m in self.towns.items() if k == key and country in (None, c)), None)
        if town:
            return f"{typed} is a place in {town}, not a municipality: did you mean {town}?"
        elsewhere = sorted({p.country for p in self.places.get(key, [])})
        if elsewhere:
            return f"{typed} is a municipality in {elsewhere[0]}, not in {country}: give --country {elsewhere[0]}"
        force = "--force keeps it as typed"
        if any(area_key(typed) in self.counties.get(c, {}) for c in ([country] if country else self.counties)):
            return f"{typed} is a county or region, not a municipality: give it as --region ({force})"
        close = self._closest(key, country)
        hint = f"did you mean {' or '.join(close)}?" if close else "check the spelling"
        return f"megler knows no municipality {typed}: {hint} ({force})"

    def _closest(self, key: str, country: str | None, limit: int = 3) -> list[str]:
        """The names nearest to a typo, those nearly as near as the best."""
        from rapidfuzz import fuzz, process

        names = {k: ps[0].municipality for k, ps in self.places.items()
                 if any(country in (None, p.country) for p in ps) and "(" not in k}
        found = process.extract(key, names.keys(), scorer=fuzz.ratio, limit=limit, score_cutoff=70)
        best = found[0][1] if found else 0
        return list(dict.fromkeys(names[k] for k, score, _ in found if score >= best - 5))

    def registered(self, name: str, number: str | None, country: str) -> Place | None:
        """The municipality a register names (`HERØY`, number 1818), or None if megler's
        table does not know it; the number's county decides between two of one name.

        >>> geography().registered("HERØY", "1818", "NO")
        Place(municipality='Herøy', county='Nordland', country='NO')
        """
        county = self.numbers.get((country, (number or "")[:2]))
        found = [p for p in self.places.get(place_key(name), []) if p.country == country]
        if county and len(found) > 1:
            found = [p for p in found if p.county == county]
        return found[0] if len(found) == 1 else None

    def county_of(self, municipality: str, country: str | None = None) -> str | None:
        """The county/region of a municipality, or None when unknown or ambiguous.

        >>> geography().county_of("Halden"), geography().county_of("Herøy")
        ('Østfold', None)
        """
        found = self._counties(municipality, country)
        return found[0] if len(found) == 1 else None

    def _counties(self, municipality: str, country: str | None) -> list[str]:
        key = area_key(municipality)
        countries = [country] if country else list(self.counties)
        return [c for cc in countries for c in self.municipalities.get((cc, key), [])]

    def areas(self, municipality: str | None, region: str | None,
              country: str | None) -> frozenset[str]:
        """Every area name an organisation is in: municipality, county, groups, old names."""
        out: set[str] = set()
        # The table's county counts too: an org still filed under "Viken" is in Østfold.
        counties = {c for c in (region, municipality and self.county_of(municipality, country)) if c}
        for county in counties:
            out.add(area_key(county))
            if municipality:  # "Herøy" in Nordland is also "Herøy (Nordland)" of the table
                out.add(area_key(f"{municipality} ({county})"))
        if municipality:
            out.add(area_key(municipality))
        for area in list(out):
            out |= self.groups.get(area, set())
        return frozenset(out)


@lru_cache(maxsize=1)
def geography() -> Geography:
    text = resources.files("megler.matching").joinpath("data/regions.yaml").read_text("utf-8")
    return build(safeyaml.load(text, "regions.yaml"))


def build(table: dict) -> Geography:
    geo = Geography()
    for country in ("NO", "SE"):
        for county, munis in (table.get(country) or {}).items():
            geo.counties.setdefault(country, {})[area_key(county)] = county
            for muni in munis or ():
                _add_municipality(geo, country, county, muni)
    for group, members in (table.get("groups") or {}).items():
        for member in members:
            geo.groups.setdefault(area_key(member), set()).add(area_key(group))
    for country, numbers in (table.get("numbers") or {}).items():
        for number, county in numbers.items():
            geo.numbers[(country, str(number))] = county
    for country, towns in (table.get("places") or {}).items():
        for town, municipality in towns.items():
            geo.towns[(country, place_key(town))] = municipality
    return geo


def _add_municipality(geo: Geography, country: str, county: str, name: str) -> None:
    # "Herøy (Nordland)" is known under that name and, ambiguously, as plain "Herøy".
    geo.municipalities.setdefault((country, area_key(name)), []).append(county)
    bare = _BRACKET.sub("", name)
    if bare != name:
        geo.municipalities.setdefault((country, area_key(bare)), []).append(county)
    place = Place(bare, county, country)
    for spelling in {name, bare}:
        geo.places.setdefault(place_key(spelling), []).append(place)


def county_of(municipality: str, country: str | None = None) -> str | None:
    """Module-level shortcut for the rest of megler (org import, reports)."""
    return geography().county_of(municipality, country)
