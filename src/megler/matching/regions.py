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

import yaml

from .text import fold

_BRACKET = re.compile(r"\s*\((.+)\)\s*$")


def area_key(name: str) -> str:
    """How region names are compared: folded, hyphens as spaces ("Dals-Ed" = "dals ed")."""
    return " ".join(fold(name).replace("-", " ").split())


@dataclass
class Geography:
    counties: dict[str, dict[str, str]] = field(default_factory=dict)    # country → key → name
    municipalities: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)            # area → group names

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
    return build(yaml.safe_load(text))


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
    return geo


def _add_municipality(geo: Geography, country: str, county: str, name: str) -> None:
    # "Herøy (Nordland)" is known under that name and, ambiguously, as plain "Herøy".
    geo.municipalities.setdefault((country, area_key(name)), []).append(county)
    bare = _BRACKET.sub("", name)
    if bare != name:
        geo.municipalities.setdefault((country, area_key(bare)), []).append(county)


def county_of(municipality: str, country: str | None = None) -> str | None:
    """Module-level shortcut for the rest of megler (org import, reports)."""
    return geography().county_of(municipality, country)
