"""Eligibility rules one by one, each with its reason."""

from datetime import date

import pytest

from megler.matching import Entry, OrgProfile, county_of, eligibility

ON = date(2026, 3, 1)
ORG = OrgProfile(kind="company", country="NO", region="Østfold", municipality="Halden",
                 employees=40)


def entry(**kw):
    return Entry(id="c1", kind="instrument", name="Ordning", **kw)


def test_open_entry_is_eligible():
    assert eligibility(entry(), ORG, ON) == []


def test_country():
    assert eligibility(entry(country="SE"), ORG, ON) == [
        "is for organisations in SE, org is in NO"]


@pytest.mark.parametrize("regions, ok", [
    (("*",), True), (("Østfold",), True), (("Halden",), True), (("Viken",), True),
    (("Nordland",), False), (("Sarpsborg", "Fredrikstad"), False), (("østfold",), True),
])
def test_regions(regions, ok):
    assert (eligibility(entry(regions=regions), ORG, ON) == []) is ok


def test_region_reason_names_both_sides():
    assert eligibility(entry(regions=("Nordland",)), ORG, ON) == [
        "serves Nordland, org is in Halden (Østfold)"]


def test_county_is_derived_from_the_municipality():
    org = OrgProfile(kind="company", country="NO", municipality="Halden")
    assert eligibility(entry(regions=("Østfold",)), org, ON) == []


@pytest.mark.parametrize("municipality, region, group", [
    ("Rana", "Nordland", "Helgeland"), ("Fauske", None, "Salten"),
    ("Åmål", "Västra Götaland", "Dalsland"), ("Uddevalla", None, "Fyrbodal"),
    ("Herøy", "Nordland", "Helgeland"),
])
def test_named_sub_regions(municipality, region, group):
    country = "SE" if group in ("Dalsland", "Fyrbodal") else "NO"
    org = OrgProfile(kind="company", country=country, region=region, municipality=municipality)
    assert eligibility(entry(regions=(group,), country=country), org, ON) == []


def test_ambiguous_municipality_needs_its_county():
    assert county_of("Herøy", "NO") is None
    assert county_of("Halden", "NO") == "Østfold"
    assert county_of("Trollhättan", "SE") == "Västra Götaland"
    herøy_mr = OrgProfile(kind="company", country="NO", region="Møre og Romsdal", municipality="Herøy")
    assert eligibility(entry(regions=("Helgeland",)), herøy_mr, ON)


@pytest.mark.parametrize("audience, kind, reason", [
    (("company",), "company", None),
    (("municipality", "public"), "company", "is for municipality, public, org is a company"),
    (("individual",), "company", "is for individuals only, not organisations"),
    ((), "ngo", None),
])
def test_audience(audience, kind, reason):
    org = OrgProfile(kind=kind, country="NO", municipality="Halden")
    assert eligibility(entry(audience=audience), org, ON) == ([reason] if reason else [])


@pytest.mark.parametrize("lo, hi, n, reason", [
    (None, 49, 40, None), (None, 49, 50, "allows at most 49 employees, org has 50"),
    (20, None, 19, "needs at least 20 employees, org has 19"), (20, 249, None, None),
])
def test_size(lo, hi, n, reason):
    org = OrgProfile(kind="company", country="NO", employees=n)
    assert eligibility(entry(min_employees=lo, max_employees=hi), org, ON) == (
        [reason] if reason else [])


@pytest.mark.parametrize("kw, reason", [
    ({"deadline": date(2026, 3, 1)}, None),                      # due today is still open
    ({"deadline": date(2026, 2, 28)}, "deadline 2026-02-28 has passed (2026-03-01)"),
    ({"valid_from": date(2026, 4, 1)}, "not open before 2026-04-01"),
    ({"valid_to": date(2026, 1, 31)}, "closed on 2026-01-31"),
])
def test_dates(kw, reason):
    assert eligibility(entry(**kw), ORG, ON) == ([reason] if reason else [])


def test_unknown_org_facts_never_exclude():
    assert eligibility(entry(regions=("Nordland",), max_employees=10, audience=("company",)),
                       OrgProfile(), ON) == []


def test_several_reasons_are_all_given():
    why = eligibility(entry(country="SE", max_employees=10, deadline=date(2026, 1, 1)), ORG, ON)
    assert len(why) == 3
