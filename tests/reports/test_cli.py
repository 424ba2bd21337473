"""megler report, goal and config through the real command line, on a real SQLite file."""

import json
import os
import stat

import pytest

from tests.helpers import assert_user_error

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_report_to_stdout(cli, scenario_db):
    ran = cli("report", "--period", "2026Q3", "--lang", "nb", "--db", scenario_db)
    assert ran.code == 0, ran.err
    assert ran.out.startswith("# Rapport for 3. kvartal 2026\n")
    assert ran.err == ""


def test_default_period_is_the_last_complete_quarter(cli, scenario_db):
    ran = cli("report", "--db", scenario_db)  # today is 15 December 2026
    assert ran.code == 0 and ran.out.startswith("# Report for Q3 2026\n")


def test_default_language_from_the_config_file(cli, scenario_db, tmp_path):
    (tmp_path / "config.toml").write_text('lang = "sv"\nbroker = "Kari Ødegård"\n', encoding="utf-8")
    ran = cli("report", "-p", "2026Q3", "--db", scenario_db)
    assert ran.out.startswith("# Rapport för kvartal 3 2026\n")
    assert "Kompetensmäklare: Kari Ødegård" in ran.out
    assert cli("report", "-p", "2026Q3", "-l", "en", "--db", scenario_db).out.startswith("# Report")


def test_out_writes_a_private_file(cli, scenario_db, tmp_path):
    target = tmp_path / "rapport.md"
    ran = cli("report", "-p", "2026Q3", "-l", "nb", "--out", target, "--db", scenario_db)
    assert ran.code == 0 and ran.out == ""
    assert "rapport.md" in ran.err
    assert target.read_text(encoding="utf-8").startswith("# Rapport for 3. kvartal 2026")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_out_into_a_missing_folder_is_one_error_line(cli, scenario_db, tmp_path):
    assert_user_error(cli("report", "--out", tmp_path / "nowhere" / "r.md", "--db", scenario_db),
                      "cannot write")


def test_json_gives_the_figures(cli, scenario_db):
    ran = cli("report", "-p", "2026Q4", "--format", "json", "--db", scenario_db)
    figures = json.loads(ran.out)
    assert figures["period"]["label"] == "2026Q4"
    assert figures["referrals"]["nok_granted"] == 1_000_000


def test_csv_gives_the_figures(cli, scenario_db):
    ran = cli("report", "-p", "2026Q4", "--format", "csv", "--db", scenario_db)
    assert ran.out.splitlines()[0] == "section,figure,key,value"
    assert "summary,funding_granted_nok,actual,1000000" in ran.out.splitlines()


def test_an_empty_store_reports_zeros(cli, db_path):
    assert cli("init", "--db", db_path).code == 0  # reading never creates the store
    ran = cli("report", "-p", "2026", "--db", db_path)
    assert ran.code == 0 and "| Visits | 0 | 0 | 0 | – | – |" in ran.out


@pytest.mark.sqlite_only  # whether the store was opened shows in its file
@pytest.mark.parametrize("period", ["2026Q5", "Q3", "2026-09-31..2026-10-01", "soon", ""])
def test_a_bad_period_is_one_error_line(cli, db_path, period):
    assert_user_error(cli("report", "--period", period, "--db", db_path), "period")
    assert not db_path.exists()  # refused before the store was opened


def test_a_bad_language_is_a_usage_error(cli, db_path):
    assert cli("report", "--lang", "de", "--db", db_path).code == 2


def test_goals_set_list_and_in_the_report(cli, scenario_db):
    assert cli("goal", "set", "2026Q3", "orgs_visited", "8", "--db", scenario_db).code == 0
    assert cli("goal", "set", "2026q3", "funding-granted-nok", "1.5M", "--db", scenario_db).code == 0
    listed = json.loads(cli("goal", "list", "--format", "json", "--db", scenario_db).out)
    assert listed == [{"period": "2026Q3", "indicator": "funding_granted_nok", "target": 1500000},
                      {"period": "2026Q3", "indicator": "orgs_visited", "target": 8}]
    made = cli("report", "-p", "2026Q3", "--db", scenario_db).out
    assert "| Organisations met | 8 | 4 | 50% |" in made
    assert cli("goal", "remove", "2026Q3", "orgs_visited", "--db", scenario_db).code == 0
    assert "orgs_visited" not in cli("goal", "list", "--db", scenario_db).out


@pytest.mark.parametrize("args, words", [
    (["goal", "set", "2026Q3", "happiness", "3"], ["unknown indicator", "orgs_visited"]),
    (["goal", "set", "--", "2026Q3", "visits", "-3"], ["0 or more"]),
    (["goal", "set", "2026Q3", "visits", "many"], ["not a target: 'many'"]),
    (["goal", "set", "Q3", "visits", "3"], ["not a period"]),
    (["goal", "remove", "2026Q3", "visits"], ["no goal"]),
])
def test_goal_errors(cli, db_path, args, words):
    assert_user_error(cli(*args[:2], "--db", db_path, *args[2:]), *words)


def test_goal_import(cli, db_path, tmp_path):
    good = tmp_path / "goals.yaml"
    good.write_text("year: 2026\ngoals:\n  year: {orgs_visited: 160, funding_granted_nok: 8M}\n"
                    "  Q3: {visits: 40}\n  2026-09: {needs: 10}\n", encoding="utf-8")
    ran = cli("goal", "import", good, "--db", db_path)
    assert ran.code == 0 and "4 goals" in ran.err
    listed = json.loads(cli("goal", "list", "--format", "json", "--db", db_path).out)
    assert {(g["period"], g["indicator"], g["target"]) for g in listed} == {
        ("2026", "orgs_visited", 160), ("2026", "funding_granted_nok", 8_000_000),
        ("2026Q3", "visits", 40), ("2026-09", "needs", 10)}


def test_goal_import_of_one_goal_says_goal(cli, db_path, tmp_path):
    one = tmp_path / "goals.yaml"
    one.write_text("year: 2026\ngoals:\n  Q3: {visits: 40}\n", encoding="utf-8")
    assert f"Set 1 goal from {one}" in cli("goal", "import", one, "--db", db_path).err


@pytest.mark.parametrize("text, words", [
    ("year: 2026\ngoals:\n  Q3: {visits: 40}\n  Q4: {smiles: 3}\n", ["unknown indicator 'smiles'"]),
    ("year: 2026\ngoals:\n  2025Q4: {visits: 40}\n", ["not inside 2026"]),
    ("year: 2026\ngoals:\n  Q5: {visits: 40}\n", ["not a period of 2026"]),
    ("goals: {}\n", ["expected `year: 2026`"]),
    ("year: 2026\ngoals: [\n", ["not valid YAML"]),
])
def test_a_bad_goal_file_changes_nothing(cli, db_path, tmp_path, text, words):
    bad = tmp_path / "goals.yaml"
    bad.write_text(text, encoding="utf-8")
    assert_user_error(cli("goal", "import", bad, "--db", db_path), *words)
    assert json.loads(cli("goal", "list", "--format", "json", "--db", db_path).out) == []


def test_config_set_and_show(cli, tmp_path):
    assert cli("config", "set", "lang", "nb").code == 0
    assert cli("config", "set", "broker", 'Kari "K" Ødegård').code == 0
    assert cli("config", "set", "retention_months", "36").code == 0
    text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert text == 'broker = "Kari \\"K\\" Ødegård"\nlang = "nb"\nretention_months = 36\n'
    shown = json.loads(cli("config", "show", "--format", "json").out)
    assert {r["key"]: r["value"] for r in shown}["broker"] == 'Kari "K" Ødegård'


def test_config_set_to_nothing_unsets_the_key(cli, tmp_path):
    assert cli("config", "set", "region", "Østfold").code == 0
    code, out, err = cli("config", "set", "region", "")
    assert (code, out) == (0, "") and err.startswith("region is unset")
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == "\n"
    shown = json.loads(cli("config", "show", "--format", "json").out)
    assert {r["key"]: r["value"] for r in shown}["region"] is None


@pytest.mark.parametrize("args, words", [
    (["config", "set", "lang", "de"], ["lang must be one of en, nb or sv"]),
    (["config", "set", "colour", "red"], ["unknown setting 'colour'"]),
    (["config", "set", "retention_months", "soon"], ["whole number"]),
    (["config", "set", "retention_months", "0"], ["retention_months must be at least 1"]),
])
def test_config_errors(cli, args, words, tmp_path):
    assert cli("config", "set", "region", "Østfold").code == 0
    before = (tmp_path / "config.toml").read_bytes()
    assert_user_error(cli(*args), *words)
    assert (tmp_path / "config.toml").read_bytes() == before


def test_every_setting_config_accepts_the_commands_can_use(cli, case_db, tmp_path):
    """`config set` and the commands read the file with the same rules (they once differed)."""
    assert cli("config", "set", "retention_months", "1").code == 0
    assert cli("retention").code == 0
    (tmp_path / "config.toml").write_text("retention_months = 0\n")
    assert_user_error(cli("retention"), "retention_months must be at least 1")
    assert_user_error(cli("config", "show"), "retention_months must be at least 1")


def test_the_config_file_is_private(cli, tmp_path):
    assert cli("config", "set", "broker", "Kari Ødegård").code == 0
    assert (tmp_path / "config.toml").stat().st_mode & 0o777 == 0o600


def test_a_broken_config_file_is_one_error_line(cli, db_path, tmp_path):
    (tmp_path / "config.toml").write_text("lang = \n", encoding="utf-8")
    assert_user_error(cli("report", "--db", db_path), "cannot read the settings")


def test_a_running_period_is_reported_as_it_stands_today(case_db, cli, monkeypatch):
    """On 15 September, Q3 once said "figures as of 30 September" and counted the follow-up
    due on the 20th as overdue."""
    monkeypatch.setenv("MEGLER_TODAY", "2026-09-15")
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert figures["period"]["end"] == "2026-09-15" and figures["period"]["label"] == "2026Q3"
    assert figures["followups"]["overdue_at_end"] == 0
    text = cli("report", "--period", "2026Q3", "--lang", "nb").out
    assert "Tallene slik de sto per 15. september 2026" in text
    monkeypatch.setenv("MEGLER_TODAY", "2026-09-25")
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert figures["followups"]["overdue_at_end"] == 1
    monkeypatch.setenv("MEGLER_TODAY", "2026-12-01")  # the quarter is over: its end, for good
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert figures["period"]["end"] == "2026-09-30" and figures["followups"]["overdue_at_end"] == 1


def test_two_currencies_are_never_added_up(case_db, cli):
    """250 000 SEK granted in Årjäng and 1.8 M NOK at Fredrikstad Mek once printed as NOK 2,050,000."""
    steps = [("need", "add", "Årjäng", "Ledarskapsutbildning", "--date", "2026-09-03"),
             ("referral", "add", "2", "--to", "Region Värmland", "--date", "2026-09-04"),
             ("referral", "update", "2", "--status", "granted", "--amount-granted", "250 000"),
             ("referral", "update", "1", "--status", "granted", "--amount-granted", "1,8 mill")]
    for step in steps:
        ran = cli(*step)
        assert ran.code == 0, (step, ran.err)
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert (figures["referrals"]["nok_granted"], figures["referrals"]["sek_granted"]) == (1_800_000, 250_000)
    nbsp = "\u00a0"
    expected = {"en": "NOK 1,800,000 and SEK 250,000 granted",
                "nb": f"1{nbsp}800{nbsp}000{nbsp}kr og 250{nbsp}000{nbsp}SEK innvilget",
                "sv": f"1{nbsp}800{nbsp}000{nbsp}NOK och 250{nbsp}000{nbsp}kr beviljade"}
    for lang, words in expected.items():
        text = cli("report", "--period", "2026Q3", "--lang", lang).out
        assert words in text, lang
        assert "2,050,000" not in text and f"2{nbsp}050{nbsp}000" not in text


def test_an_amount_in_another_currency_than_the_referral_s_is_refused(case_db, cli):
    assert cli("referral", "update", "1", "--status", "applied", "--amount-applied", "400 000").code == 0
    ran = cli("referral", "update", "1", "--amount-granted", "250 000 SEK")
    assert ran.code == 1 and "referral #1 has amounts in NOK" in ran.err


def test_an_org_edited_after_the_quarter_leaves_that_quarter_s_report_as_it_was(case_db, cli, monkeypatch):
    """`org edit 1 --rd` after the quarter once changed that quarter's R&D figure from 6 to 5."""
    monkeypatch.setenv("MEGLER_TODAY", "2026-10-05")
    before = {lang: cli("report", "--period", "2026Q3", "--lang", lang).out for lang in ("en", "nb")}
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert figures["reach"]["companies_without_rd"] == 1 and figures["reach"]["by_size"]["10-49"] == 1
    ran = cli("org", "edit", "Mek", "--rd", "--employees", "300", "--municipality", "Sarpsborg",
              "--industry", "62.010 programvare")
    assert ran.code == 0, ran.err
    for lang, text in before.items():
        assert cli("report", "--period", "2026Q3", "--lang", lang).out == text
    q4 = json.loads(cli("report", "--period", "2026Q4", "--format", "json").out)
    assert q4["reach"]["orgs"] == 0  # not met in Q4; the new values count from 5 October


def test_a_change_dated_back_into_the_quarter_counts_from_its_day(case_db, cli, monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2026-10-05")
    assert cli("org", "edit", "Mek", "--rd", "--since", "2026-09-10").code == 0
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)
    assert figures["reach"]["companies_without_rd"] == 0


def test_a_company_s_first_r_and_d_project_is_counted_in_its_quarter(case_db, cli, monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2026-12-15")
    steps = [("need", "add", "Mek", "Vil teste robotsveising", "--kind", "rd", "--date", "2026-09-05"),
             ("referral", "add", "2", "--to", "SkatteFUNN", "--date", "2026-09-06"),
             ("referral", "update", "2", "--status", "applied", "--date", "2026-10-02")]
    for step in steps:
        assert cli(*step).code == 0, step
    q3, q4 = (json.loads(cli("report", "--period", p, "--format", "json").out) for p in ("2026Q3", "2026Q4"))
    assert (q3["summary"]["first_rd_projects"]["actual"], q4["summary"]["first_rd_projects"]["actual"]) == (0, 1)
    assert "| Companies with a first R&D project | 1 | 0 | +1 |" in cli("report", "--period", "2026Q4").out


def test_a_second_r_and_d_application_is_not_a_first_project(case_db, cli, monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2027-02-15")
    steps = [("need", "add", "Mek", "Vil teste robotsveising", "--kind", "rd", "--date", "2026-09-05"),
             ("referral", "add", "2", "--to", "SkatteFUNN", "--date", "2026-09-06"),
             ("referral", "update", "2", "--status", "applied", "--date", "2026-10-02"),
             ("need", "add", "Mek", "Vil teste lasersveising", "--kind", "rd", "--date", "2027-01-05"),
             ("referral", "add", "3", "--to", "SkatteFUNN", "--date", "2027-01-06"),
             ("referral", "update", "3", "--status", "granted", "--date", "2027-01-20")]
    for step in steps:
        assert cli(*step).code == 0, step
    q4, q1 = (json.loads(cli("report", "--period", p, "--format", "json").out)["summary"]
              for p in ("2026Q4", "2027Q1"))
    assert (q4["first_rd_projects"]["actual"], q1["first_rd_projects"]["actual"]) == (1, 0)


def test_a_network_quarter_lists_the_newest_hundred_meetings(cli, db_path):
    from datetime import date, timedelta

    from megler import store
    from megler.orgs import OrgFields, add_org
    from megler.visits import VisitDraft, add_visit

    with store.session(db_path, write=True) as s:
        org = add_org(s, OrgFields(name="Fjällbacka Båtbyggeri AB"))
        for day in range(103):
            add_visit(s, VisitDraft(orgs=[org], date=date(2026, 7, 1) + timedelta(days=day % 70),
                                    since_last=f"Möte nummer {day}"))
    ran = cli("report", "-p", "2026Q3", "--lang", "sv", "--db", db_path)
    assert ran.code == 0, ran.err
    assert "De 100 senaste av periodens 103 möten med mallen ifylld" in ran.out
    assert ran.out.count("Möte nummer") == 100
    assert "Möte nummer 102" in ran.out and "Möte nummer 0\n" not in ran.out


def test_the_oldest_applications_awaiting_a_decision_and_how_many_more(cli, db_path):
    from datetime import date, timedelta

    from megler import store
    from megler.needs import add_need
    from megler.orgs import OrgFields, add_org
    from megler.referrals import Change, add_referral, update_referral

    with store.session(db_path, write=True) as s:
        org = add_org(s, OrgFields(name="Ørsta Mekaniske AS"))
        for n in range(27):
            on = date(2026, 7, 1) + timedelta(days=n)
            need = add_need(s, org, f"Omstilling {n}", on=on)
            referral = add_referral(s, need, "Innovasjon Norge", on=on)
            update_referral(s, referral, Change(status="applied", amount_applied=100_000 + n, on=on))
    ran = cli("report", "-p", "2026Q3", "--lang", "nb", "--db", db_path)
    assert ran.code == 0, ran.err
    waiting = ran.out.split("### Venter på svar")[1]
    assert "… og 2 til." in waiting
    assert waiting.count("Ørsta Mekaniske AS") == 25 and "1. juli 2026" in waiting
    assert "27. juli 2026" not in waiting  # the newest two are left out
