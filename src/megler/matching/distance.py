"""Local first: how far an org is from the campus where an entry is taught.

A course taught on a campus (or online with gatherings on one) costs the company its
people's travel and days away; an equal course nearby is the better suggestion. Places
are located by data/coordinates.yaml: a municipality or town listed there, else the
county it lies in. Entries that say nothing of how they are taught, or that come to the
company or run online, are never far.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources

from megler import safeyaml

from .model import Entry, OrgProfile
from .regions import geography, place_key

NEAR_KM = 100  # a day's return trip: as good as local
FAR_KM = 700   # from here on the whole penalty (Halden to Trondheim, Bodø to Tromsø)
BLENDED = 0.5  # online with a few gatherings: half the travel of a campus course
NAMED = 0.5    # a place read off the entry's name: where it likely is, not what it says
_EARTH_KM = 6371.0


@dataclass(frozen=True)
class Far:
    km: float
    campus: str     # the nearest of the entry's places, as the catalog names it
    fit: float      # 0 (near) .. 1 (the whole penalty)

    def note(self, org_place: str) -> str:
        return f"campus in {self.campus}, {self.km:,.0f} km from {org_place}"


@dataclass(frozen=True)
class Sites:
    """Where an entry is taught, located once per entry, and how much travel to it counts."""

    places: tuple[tuple[str, tuple[float, float]], ...]  # (name as the catalog gives it, where)
    weight: float


def far(entry: Entry, org: OrgProfile) -> Far | None:
    """How far the org must travel to the entry's nearest campus, when that counts."""
    return far_from(sites(entry), home(org))


def sites(entry: Entry) -> Sites | None:
    """The places that make the org travel, or None when nothing does.

    An offering or provider that does not say how it is taught but names its place
    ("Fagskolen i Nordland", "Automatisering – fagskole (Fredrikstad)") is taken to be
    there, at the weight of a guess (NAMED): a partner or a class is best found nearby.
    """
    travels = {"campus", "blended"} & set(entry.delivery)
    if {"online", "company"} & set(entry.delivery):
        return None
    if travels and entry.campus:
        places, weight = entry.campus, 1.0 if "campus" in travels else BLENDED
    elif not entry.delivery and entry.kind in ("offering", "provider"):
        places, weight = named_places(entry), NAMED
    else:
        return None
    located = tuple((p, at) for p in places if (at := locate(p, entry.country)))
    return Sites(located, weight) if located else None


def home(org: OrgProfile) -> tuple[float, float] | None:
    return locate(org.municipality or org.region, org.country)


def far_from(where: Sites | None, org_home: tuple[float, float] | None) -> Far | None:
    if where is None or org_home is None:
        return None
    distance, campus = min((km(org_home, at), p) for p, at in where.places)
    share = min(1.0, max(0.0, (distance - NEAR_KM) / (FAR_KM - NEAR_KM)))
    return Far(distance, campus, share * where.weight)


_ONLINE = {"nett", "nettbasert", "online", "distans", "distance", "digitalt", "nätbaserad"}


def named_places(entry: Entry) -> tuple[str, ...]:
    """The places an entry's name (and its provider's) names, longest first: "Mo i Rana",
    "Bodø"; none when the name also says it runs online ("Mo i Rana og nett")."""
    return _named_places(f"{entry.name} {entry.provider or ''}", entry.country)


@functools.cache
def _named_places(name: str, country: str) -> tuple[str, ...]:
    ws = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", name)
    if _ONLINE & {w.lower() for w in ws}:
        return ()
    found, i = [], 0
    while i < len(ws):
        for n in (3, 2, 1):
            place = " ".join(ws[i:i + n])
            if ws[i][:1].isupper() and locate(place, country):
                found.append(place)
                i += n
                break
        else:
            i += 1
    return tuple(found)


@functools.cache
def locate(name: str | None, country: str | None) -> tuple[float, float] | None:
    """Latitude and longitude of a municipality, town or county; None when unknown."""
    if not name:
        return None
    table, geo = _coordinates(), geography()
    for land in [country] if country else ["NO", "SE"]:
        town = geo.towns.get((land, place_key(name)))  # "Mo i Rana" lies in Rana
        for candidate in (name, town, geo.county_of(town or name, land)):
            if candidate and (at := table.get((land, place_key(candidate)))):
                return at
    return None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, p) for p in (a, b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_KM * math.asin(math.sqrt(h))


@functools.cache
def _coordinates() -> dict[tuple[str, str], tuple[float, float]]:
    text = resources.files("megler.matching").joinpath("data/coordinates.yaml").read_text("utf-8")
    table = safeyaml.load(text, "coordinates.yaml")
    return {(country, place_key(name)): (float(lat), float(lon))
            for country, places in table.items() for name, (lat, lon) in places.items()}
