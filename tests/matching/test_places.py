"""The shipped municipality table as `org add --municipality` uses it (megler.matching.regions)."""

import pytest

from megler.errors import InvalidInput
from megler.matching.regions import Place, geography, place_key
from megler.orgs import OrgFields, add_org, edit_org


@pytest.mark.parametrize(("typed", "country", "found"), [
    ("vefsn", "NO", Place("Vefsn", "Nordland", "NO")),
    ("Bronnoey", None, Place("Brønnøy", "Nordland", "NO")),
    ("aalesund", "NO", Place("Ålesund", "Møre og Romsdal", "NO")),
    ("dals ed", None, Place("Dals-Ed", "Västra Götaland", "SE")),
    ("Herøy (Møre og Romsdal)", "NO", Place("Herøy", "Møre og Romsdal", "NO")),
])
def test_any_spelling_finds_the_municipality_as_the_table_spells_it(typed, country, found):
    assert geography().place(typed, country) == found


@pytest.mark.parametrize(("typed", "country", "message"), [
    ("Vefns", "NO", "did you mean Vefsn?"),
    ("Mo i Rana", "NO", "Mo i Rana is a place in Rana, not a municipality: did you mean Rana?"),
    ("Ljungskile", None, "did you mean Uddevalla?"),
    ("Trondhjem", "NO", "did you mean Trondheim?"),
    ("Uddevalla", "NO", "a municipality in SE, not in NO: give --country SE"),
    ("Nordland", "NO", "a county or region, not a municipality"),
    ("Qwxz", "NO", "check the spelling"),
])
def test_an_unknown_name_is_refused_with_what_comes_closest(typed, country, message):
    with pytest.raises(InvalidInput, match=message):
        geography().place(typed, country)


def test_two_municipalities_of_one_name_are_told_apart_by_the_county():
    with pytest.raises(InvalidInput, match=r"Herøy \(Møre og Romsdal\), Herøy \(Nordland\)"):
        geography().place("Herøy", "NO")
    assert geography().place("heroy", "NO", "nordland").county == "Nordland"


def test_every_place_of_the_alias_table_names_one_municipality_and_is_none():
    geo = geography()
    assert len(geo.towns) >= 50
    for (country, key), municipality in geo.towns.items():
        assert geo.place(municipality, country).municipality == municipality
        assert key not in geo.places, key  # an alias never hides a real municipality


def test_only_known_twins_fold_alike():
    """Folding must not make two municipalities one: only the table's own twins share a
    key (Herøy, Våler), Lund (one in each country) and Habo/Håbo (told apart as written)."""
    shared = {key for key, places in geography().places.items() if len(places) > 1}
    assert shared == {place_key(name) for name in ("Herøy", "Våler", "Lund", "Habo")}


@pytest.mark.parametrize("typed, country, expected", [
    ("Lund", "SE", ("Lund", "Skåne")), ("Lund", "NO", ("Lund", "Rogaland")),
    ("Habo", "SE", ("Habo", "Jönköping")), ("håbo", "SE", ("Håbo", "Uppsala")),
    ("Malmo", "SE", ("Malmö", "Skåne")), ("Upplands Bro", "SE", ("Upplands-Bro", "Stockholm")),
    ("Örnsköldsvik", "SE", ("Örnsköldsvik", "Västernorrland")), ("Kiruna", None, ("Kiruna", "Norrbotten")),
])
def test_every_swedish_region_has_its_municipalities(typed, country, expected):
    found = geography().place(typed, country)
    assert (found.municipality, found.county) == expected


def test_a_spelling_both_twins_share_names_both():
    with pytest.raises(InvalidInput, match="2 municipalities named Haabo") as refused:
        geography().place("Haabo", "SE")
    assert "Habo (Jönköping)" in str(refused.value) and "Håbo (Uppsala)" in str(refused.value)


def test_add_org_fills_the_region_and_force_keeps_an_unknown_place(session):
    org = add_org(session, OrgFields(name="Vefsn Tre AS", municipality="VEFSN"))
    assert (org.municipality, org.region, org.country) == ("Vefsn", "Nordland", "NO")
    with pytest.raises(InvalidInput, match="did you mean Vefsn"):
        add_org(session, OrgFields(name="Ny AS", municipality="Vefns"))
    kept = add_org(session, OrgFields(name="Ny AS", municipality="Vefns"), force=True)
    assert (kept.municipality, kept.region) == ("Vefns", None)
    edit_org(session, kept, OrgFields(municipality="Bodo"))
    assert (kept.municipality, kept.region) == ("Bodø", "Nordland")
