import json

import pytest

from megler.referrals import TRANSITIONS
from tests.helpers import assert_user_error, export

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_a_referral_through_to_its_outcome(case_db, cli, today):
    steps = [("applied", "2026-09-05", ["--amount-applied", "450 000", "--note", "Søknad sendt"]),
             ("granted", "2026-10-01", ["--amount-granted", "1.5M"]),
             ("enrolled", "2026-10-01", ["--participants", "6"]),
             ("completed", "2026-12-15", [])]
    for status, day, extra in steps:
        code, out, err = cli("referral", "update", "1", "--status", status, "--date", day,
                             *extra)
        assert (code, out, err.strip()) == (0, "", f"Referral #1 is {status}")
    record = json.loads(cli("referral", "show", "1", "-f", "json").out)
    assert (record["status"], record["amount_applied"], record["amount_granted"],
            record["participants"], record["note"]) == (
        "completed", 450_000, 1_500_000, 6, "Søknad sendt")
    assert [(h["date"], h["status"]) for h in record["history"]] == [
        ("2026-09-02", "suggested"), ("2026-09-05", "applied"), ("2026-10-01", "granted"),
        ("2026-10-01", "enrolled"), ("2026-12-15", "completed")]


def test_referral_show_lists_the_dated_history_as_a_table(case_db, cli, today):
    assert cli("referral", "update", "1", "--status", "contacted", "--date", "2026-09-03").code == 0
    code, out, err = cli("referral", "show", "1")
    assert (code, err) == (0, "")
    history = out[out.index("History"):]
    assert history.index("2026-09-02") < history.index("2026-09-03")
    assert "suggested" in history and "contacted" in history


def test_the_date_defaults_to_today(case_db, cli, today):
    assert cli("referral", "update", "1", "--status", "contacted").code == 0
    history = json.loads(cli("referral", "show", "1", "-f", "json").out)["history"]
    assert history[-1] == {"date": "2026-09-15", "status": "contacted", "amount_applied": None,
                           "amount_granted": None, "participants": None, "note": None}


@pytest.mark.parametrize("status", [s for s in TRANSITIONS if s not in TRANSITIONS["enrolled"]
                                    and s != "enrolled"])
def test_an_impossible_transition_is_refused_and_names_the_allowed(case_db, cli, status):
    assert cli("referral", "update", "1", "--status", "enrolled", "--date", "2026-09-05").code == 0
    before = export(case_db)
    ran = cli("referral", "update", "1", "--status", status, "--date", "2026-09-10")
    assert_user_error(ran, f"referral #1 is enrolled; it cannot become {status}",
                      f"(it can become {', '.join(TRANSITIONS['enrolled'])})")
    assert export(case_db) == before


def test_a_final_status_allows_nothing(case_db, cli):
    assert cli("referral", "update", "1", "--status", "withdrawn", "--date", "2026-09-03").code == 0
    assert_user_error(cli("referral", "update", "1", "--status", "applied", "--date", "2026-09-04"),
                      "it can become nothing: it is final")


def test_referral_add_and_list(case_db, cli, today):
    code, out, err = cli("referral", "add", "1", "--to", "  SkatteFUNN ", "--note", "Søke i høst")
    assert (code, out, err.strip()) == (
        0, "", "Added referral #2 to SkatteFUNN (free text: not in the catalog)")
    assert cli("referral", "update", "2", "--status", "applied").code == 0
    rows = json.loads(cli("referral", "list", "-f", "json").out)
    assert [(r["id"], r["target"], r["status"], r["org"]) for r in rows] == [
        (2, "SkatteFUNN", "applied", "Fredrikstad Mek AS"),
        (1, "Fagskolen i Viken: sveiseteknikk", "suggested", "Fredrikstad Mek AS")]
    assert [r["id"] for r in json.loads(cli("referral", "list", "--status", "applied",
                                            "-f", "json").out)] == [2]
    assert [r["id"] for r in json.loads(cli("referral", "list", "--org", "Bryggeri",
                                            "-f", "json").out)] == []


def test_an_update_with_nothing_to_change_records_nothing(case_db, cli, today):
    from tests.helpers import count

    before = count(case_db, "referralevent")
    assert_user_error(cli("referral", "update", "1"), "nothing to change for referral #1",
                      "--status")
    assert count(case_db, "referralevent") == before


def test_a_mistyped_status_is_named_before_the_date(case_db, cli, today):
    # today (2026-09-15) is after the last change; an early --date and a typo at once
    assert_user_error(cli("referral", "update", "1", "--status", "grantd", "--date", "2026-08-01"),
                      "unknown referral status: 'grantd'")


def test_an_empty_target_is_refused_not_matched_against_the_catalog(case_db, cli, today):
    assert_user_error(cli("referral", "add", "1", "--to", " "), "a referral needs a target (--to)")


@pytest.mark.parametrize("columns", ["60", "80"])
def test_a_narrow_terminal_wraps_the_list_but_never_cuts_a_date_or_drops_a_column(
        case_db, cli, today, columns):
    code, out, err = cli("referral", "list", env={"COLUMNS": columns})
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    row = next(line for line in lines if line.lstrip().startswith("1 "))
    assert "2026-09-02" in row and "suggested" in row  # whole, on the row's first line
    words = " ".join(lines).split()
    for word in ["Fredrikstad", "Mek", "Fagskolen", "Viken:", "target", "org"]:
        assert any(word in w for w in words), word


@pytest.mark.parametrize("typed, stored", [("400.000", 400_000), ("1.250.000", 1_250_000),
                                           ("1,5 mill", 1_500_000), ("250 000 kr", 250_000),
                                           ("3 milliarder", 3_000_000_000),  # past 2^31
                                           ("1 000 000 000 000", 10**12)])  # the limit
def test_amounts_are_stored_as_typed_the_nordic_way(case_db, cli, typed, stored):
    """`400.000` once became 400 kroner, and `1.250.000` was refused."""
    ran = cli("referral", "update", "1", "--status", "applied", "--amount-applied", typed)
    assert ran.code == 0, ran.err
    assert json.loads(cli("referral", "show", "1", "-f", "json").out)["amount_applied"] == stored


def test_an_amount_that_needs_a_guess_is_refused_and_changes_nothing(case_db, cli):
    before = export(case_db)
    assert_user_error(cli("referral", "update", "1", "--status", "applied", "--amount-applied", "1,5"),
                      "not whole kroner", "1,5 mill")
    assert export(case_db) == before


def test_a_course_place_goes_from_applied_to_enrolled(case_db, cli):
    for status in ("applied", "enrolled"):
        assert cli("referral", "update", "1", "--status", status, "--participants", "6").code == 0
    history = json.loads(cli("referral", "show", "1", "-f", "json").out)["history"]
    assert [h["status"] for h in history] == ["suggested", "applied", "enrolled"]


def test_a_grant_before_an_application_records_the_application(case_db, cli):
    ran = cli("referral", "update", "1", "--status", "granted", "--amount-granted", "450 000",
              "--date", "2026-09-10")
    assert ran.code == 0, ran.err
    history = json.loads(cli("referral", "show", "1", "-f", "json").out)["history"]
    assert [(h["date"], h["status"], h["amount_granted"]) for h in history] == [
        ("2026-09-02", "suggested", None), ("2026-09-10", "applied", None),
        ("2026-09-10", "granted", 450_000)]
    figures = json.loads(cli("report", "--period", "2026Q3", "--format", "json").out)["referrals"]
    assert (figures["applications"], figures["grants"], figures["nok_granted"]) == (1, 1, 450_000)


@pytest.fixture
def with_catalog(case_db, cli):
    assert cli("catalog", "import", "examples/catalog").code == 0
    return case_db


def test_a_catalog_name_typed_without_nordic_letters_is_the_entry(with_catalog, cli):
    """`--to skjonnsmidler` once became free text that the report counted as "other"."""
    code, _, err = cli("referral", "add", "1", "--to", "skjonnsmidler")
    assert code == 0, err
    referral = json.loads(cli("referral", "show", "2", "-f", "json").out)
    assert referral["entry_id"] is not None
    assert referral["target"].startswith("Skjønnsmidler") and "free text" not in err


def test_a_near_miss_is_refused_until_free_text_is_asked_for(with_catalog, cli):
    before = export(with_catalog)
    ran = cli("referral", "add", "1", "--to", "Skjønsmidler til fornyings og inovasjon")
    assert_user_error(ran, "is not in the catalog", "Skjønnsmidler til fornyings", "--free-text")
    assert export(with_catalog) == before
    code, _, err = cli("referral", "add", "1", "--to", "Skjønsmidler til fornyings og inovasjon",
                       "--free-text")
    assert code == 0 and "(free text: not in the catalog; closest: Skjønnsmidler" in err


def test_free_text_far_from_the_catalog_is_taken_and_says_so(with_catalog, cli):
    code, _, err = cli("referral", "add", "1", "--to", "Naboens eget verkstedkurs")
    assert code == 0, err
    assert "Added referral #2 to Naboens eget verkstedkurs (free text: not in the catalog; closest: " in err
