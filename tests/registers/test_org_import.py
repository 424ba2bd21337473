"""`megler org import FILE.csv`: a broker's list of org numbers, filled in from the register,
all of it or nothing."""

import json

import pytest

from tests.helpers import assert_user_error, records


def a_list(tmp_path, text: str, *, encoding: str = "utf-8") -> str:
    path = tmp_path / "bedrifter.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def names(cli) -> list[str]:
    return sorted(r["name"] for r in json.loads(cli("org", "list", "--format", "json").out))


TYPED = ["Halden Sag", "Rana Industrimekanikk AS"]
REGISTERED = ["Halden Sag og Høvleri AS", "Rana Industrimekanikk AS"]


@pytest.mark.parametrize("text, encoding, expected", [
    ("\ufeffOrg.nr;Navn;Kommune\r\n912 345 602;;\r\n912345610;Halden Sag;\r\n", "utf-8", TYPED),
    ("organisasjonsnummer,navn\n912345602,\n912345610,Halden Sag\n", "utf-8", TYPED),
    ("Orgnr;Navn;Kommune\n912345602;;\n912345610;Høvleriet i Halden;Halden\n", "cp1252",
     ["Høvleriet i Halden", "Rana Industrimekanikk AS"]),
    ("912345602\n912345610\n", "utf-8", REGISTERED),
])
def test_a_list_in_any_spreadsheets_spelling_adds_its_orgs(register, cli, tmp_path, text, encoding,
                                                          expected):
    ran = cli("org", "import", a_list(tmp_path, text, encoding=encoding))
    assert (ran.code, ran.out) == (0, "")
    assert ran.err.strip() == ("Added 2 orgs: 2 from the register, 0 as typed, "
                               "0 duplicates left out, 0 unknown")
    assert names(cli) == expected


def test_the_dry_run_says_what_would_happen_and_writes_nothing(register, cli, tmp_path, db_path):
    cli("org", "add", "--orgnr", "912345629")
    before = records(db_path)
    ran = cli("org", "import", "--dry-run", "--format", "json", a_list(tmp_path, (
        "orgnr;navn\n912345602;\n912345629;\n912345661;Ukjent Verksted AS\n"
        "912345653;\n912345602;\n912345637;\n")))
    assert ran.code == 0, ran.err
    rows = json.loads(ran.out)
    assert [(r["line"], r["action"]) for r in rows] == [
        (2, "add"), (3, "duplicate"), (4, "add as typed"), (5, "add"), (6, "duplicate"),
        (7, "unknown")]
    assert rows[1]["why"] == "#1 Glomma Stålbygg AS has this number"
    assert rows[4]["why"] == "line 2 has this number"
    assert rows[2]["why"] == "Enhetsregisteret knows no org number 912345661"
    assert ran.err.strip() == ("Dry run: would add 2 from the register, 1 as typed, 2 duplicates "
                               "left out, 1 unknown; nothing was written")
    assert records(db_path) == before


def test_an_unknown_number_without_a_name_refuses_the_whole_list(register, cli, tmp_path, db_path):
    cli("org", "add", "Noe AS")
    before = records(db_path)
    listed = a_list(tmp_path, "orgnr\n912345602\n912345661\n")
    assert_user_error(cli("org", "import", listed),
                      "1 org number has no name", "(line 3)", "nothing was added")
    assert records(db_path) == before


def test_a_bad_number_or_place_names_its_line_and_adds_nothing(register, cli, tmp_path, db_path):
    cli("org", "add", "Noe AS")
    before = records(db_path)
    assert_user_error(cli("org", "import", a_list(tmp_path, "orgnr\n912345602\n912345603\n")),
                      "line 3: invalid NO org number '912345603'")
    assert_user_error(cli("org", "import", a_list(tmp_path, "orgnr;kommune\n912345602;\n912345610;Mo i Rana\n")),
                      "line 3: ", "did you mean Rana?", "nothing was added")
    assert_user_error(cli("org", "import", a_list(tmp_path, "navn\nHalden Sag\n")), "no column of org numbers")
    assert records(db_path) == before


def test_offline_the_list_is_added_as_typed_with_one_line(cli, tmp_path):
    ran = cli("org", "import", a_list(tmp_path, "orgnr;navn\n912345602;Rana Mek\n912345610;Halden Sag\n"))
    assert ran.code == 0
    assert ran.err.splitlines()[0].startswith("Note: cannot reach the register at 127.0.0.1:9")
    assert len(ran.err.splitlines()) == 2
    assert names(cli) == ["Halden Sag", "Rana Mek"]
