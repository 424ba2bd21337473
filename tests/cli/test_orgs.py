import csv
import io
import json

import pytest

from tests.helpers import count, export

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


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
    assert rows[0]["active_needs"] == 1 and rows[2]["orgnr"] == "556012-5790"
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
    assert cli("init").code == 0  # reading never creates the store
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


# --- the municipality is one megler knows, so the region follows (issue 11) ----------

def _place(cli, ref: str) -> tuple:
    code, out, err = cli("org", "show", ref, "--format", "json")
    assert (code, err) == (0, ""), err
    record = json.loads(out)
    return record["municipality"], record["region"], record["country"]


def test_a_mistyped_municipality_is_refused_with_the_closest(cli, db_path):
    from tests.helpers import assert_user_error

    assert_user_error(cli("org", "add", "Vefsn Tre AS", "--municipality", "Vefns"),
                      "no municipality Vefns", "did you mean Vefsn?")
    assert_user_error(cli("org", "add", "Rana Stål AS", "--municipality", "Mo i Rana"),
                      "Mo i Rana is a place in Rana", "did you mean Rana?")
    assert count(db_path, "org") == 0


@pytest.mark.parametrize(("typed", "stored", "region"), [
    ("vefsn", "Vefsn", "Nordland"), ("bronnoy", "Brønnøy", "Nordland"),
    ("BRØNNØY", "Brønnøy", "Nordland"), ("aas", "Ås", "Akershus"),
    ("Herøy (Nordland)", "Herøy", "Nordland"), ("nord-odal", "Nord-Odal", "Innlandet"),
])
def test_a_municipality_is_stored_as_the_table_spells_it(cli, typed, stored, region):
    code, _, err = cli("org", "add", "Ny AS", "--municipality", typed)
    assert code == 0, err
    assert _place(cli, "1") == (stored, region, "NO")


def test_a_swedish_municipality_makes_the_org_swedish(cli):
    assert cli("org", "add", "Uddevalla Omsorg AB", "--municipality", "uddevalla").code == 0
    assert _place(cli, "1") == ("Uddevalla", "Västra Götaland", "SE")


def test_two_municipalities_of_one_name_need_the_county(cli):
    from tests.helpers import assert_user_error

    assert_user_error(cli("org", "add", "Herøy Fisk AS", "--municipality", "Herøy"),
                      "Herøy (Møre og Romsdal)", "Herøy (Nordland)")
    assert cli("org", "add", "Herøy Fisk AS", "--municipality", "Herøy",
               "--region", "Nordland").code == 0
    assert _place(cli, "1") == ("Herøy", "Nordland", "NO")


def test_force_keeps_an_unknown_place_and_says_the_region_stays_empty(cli):
    code, out, err = cli("org", "add", "Tverrvik Sjømat AS", "--municipality", "Tverrvik", "--force")
    assert (code, out) == (0, "")
    assert "megler does not know Tverrvik: the region stays empty" in " ".join(err.split())
    assert _place(cli, "1") == ("Tverrvik", None, "NO")


def test_org_edit_checks_the_municipality_and_refills_the_region(case_db, cli):
    from tests.helpers import assert_user_error

    assert_user_error(cli("org", "edit", "1", "--municipality", "Vefns"), "did you mean Vefsn?")
    assert _place(cli, "1") == ("Fredrikstad", "Østfold", "NO")  # unchanged
    code, _, err = cli("org", "edit", "1", "--municipality", "vefsn")
    assert code == 0, err
    assert _place(cli, "1") == ("Vefsn", "Nordland", "NO")
    code, _, err = cli("org", "edit", "1", "--municipality", "Mo", "--force")
    assert code == 0 and "region stays empty" in err
    assert _place(cli, "1") == ("Mo", None, "NO")


def test_an_edit_of_other_fields_leaves_a_forced_place_alone(cli):
    assert cli("org", "add", "Ny AS", "--municipality", "Tverrvik", "--force").code == 0
    code, _, err = cli("org", "edit", "1", "--employees", "12")
    assert code == 0 and "region stays empty" in err  # said again: it still hides entries
    assert _place(cli, "1") == ("Tverrvik", None, "NO")


def test_org_list_counts_active_needs_as_need_list_does(case_db, cli):
    """"open needs" once counted referred needs too, while `need list --status open` did not:
    the column is now "active needs", open or referred, as `need list --status active`."""
    for step in [("need", "add", "Bryggeri", "Truckførerbevis for lageret"),
                 ("need", "add", "Bryggeri", "Kurs i mattrygghet"),
                 ("need", "add", "Bryggeri", "Lærling i industrimekanikerfaget"),
                 ("need", "close", "4")]:
        assert cli(*step).code == 0, step
    orgs = json.loads(cli("org", "list", "-f", "json").out)
    for org in orgs:
        listed = json.loads(cli("need", "list", "--status", "active", "--org", str(org["id"]),
                                "-f", "json").out)
        assert org["active_needs"] == len(listed), org["name"]
    assert [o["active_needs"] for o in orgs] == [1, 2, 0]  # Mek's need is referred
    assert "active" in cli("org", "list", env={"COLUMNS": "120"}).out


# -- likely duplicates: org add warns, check reports -----------------------------------------

@pytest.mark.parametrize("first, second", [
    ("Uddevalla Plåt & Svets AB", "Uddevalla Plåt och Svets AB"),
    ("Rana Stålservice AS", "Rana Staalservice")])
def test_org_add_names_a_likely_duplicate_and_adds_it_all_the_same(cli, db_path, first, second):
    assert cli("org", "add", first).err == f"Added org #1 {first}\n"
    code, out, err = cli("org", "add", second)
    assert (code, out) == (0, "")
    assert err.splitlines() == [f"Added org #2 {second}",
                                f"Warning: #1 {first} may be the same org; if so: megler org merge 1 2"]
    assert count(db_path, "org") == 2
    findings = json.loads(cli("check", "-f", "json").out)
    assert [(f["kind"], f["ids"]) for f in findings] == [("similar org names", "#1, #2")]


def test_org_add_of_another_org_warns_of_nothing(case_db, cli):
    code, _, err = cli("org", "add", "Fredrikstad Sveis AS")
    assert (code, err) == (0, "Added org #4 Fredrikstad Sveis AS\n")
