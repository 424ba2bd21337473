"""`org add --orgnr`, `org edit --refresh`: the register fills in, the broker's word wins."""

import json

import pytest

from megler.registers import brreg
from tests.helpers import assert_user_error, count, records
from tests.registers.conftest import DATA as _DATA

RANA, HALDEN, BANKRUPT, DELETED, BRANCH, HEROY, UNKNOWN = (
    "912345602", "912345610", "912345629", "912345637", "912345645", "912345653", "912345661")


def shown(cli, org: str) -> dict:
    ran = cli("org", "show", org, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def test_the_org_number_alone_fills_in_the_org(register, cli):
    ran = cli("org", "add", "--orgnr", "912 345 602")
    assert (ran.code, ran.out) == (0, "")
    assert ran.err == "Added org #1 Rana Industrimekanikk AS (from Enhetsregisteret)\n"
    org = shown(cli, "1")
    assert {k: org[k] for k in ("name", "orgnr", "kind", "org_form", "industry", "more_industries",
                                "employees", "municipality", "region", "register_status",
                                "register_checked")} == {
        "name": "Rana Industrimekanikk AS", "orgnr": "912 345 602", "kind": "company",
        "org_form": "AS", "industry": "25.620 Bearbeiding av metaller",
        "more_industries": "33.120 Reparasjon av maskiner", "employees": 48,
        "municipality": "Rana", "region": "Nordland", "register_status": None,
        "register_checked": "2026-09-15"}
    sources = {s["field"]: s["source"] for s in org["sources"]}
    assert sources["employees"] == sources["name"] == sources["municipality"] == "brreg"
    assert {s["noted"] for s in org["sources"]} == {"2026-09-15"}
    assert register.asked == [f"/enhetsregisteret/api/enheter/{RANA}"]


def test_what_the_broker_types_wins_and_says_so(register, cli):
    ran = cli("org", "add", "Halden Sag", "--orgnr", HALDEN, "--employees", "25")
    assert ran.code == 0, ran.err
    org = shown(cli, "1")
    assert (org["name"], org["employees"], org["industry"], org["municipality"], org["region"]) == (
        "Halden Sag", 25, "16.100 Saging, høvling og impregnering av tre", "Halden", "Østfold")
    sources = {s["field"]: s["source"] for s in org["sources"]}
    assert (sources["name"], sources["employees"], sources["industry"]) == ("broker", "broker", "brreg")


def test_a_typed_municipality_wins_with_its_county(register, cli):
    assert cli("org", "add", "--orgnr", RANA, "--municipality", "Vefsn").code == 0
    org = shown(cli, "1")
    assert (org["municipality"], org["region"]) == ("Vefsn", "Nordland")


def test_the_municipalitys_number_tells_two_of_one_name_apart(register, cli):
    assert cli("org", "add", "--orgnr", HEROY).code == 0
    org = shown(cli, "1")
    assert (org["name"], org["municipality"], org["region"], org["employees"]) == (
        "Herøy Havbruk AS", "Herøy", "Nordland", None)


def test_a_sub_unit_is_found_among_the_underenheter(register, cli):
    assert cli("org", "add", "--orgnr", BRANCH).code == 0
    org = shown(cli, "1")
    assert (org["name"], org["municipality"], org["employees"]) == (
        "Rana Industrimekanikk AS Avd Mosjøen", "Vefsn", 9)
    assert register.asked[-1] == f"/enhetsregisteret/api/underenheter/{BRANCH}"


def test_a_bankrupt_org_is_named_when_added_and_by_check(register, cli):
    ran = cli("org", "add", "--orgnr", BANKRUPT)
    assert ran.code == 0
    assert "Warning: the register says #1 Glomma Stålbygg AS is bankrupt" in ran.err
    assert shown(cli, "1")["register_status"] == "bankrupt"
    ran = cli("check", "--format", "json")
    found = [f for f in json.loads(ran.out) if f["kind"] == "org bankrupt"]
    assert found and found[0]["ids"] == "#1" and "megler org show 1" in found[0]["todo"]


def test_a_deleted_unit_without_a_name_adds_nothing(register, cli, db_path):
    assert_user_error(cli("org", "add", "--orgnr", DELETED),
                      "the register gives no name for 912345637 and says it is deleted")
    assert not db_path.exists() or count(db_path, "org") == 0
    ran = cli("org", "add", "Gamle Verksted AS", "--orgnr", DELETED)
    assert ran.code == 0 and "is deleted" in ran.err
    assert shown(cli, "1")["register_status"] == "deleted"


def test_an_unknown_number_is_one_line_and_the_typed_org_is_added(register, cli):
    ran = cli("org", "add", "Ukjent Verksted AS", "--orgnr", UNKNOWN)
    assert ran.code == 0
    assert ran.err.splitlines() == [
        f"Note: Enhetsregisteret knows no org number {UNKNOWN}; the org keeps what you typed",
        "Added org #1 Ukjent Verksted AS"]
    assert shown(cli, "1")["name"] == "Ukjent Verksted AS"


def test_an_unknown_number_alone_is_an_error_and_adds_nothing(register, cli, db_path):
    cli("org", "add", "Noe AS")
    before = records(db_path)
    assert_user_error(cli("org", "add", "--orgnr", UNKNOWN),
                      f"Enhetsregisteret knows no org number {UNKNOWN}", "nothing was added")
    assert records(db_path) == before


def test_a_register_that_is_down_is_one_line_and_the_typed_org_is_added(cli):
    # conftest points register_url at a closed port on 127.0.0.1
    ran = cli("org", "add", "Halden Sag", "--orgnr", HALDEN)
    assert ran.code == 0
    note, added = ran.err.splitlines()
    assert note.startswith("Note: cannot reach the register at 127.0.0.1:9 (")
    assert note.endswith("; the org keeps what you typed") and added == "Added org #1 Halden Sag"
    assert_user_error(cli("org", "add", "--orgnr", RANA), "cannot reach the register")


def test_a_register_too_slow_to_answer_is_one_line(register, cli, monkeypatch):
    monkeypatch.setattr(brreg, "TIMEOUT", 0.2)
    register.delay = 1.0
    ran = cli("org", "add", "Halden Sag", "--orgnr", HALDEN)
    assert ran.code == 0
    assert ran.err.splitlines()[0] == (
        "Note: the register at 127.0.0.1:{} did not answer within 0.2 s; the org keeps what you "
        "typed".format(register.url.split(":")[2].split("/")[0]))
    assert shown(cli, "1")["employees"] is None


def test_a_server_error_is_one_line(register, cli):
    register.failing = 503
    ran = cli("org", "add", "Halden Sag", "--orgnr", HALDEN)
    assert ran.code == 0
    assert ran.err.splitlines() == [
        f"Note: the register at {register.url.split('/')[2]} answered 503 Service Unavailable; "
        "the org keeps what you typed", "Added org #1 Halden Sag"]


def test_refresh_follows_the_register_but_keeps_what_was_typed(register, cli, tmp_path, monkeypatch):
    assert cli("org", "add", "--orgnr", RANA, "--industry", "Mekanisk verksted").code == 0
    data = tmp_path / "register"
    (data / "enheter").mkdir(parents=True)
    unit = json.loads((_DATA / "enheter" / f"{RANA}.json").read_text("utf-8"))
    unit |= {"antallAnsatte": 52, "navn": "RANA INDUSTRI AS", "konkurs": True,
             "naeringskode1": {"kode": "28.990", "beskrivelse": "Produksjon av spesialmaskiner"}}
    (data / "enheter" / f"{RANA}.json").write_text(json.dumps(unit), "utf-8")
    monkeypatch.setattr("tests.registers.conftest.DATA", data)
    ran = cli("org", "edit", "1", "--refresh")
    assert ran.code == 0, ran.err
    org = shown(cli, "1")
    assert (org["name"], org["employees"], org["industry"], org["register_status"]) == (
        "Rana Industri AS", 52, "Mekanisk verksted", "bankrupt")
    employees = [s for s in org["sources"] if s["field"] == "employees"][0]
    assert (employees["value"], employees["source"], employees["since"]) == ("52", "brreg", "2026-09-15")


def test_refresh_of_an_org_the_register_cannot_find_changes_nothing(register, cli, db_path):
    cli("org", "add", "Ukjent AS", "--orgnr", UNKNOWN)
    before = records(db_path)
    assert_user_error(cli("org", "edit", "1", "--refresh"), "knows no org number", "nothing was changed")
    assert records(db_path) == before
    assert cli("org", "add", "Uten nummer AS").code == 0
    assert_user_error(cli("org", "edit", "2", "--refresh"), "org #2 has no org number to look up")


def test_a_taken_number_is_refused_before_any_lookup(register, cli):
    cli("org", "add", "Halden Sag", "--orgnr", HALDEN)
    asked = list(register.asked)
    assert_user_error(cli("org", "add", "Kopi AS", "--orgnr", HALDEN), "belongs to #1 already")
    assert register.asked == asked


@pytest.mark.parametrize("number", ["811218-9876", "8112189876"])
def test_a_personnummer_is_never_looked_up_and_is_masked_in_lists(register, cli, number):
    ran = cli("org", "add", "Åse Bjørnstad Rådgivning", "--orgnr", number)
    assert ran.code == 0
    assert ran.err.splitlines()[0] == ("Note: a sole trader's personnummer is never looked up; "
                                       "the org keeps what you typed")
    assert register.asked == []
    listed = json.loads(cli("org", "list", "--format", "json").out)
    assert listed[0]["orgnr"] == "811218-****"
    assert "9876" not in cli("org", "list").out
    assert shown(cli, "1")["orgnr"] == "811218-9876"  # the broker's own view of the one org




def test_the_demo_asks_no_register_about_its_invented_numbers(register, cli):
    assert cli("demo").code == 0
    assert register.asked == []


def test_the_register_url_is_a_setting_that_must_be_an_address(cli):
    assert_user_error(cli("config", "set", "register_url", "data.brreg.no"),
                      "register_url must be an http:// or https:// address")
    ran = cli("config", "show", "--format", "json")
    row = [r for r in json.loads(ran.out) if r["key"] == "register_url"][0]
    assert row["default"] == "https://data.brreg.no/enhetsregisteret/api"


def test_an_org_added_from_the_register_merges_and_keeps_its_facts(register, cli):
    assert cli("org", "add", "--orgnr", HALDEN).code == 0
    assert cli("org", "add", "Halden Sag").code == 0
    assert cli("org", "merge", "1", "2", "--yes").code == 0
    org = shown(cli, "1")
    assert (org["name"], org["org_form"], org["employees"]) == ("Halden Sag og Høvleri AS", "AS", 23)
