"""Local first (megler.matching.distance): a campus far from the org costs an entry points,
and the explanation says how far."""

from datetime import date

import pytest

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile
from megler.matching.distance import FAR_KM, NEAR_KM, far, km, locate

HALDEN = OrgProfile(kind="company", country="NO", municipality="Halden")


def course(id: int, delivery: tuple[str, ...] = (), campus: tuple[str, ...] = ()) -> Entry:
    return Entry(id=id, kind="offering", name="Lean og forbedringsarbeid for formenn",
                 description="Kurs i lean, 5S og kontinuerlig forbedring.",
                 delivery=delivery, campus=campus)


@pytest.mark.parametrize(("a", "b", "country", "low", "high"), [
    ("Halden", "Bodø", "NO", 880, 960),
    ("Mo i Rana", "Rana", "NO", 0, 1),           # a town lies in its municipality
    ("Aremark", "Halden", "NO", 10, 35),
    ("Uddevalla", "Trollhättan", "SE", 15, 30),
    ("Grong", "Trondheim", "NO", 0, 1),          # not listed: where its county is
])
def test_places_are_where_they_are(a, b, country, low, high):
    assert low <= km(locate(a, country), locate(b, country)) <= high


def test_only_an_entry_that_makes_people_travel_can_be_far():
    assert far(course(1, ("campus",), ("Bodø",)), HALDEN).fit == 1.0
    assert far(course(1, ("blended",), ("Bodø",)), HALDEN).fit == 0.5
    assert far(course(1, ("campus",), ("Fredrikstad",)), HALDEN).fit == 0.0
    for open_to_all in [course(1, ("online",)), course(1, ("campus", "company"), ("Bodø",)),
                        course(1), course(1, ("campus",)), course(1, ("campus",), ("Atlantis",))]:
        assert far(open_to_all, HALDEN) is None  # online, at the company, or nothing known
    assert far(course(1, ("campus",), ("Bodø",)), OrgProfile(kind="company")) is None


def test_the_penalty_grows_from_near_to_far():
    fits = [far(course(1, ("campus",), (town,)), HALDEN).fit
            for town in ("Sarpsborg", "Oslo", "Bergen", "Trondheim", "Bodø")]
    assert fits == sorted(fits) and fits[0] == 0.0 and fits[-1] == 1.0
    assert NEAR_KM < km(locate("Halden", "NO"), locate("Bergen", "NO")) < FAR_KM


def test_an_equal_course_nearby_ranks_above_the_one_a_thousand_km_away():
    m = Matcher([course(1, ("campus",), ("Bodø",)), course(2, ("campus",), ("Fredrikstad",))])
    ranked = m.rank(NeedQuery("Kurs i lean for 4 formenn", HALDEN, date(2026, 10, 1)))
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].parts["far"] == -10.0 and ranked[0].parts["far"] == 0.0
    assert ranked[1].notes == ["campus in Bodø, 920 km from Halden"]
    assert ranked[0].notes == []


def named(id: int, name: str, kind: str = "provider") -> Entry:
    return Entry(id=id, kind=kind, name=name, description="Kurs i lean, 5S og forbedringsarbeid.")


def test_an_entry_that_says_nothing_of_how_it_is_taught_is_where_its_name_says():
    nordland, ostfold = named(1, "Fagskolen i Nordland"), named(2, "Fagskolen i Østfold")
    assert far(nordland, HALDEN).fit == 0.5 and far(nordland, HALDEN).campus == "Nordland"
    assert far(ostfold, HALDEN).fit == 0.0
    m = Matcher([nordland, ostfold])
    ranked = m.rank(NeedQuery("Kurs i lean for 4 formenn", HALDEN, date(2026, 10, 1)))
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].parts["far"] == -5.0 and ranked[1].notes[0].startswith("campus in Nordland")


@pytest.mark.parametrize("name", ["Prosessteknikk – fagskole deltid (Mo i Rana og nett)",
                                  "Lean for ledere", "Lærlingordning i Nordland"])
def test_a_name_that_says_online_or_no_place_or_an_instrument_is_never_far(name):
    kind = "instrument" if name.startswith("Lærling") else "offering"
    assert far(named(1, name, kind), HALDEN) is None


def test_what_the_catalog_says_of_delivery_wins_over_the_name():
    online = Entry(id=1, kind="offering", name="Lean – Fagskolen i Nordland", delivery=("online",))
    assert far(online, HALDEN) is None
