import json

import pytest

from tests.helpers import assert_user_error, export

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_need_add_list_show_close(case_db, cli, today):
    code, out, err = cli("need", "add", "Årjäng", "FoU-prosjekt om tørking av trevirke",
                         "--kind", "rd", "--people", "3", "--date", "-1w")
    assert (code, out, err.strip()) == (0, "", "Added need #2")
    rows = json.loads(cli("need", "list", "-f", "json").out)
    assert [(n["id"], n["date"], n["org"], n["kind"], n["status"]) for n in rows] == [
        (2, "2026-09-08", "Sågverket i Årjäng AB", "rd", "open"),
        (1, "2026-09-01", "Fredrikstad Mek AS", "competence", "referred")]
    assert [n["id"] for n in json.loads(cli("need", "list", "--status", "open",
                                            "-f", "json").out)] == [2]
    assert [n["id"] for n in json.loads(cli("need", "list", "--org", "Mek",
                                            "-f", "json").out)] == [1]
    assert [n["id"] for n in json.loads(cli("need", "list", "-k", "rd", "-f", "json").out)] \
        == [2]

    record = json.loads(cli("need", "show", "1", "-f", "json").out)
    assert record["org"] == "Fredrikstad Mek AS"
    assert [r["target"] for r in record["referrals"]] == ["Fagskolen i Viken: sveiseteknikk"]

    code, out, err = cli("need", "close", "2", "--status", "dropped")
    assert (code, out, err.strip()) == (0, "", "Need #2 is dropped")
    record = json.loads(cli("need", "show", "2", "-f", "json").out)
    assert (record["status"], record["closed_on"]) == ("dropped", "2026-09-15")
    code, out, err = cli("need", "list", "--status", "active", "-f", "csv")
    assert out.splitlines()[0].startswith("id,date,org_id") and len(out.splitlines()) == 2


def test_a_need_comes_from_a_visit_to_its_own_org(case_db, cli, today):
    from tests.helpers import assert_user_error, count

    # Visit #1 met Fredrikstad Mek (org #1), not the sawmill in Årjäng (org #3).
    assert_user_error(cli("need", "add", "Årjäng", "Tørking av trevirke", "--visit", "1"),
                      "visit #1 did not meet org #3")
    assert count(case_db, "need") == 1
    code, _, err = cli("need", "add", "Mek", "Truckførerbevis", "--visit", "1", "--kind", "competence")
    assert (code, err.strip()) == (0, "Added need #2")


def test_an_unknown_need_status_lists_every_one_a_list_takes(case_db, cli):
    from tests.helpers import assert_user_error

    assert_user_error(cli("need", "list", "--status", "closed"),
                      "choose from open, referred, resolved, dropped, active")


def test_a_need_from_a_visit_is_dated_on_the_visit_s_day(case_db, cli):
    """`need add ORG TEXT --visit 1` once dated the need today, landing it in the wrong quarter."""
    code, _, err = cli("need", "add", "Mek", "Truckførerkurs", "--visit", "1")
    assert code == 0, err
    need = json.loads(cli("need", "show", "2", "-f", "json").out)
    assert (need["date"], need["visit_id"]) == ("2026-09-01", 1)


def test_a_need_cannot_be_dated_before_its_visit(case_db, cli):
    before = export(case_db)
    assert_user_error(cli("need", "add", "Mek", "Truckførerkurs", "--visit", "1", "--date", "2026-08-31"),
                      "visit #1 was on 2026-09-01")
    assert export(case_db) == before


@pytest.mark.parametrize(("text", "kind"), [
    ("Vil utvikle et nytt produkt og trenger en forskningspartner og midler", "rd"),
    ("Vil ta inn 3 lærlinger i industrimekanikerfaget", "apprenticeship"),
    ("Trenger sveisekurs og vil søke tilskudd til opplæringen", "competence"),
    ("Søker lån til ny produksjonslinje", "funding"),
    ("Behöver rekrytera tre svetsare", "recruitment"),
    ("Mekanikerne tør ikke røre drivlinja", "competence"),  # no cue: the common case
])
def test_a_need_without_a_kind_is_read_from_its_text_and_says_so(case_db, cli, text, kind):
    code, _, err = cli("need", "add", "Mek", text)
    assert code == 0 and f"read as {kind} from its text" in err
    assert json.loads(cli("need", "show", "2", "-f", "json").out)["kind"] == kind


def test_a_visit_says_how_it_read_each_need_given_without_a_kind(case_db, cli):
    code, _, err = cli("visit", "add", "Mek", "--notes", "Møte", "--need", "Søker lån til ny hall",
                       "--need", "rd: Vil teste en ny prosess")
    assert code == 0
    assert err.splitlines()[1:] == [
        "Added need #2, read as funding from its text (need edit 2 --kind KIND to correct it)"]
    kinds = [n["kind"] for n in json.loads(cli("need", "list", "-f", "json").out)]
    assert sorted(kinds) == ["competence", "funding", "rd"]
