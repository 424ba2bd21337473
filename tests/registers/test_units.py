"""What a register's record says, in megler's words."""

import json

import pytest

from megler.orgs import personal_number
from megler.registers import bolagsverket, brreg
from megler.registers.unit import kind_of, readable_name
from tests.registers.conftest import DATA


@pytest.mark.parametrize("name, readable", [
    ("HALDEN SAG OG HØVLERI AS", "Halden Sag og Høvleri AS"),
    ("RANA INDUSTRIMEKANIKK AS AVD MOSJØEN", "Rana Industrimekanikk AS Avd Mosjøen"),
    ("I FARTA ANS", "I Farta ANS"),
    ("Volvo AB", "Volvo AB"),  # a name with small letters is the register's own spelling
])
def test_a_name_in_capitals_is_written_as_a_broker_writes_it(name, readable):
    assert readable_name(name) == readable


def test_a_unit_of_the_api_in_megler_words():
    record = json.loads((DATA / "enheter" / "912345629.json").read_text("utf-8"))
    unit = brreg.unit_of(record)
    assert unit is not None
    assert (unit.name, unit.org_form, unit.industry, unit.employees, unit.municipality,
            unit.region, unit.status) == (
        "GLOMMA STÅLBYGG AS", "AS", "25.110 Produksjon av metallkonstruksjoner og deler", 7,
        "Fredrikstad", "Østfold", "bankrupt")
    assert brreg.unit_of({"navn": "X"}) is None
    deleted = brreg.unit_of(json.loads((DATA / "enheter" / "912345637.json").read_text("utf-8")))
    assert deleted is not None and (deleted.name, deleted.status) == (None, "deleted")


def test_an_unknown_municipality_is_left_out_rather_than_guessed():
    unit = brreg.unit_of({"organisasjonsnummer": "912345602",
                          "forretningsadresse": {"kommune": "ATLANTIS", "kommunenummer": "9999"}})
    assert unit is not None and (unit.municipality, unit.region) == (None, None)


@pytest.mark.parametrize("form, kind", [("AS", "company"), ("KOMM", "municipality"),
                                        ("STAT", "public"), ("FLI", "ngo"), ("BEDR", "company")])
def test_the_organisation_form_gives_the_kind(form, kind):
    assert kind_of(brreg.Unit("912345602", "NO", org_form=form)) == kind


@pytest.mark.parametrize("number, country, personal", [
    ("8112189876", "SE", True), ("5560000001", "SE", False), ("8112189876", "NO", False)])
def test_a_swedish_personnummer_is_told_from_an_organisationsnummer(number, country, personal):
    assert personal_number(number, country) is personal


def test_bolagsverkets_values_lose_their_type():
    assert bolagsverket.value("Volvo AB$FORETAGSNAMN-ORGNAM") == "Volvo AB"
    units = list(bolagsverket.units_of([
        {"organisationsidentitet": "165560000001$ORGNR-IDORG", "organisationsnamn": "Volvo AB",
         "avregistreringsdatum": "2024-01-31"},
        {"organisationsidentitet": "8112189876$PERSNR-IDORG", "organisationsnamn": "Åse"}]))
    assert [(u.orgnr, u.name, u.status) for u in units] == [("5560000001", "Volvo AB", "deleted")]
