import json

from tests.helpers import assert_user_error, export


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
    code, _, err = cli("need", "add", "Mek", "Truckførerbevis", "--visit", "1")
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
