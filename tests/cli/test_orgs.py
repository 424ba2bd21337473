import csv
import io
import json

import pytest

from tests.helpers import count, export


def test_org_add_talks_on_stderr_and_stores_the_org(cli, db_path):
    code, out, err = cli("org", "add", "Sågverket i Årjäng AB", "--orgnr", "556012 5790",
                         "--kind", "company", "--employees", "12", "--industry", "Sågverk",
                         "--rd")
    assert (code, out) == (0, "")
    assert err.strip() == "Added org #1 Sågverket i Årjäng AB"
    code, out, err = cli("org", "show", "1", "--format", "json")
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert {k: record[k] for k in ("name", "orgnr", "country", "employees", "rd_experience",
                                   "industry")} == {
        "name": "Sågverket i Årjäng AB", "orgnr": "556012-5790", "country": "SE",
        "employees": 12, "rd_experience": True, "industry": "Sågverk"}
    assert "Sågverket i Årjäng AB" in out  # ensure_ascii=False: the letters as they are


def test_org_list_in_three_formats(case_db, cli):
    code, out, err = cli("org", "list", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [1, 2, 3]  # the one met first, then by name
    assert rows[0]["name"] == "Fredrikstad Mek AS" and rows[0]["last_visit"] == "2026-09-01"
    assert rows[0]["open_needs"] == 1 and rows[2]["orgnr"] == "556012-5790"
    assert all(set(r) >= {"id", "name", "orgnr", "kind"} for r in rows)

    code, out, err = cli("org", "list", "-f", "csv")
    assert (code, err) == (0, "")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in table] == ["Fredrikstad Mek AS", "Fredrikstad Bryggeri AS",
                                          "Sågverket i Årjäng AB"]
    assert table[0]["orgnr"] == "974 760 673"

    code, out, err = cli("org", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert any("Sågverket i Årjäng AB" in line and "556012-5790" in line for line in lines)
    assert "\x1b[" not in out  # no colour codes when not a terminal


def test_org_list_filters_by_name_part(case_db, cli):
    code, out, _ = cli("org", "list", "årjäng", "-f", "json")
    assert [r["name"] for r in json.loads(out)] == ["Sågverket i Årjäng AB"]


def test_an_empty_list_says_so_on_stderr(cli):
    code, out, err = cli("org", "list")
    assert (code, out) == (0, "")
    assert "nothing to show" in err
    code, out, err = cli("org", "list", "-f", "json")
    assert (code, json.loads(out), err) == (0, [], "")


@pytest.mark.parametrize("ref", ["1", "974760673", "974 760 673", "Mek", "fredrikstad mek as"])
def test_org_show_by_id_number_or_name_part(case_db, cli, ref):
    code, out, err = cli("org", "show", ref, "-f", "json")
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert record["name"] == "Fredrikstad Mek AS"
    assert [c["name"] for c in record["contacts"]] == ["Kari Ødegård"]
    assert [n["text"] for n in record["needs"]] == ["Sveisesertifisering for 6 ansatte"]
    assert [r["target"] for r in record["referrals"]] == ["Fagskolen i Viken: sveiseteknikk"]
    assert [f["due"] for f in record["followups"]] == ["2026-09-20"]


def test_org_show_table_has_the_history(case_db, cli):
    code, out, err = cli("org", "show", "Mek")
    assert (code, err) == (0, "")
    for text in ("Fredrikstad Mek AS", "974 760 673", "Kari Ødegård", "Ny ordre fra Equinor",
                 "Sveisesertifisering for 6 ansatte", "Fagskolen i Viken: sveiseteknikk"):
        assert text in out


def test_org_edit(case_db, cli):
    code, out, err = cli("org", "edit", "Bryggeri", "--employees", "25", "--no-rd",
                         "--industry", "Øl og brus")
    assert (code, out, err.strip()) == (0, "", "Updated org #2 Fredrikstad Bryggeri AS")
    record = json.loads(cli("org", "show", "2", "-f", "json").out)
    assert (record["employees"], record["industry"], record["rd_experience"]) == (
        25, "Øl og brus", False)


def test_org_merge_moves_everything_and_handles_a_shared_event(case_db, cli):
    # A duplicate of Mek with its own contact, visit, need, referral and follow-up; both
    # were at the same event.
    assert cli("org", "add", "Fredrikstad Mekaniske Verksted", "--employees", "41").code == 0
    dup = "Mekaniske"
    steps = [("contact", "add", dup, "Åse Ødegård"),
             ("visit", "add", dup, "--date", "2026-09-05", "--need", "Lærling i CNC",
              "--follow-up", "2026-09-25", "--follow-up-text", "Ring Åse"),
             ("visit", "add", "Bryggeri", "--kind", "event", "--date", "2026-09-06",
              "--org", "Mek AS", "--org", dup, "--notes", "Bedriftsdag"),
             ("referral", "add", "2", "--to", "Lærlingkontoret", "--date", "2026-09-05")]
    for step in steps:
        assert cli(*step).code == 0, step
    code, out, err = cli("org", "merge", "Mek AS", dup)
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        "Merged #4 Fredrikstad Mekaniske Verksted into #1 Fredrikstad Mek AS, moving 2 visits, "
        "1 need, 1 contact, 1 follow-up (megler undo takes it back)"]

    record = json.loads(cli("org", "show", "1", "-f", "json").out)
    assert sorted(c["name"] for c in record["contacts"]) == ["Kari Ødegård", "Åse Ødegård"]
    assert [v["date"] for v in record["visits"]] == ["2026-09-06", "2026-09-05", "2026-09-01"]
    assert sorted(n["text"] for n in record["needs"]) == ["Lærling i CNC",
                                                         "Sveisesertifisering for 6 ansatte"]
    assert sorted(r["target"] for r in record["referrals"]) == [
        "Fagskolen i Viken: sveiseteknikk", "Lærlingkontoret"]
    assert sorted(f["text"] for f in record["followups"]) == ["Ring Åse",
                                                             "Sende kursplan før fredag"]
    event = json.loads(cli("visit", "show", "3", "-f", "json").out)
    assert [o["name"] for o in event["orgs"]] == ["Fredrikstad Bryggeri AS",
                                                  "Fredrikstad Mek AS"]
    assert cli("org", "show", "4").code == 1
    assert count(case_db, "org") == 3
    assert [o["name"] for o in export(case_db)["tables"]["org"]].count("Fredrikstad Mek AS") == 1


def test_org_show_titles_follow_ups_as_the_followup_list_does(case_db, cli, today):
    code, out, err = cli("org", "show", "Mek")
    assert (code, err) == (0, "")
    assert "\nFollow-ups" in out and "Followups" not in out
