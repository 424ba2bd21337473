"""`megler register import`: the registers' bulk files as published, into the table beside
the store, and lookups that then need no network."""

import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from megler.registers.bulk import json_array
from tests.helpers import assert_user_error
from tests.registers.conftest import DATA

UNITS = [json.loads(p.read_text("utf-8")) for p in sorted((DATA / "enheter").glob("*.json"))]


def json_gz(path: Path, units: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(units, file, ensure_ascii=False, indent=1)
    return path


def csv_gz(path: Path, rows: list[dict]) -> Path:
    header = sorted({key for row in rows for key in row})
    with gzip.open(path, "wt", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def bolagsverket_zip(path: Path, rows: list[list[str]]) -> Path:
    header = ["organisationsidentitet", "namnskyddslopnummer", "registreringsland",
              "organisationsnamn", "organisationsform", "avregistreringsdatum",
              "avregistreringsorsak", "pagandeAvvecklingsEllerOmstruktureringsforfarande",
              "registreringsdatum", "verksamhetsbeskrivning", "postadress"]
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([header, *rows])
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bolagsverket_bulkfil.txt", text.getvalue())
    return path


def shown(cli, org: str) -> dict:
    ran = cli("org", "show", org, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def test_the_json_file_is_read_and_lookups_need_no_network(cli, tmp_path, db_path):
    ran = cli("register", "import", json_gz(tmp_path / "enheter_alle.json.gz", UNITS))
    assert (ran.code, ran.out) == (0, "")
    assert ran.err == f"Imported 5 units of Enhetsregisteret into {db_path}.register\n"
    ran = cli("org", "add", "--orgnr", "912345602")  # the register's API is a closed port here
    assert ran.err == "Added org #1 Rana Industrimekanikk AS (from Enhetsregisteret)\n"
    org = shown(cli, "1")
    assert (org["industry"], org["employees"], org["region"]) == (
        "25.620 Bearbeiding av metaller", 48, "Nordland")
    assert cli("org", "add", "--orgnr", "912345629").code == 0
    assert shown(cli, "2")["register_status"] == "bankrupt"
    assert (db_path.parent / "megler.db.register").stat().st_mode & 0o777 == 0o600


def test_the_table_is_asked_before_the_api(register, cli, tmp_path):
    cli("register", "import", json_gz(tmp_path / "enheter.json.gz", UNITS))
    assert cli("org", "add", "--orgnr", "912345610").code == 0
    assert register.asked == []
    assert cli("org", "add", "--orgnr", "912345645").code == 0  # a sub-unit: not in the file
    assert register.asked[-1].endswith("/underenheter/912345645")


def test_the_csv_file_nests_its_dotted_columns(cli, tmp_path):
    rows = [{"organisasjonsnummer": "912345610", "navn": "HALDEN SAG OG HØVLERI AS",
             "organisasjonsform.kode": "AS", "organisasjonsform.beskrivelse": "Aksjeselskap",
             "naeringskode1.kode": "16.100",
             "naeringskode1.beskrivelse": "Saging, høvling og impregnering av tre",
             "antallAnsatte": "23", "forretningsadresse.kommune": "HALDEN",
             "forretningsadresse.kommunenummer": "3101", "konkurs": "false",
             "underAvvikling": "true", "underTvangsavviklingEllerTvangsopplosning": "false"}]
    assert cli("register", "import", csv_gz(tmp_path / "enheter_alle.csv.gz", rows)).code == 0
    assert cli("org", "add", "--orgnr", "912345610").code == 0
    org = shown(cli, "1")
    assert (org["name"], org["employees"], org["municipality"], org["register_status"]) == (
        "Halden Sag og Høvleri AS", 23, "Halden", "winding_up")


def test_bolagsverkets_file_leaves_persons_out(cli, tmp_path, db_path):
    rows = [["5560000001$ORGNR-IDORG", "", "SE-LAND", "Årjängs Såg AB$FORETAGSNAMN-ORGNAM",
             "AB-ORGFO", "", "", "", "1968-03-01", "Sågverk och trävaror", "Box 12$67221$ÅRJÄNG"],
            ["5561234567$ORGNR-IDORG", "", "SE-LAND", "Konkursen i Dals-Ed AB$FORETAGSNAMN-ORGNAM",
             "AB-ORGFO", "", "", "KK$KONKURS-PAAVOM", "2001-01-01", "", ""],
            ["8112189876$PERSNR-IDORG", "1", "SE-LAND", "Åse Bjørnstad Konsult$FORETAGSNAMN-ORGNAM",
             "E-ORGFO", "", "", "", "2019-05-05", "", ""]]
    ran = cli("register", "import", bolagsverket_zip(tmp_path / "bolagsverket_bulkfil.zip", rows))
    assert ran.err == f"Imported 2 units of Bolagsverket into {db_path}.register\n"
    assert "Åse" not in (db_path.parent / "megler.db.register").read_bytes().decode("utf-8", "replace")
    assert cli("org", "add", "--orgnr", "556000-0001").code == 0
    org = shown(cli, "1")
    assert (org["name"], org["org_form"], org["country"], org["kind"]) == ("Årjängs Såg AB", "AB", "SE", "company")
    assert [s["source"] for s in org["sources"] if s["field"] == "name"] == ["bolagsverket"]
    assert cli("org", "add", "--orgnr", "5561234567").code == 0
    assert shown(cli, "2")["register_status"] == "bankrupt"


def test_both_countries_live_side_by_side_and_a_new_import_replaces_its_own(cli, tmp_path):
    cli("register", "import", json_gz(tmp_path / "a.json.gz", UNITS))
    cli("register", "import", bolagsverket_zip(tmp_path / "b.zip", [["5560000001", "", "", "Årjängs Såg AB", "AB"]]))
    cli("register", "import", json_gz(tmp_path / "c.json.gz", UNITS[:1]))
    shown_ = json.loads(cli("register", "show", "--format", "json").out)
    assert [(r["register"], r["units"], r["day"]) for r in shown_] == [
        ("Enhetsregisteret", 1, "2026-09-15"), ("Bolagsverket", 1, "2026-09-15")]
    # gone from the table, so the API is asked (a closed port here)
    assert_user_error(cli("org", "add", "--orgnr", "912345610"), "cannot reach the register")
    assert cli("org", "add", "--orgnr", "912345602").code == 0
    assert cli("org", "add", "--orgnr", "5560000001").code == 0


def test_a_broken_file_is_one_line_and_leaves_the_table_as_it_was(cli, tmp_path):
    cli("register", "import", json_gz(tmp_path / "good.json.gz", UNITS))
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(gzip.compress(json.dumps(UNITS).encode()[:-40]))
    assert_user_error(cli("register", "import", cut), "not a JSON array of units")
    (tmp_path / "notes.txt").write_text("just some words\n")
    assert_user_error(cli("register", "import", tmp_path / "notes.txt"), "neither a JSON array")
    assert_user_error(cli("register", "import", tmp_path / "missing.gz"), "no such file")
    assert json.loads(cli("register", "show", "--format", "json").out)[0]["units"] == 5


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_the_json_array_is_read_a_piece_at_a_time(size):
    text = json.dumps(UNITS, ensure_ascii=False)
    pieces = iter([text[i:i + size] for i in range(0, len(text), size)])
    assert list(json_array(pieces)) == UNITS


def test_check_names_an_org_whose_standing_the_file_has_changed(register, cli, tmp_path):
    assert cli("org", "add", "--orgnr", "912345610").code == 0  # from the API: in good standing
    news = [dict(UNITS[1], konkurs=True)]  # 912345610, bankrupt since
    assert news[0]["organisasjonsnummer"] == "912345610"
    cli("register", "import", json_gz(tmp_path / "enheter.json.gz", news))
    found = [f for f in json.loads(cli("check", "--format", "json").out) if f["kind"] == "register news"]
    assert found == [{"kind": "register news", "ids": "#1",
                      "what": "Halden Sag og Høvleri AS: the register's file says bankrupt",
                      "todo": "megler org edit 1 --refresh"}]
    assert cli("org", "edit", "1", "--refresh").code == 0
    kinds = [f["kind"] for f in json.loads(cli("check", "--format", "json").out)]
    assert "register news" not in kinds and "org bankrupt" in kinds


def test_a_damaged_table_is_one_line_and_the_org_is_added_with_what_was_typed(cli, tmp_path, db_path):
    assert cli("register", "import", json_gz(tmp_path / "enheter.json.gz", UNITS[:2])).code == 0
    table = db_path.with_name(f"{db_path.name}.register")
    table.write_bytes(b"SQLite format 3\0" + b"\xff" * 4096)  # a header, then noise
    ran = cli("org", "add", "Halden Sag AS", "--orgnr", UNITS[1]["organisasjonsnummer"])
    assert ran.code == 0 and "Traceback" not in ran.err
    assert "damaged" in ran.err and "register import" in ran.err
    assert "Halden Sag AS" in cli("org", "list").out
