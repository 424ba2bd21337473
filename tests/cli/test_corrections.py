"""Every mistake can be put right: edit, delete (asking first) and undo, gone from every count.

The case store: Fredrikstad Mek (#1) met on visit #1 (2026-09-01) with Kari (contact #1),
need #1 from that visit, referral #1 of it (2026-09-02), follow-up #1 due 2026-09-20;
Fredrikstad Bryggeri (#2) and Sågverket i Årjäng (#3) never met.
"""

import json

import pytest

from tests.helpers import assert_user_error, count, export, records

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def _json(cli, *args):
    ran = cli(*args, "-f", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def _q3(cli) -> dict:
    return _json(cli, "report", "--period", "2026Q3")


def test_a_delete_in_a_script_needs_yes_and_changes_nothing_without(case_db, cli):
    before = export(case_db)
    for what in ("visit", "need", "referral", "followup"):
        assert_user_error(cli(what, "delete", "1"), "--yes")
    assert export(case_db) == before


def test_a_deleted_visit_is_gone_from_every_count_and_undo_puts_it_back(case_db, cli):
    before = records(case_db)
    assert _q3(cli)["reach"]["visits"] == 1
    ran = cli("visit", "delete", "1", "--yes")
    assert ran.code == 0 and "its 1 need stays" in ran.err
    assert _q3(cli)["reach"]["visits"] == 0
    assert _json(cli, "need", "show", "1")["visit_id"] is None
    assert count(case_db, "visitcontact") == 0
    ran = cli("undo", "--yes")
    assert ran.code == 0 and "Undid `megler visit delete`" in ran.err, ran.err
    assert records(case_db) == before
    assert [h["kind"] for h in _json(cli, "search", "Equinor")] == ["visit"]


def test_a_deleted_need_takes_its_referrals_and_leaves_its_follow_ups(case_db, cli):
    assert cli("followup", "add", "--need", "1", "--text", "Ringe Kari").code == 0
    ran = cli("need", "delete", "1", "--yes")
    assert ran.code == 0 and "and its 1 referral" in ran.err
    figures = _q3(cli)
    assert (figures["needs"]["found"], figures["referrals"]["made"]) == (0, 0)
    assert count(case_db, "referralevent") == 0
    assert [f["need_id"] for f in _json(cli, "followup", "list")] == [None, None]
    assert cli("undo", "--yes").code == 0
    assert _json(cli, "need", "show", "1")["referrals"][0]["id"] == 1
    assert [f["need_id"] for f in _json(cli, "followup", "list")] == [None, 1]


def test_deleting_a_need_s_only_referral_opens_the_need_again(case_db, cli):
    assert _json(cli, "need", "show", "1")["status"] == "referred"
    assert cli("referral", "delete", "1", "--yes").code == 0
    assert _json(cli, "need", "show", "1")["status"] == "open"
    assert _q3(cli)["referrals"]["made"] == 0


def test_a_follow_up_is_edited_and_deleted(case_db, cli):
    ran = cli("followup", "edit", "1", "--due", "2026-09-25", "--text", "Sende kursplan")
    assert ran.code == 0 and "due 2026-09-25" in ran.err
    assert [(f["due"], f["text"]) for f in _json(cli, "followup", "list")] == [
        ("2026-09-25", "Sende kursplan")]
    assert cli("followup", "delete", "1", "--yes").code == 0
    assert _json(cli, "followup", "list", "--done") == []


def test_need_edit_corrects_text_kind_people_org_and_date(case_db, cli):
    ran = cli("need", "edit", "1", "--kind", "rd", "--people", "3", "--text", "FoU på sveising",
              "--date", "2026-09-01")
    assert ran.code == 0, ran.err
    need = _json(cli, "need", "show", "1")
    assert (need["kind"], need["people"], need["text"]) == ("rd", 3, "FoU på sveising")
    assert _q3(cli)["referrals"]["rd_made"] == 1


@pytest.mark.parametrize("args, words", [
    (["--org", "Bryggeri"], "came from visit #1, which did not meet org #2"),
    (["--date", "2026-08-30"], "visit #1 was on 2026-09-01"),
    (["--date", "2026-09-05"], "need #1 was referred on 2026-09-02"),
    (["--kind", "lunch"], "unknown need kind"),
    (["--people", "-1"], "cannot be negative"),
])
def test_need_edit_refuses_what_its_ties_forbid(case_db, cli, args, words):
    before = export(case_db)
    assert_user_error(cli("need", "edit", "1", *args), words)
    assert export(case_db) == before


def test_visit_edit_puts_new_orgs_and_contacts_in_place(case_db, cli):
    assert cli("contact", "add", "Bryggeri", "Ola Brygger").code == 0
    ran = cli("visit", "edit", "1", "--org", "Mek", "--org", "Bryggeri", "--contact", "Ola")
    assert ran.code == 0, ran.err
    visit = _json(cli, "visit", "show", "1")
    assert [o["name"] for o in visit["orgs"]] == ["Fredrikstad Mek AS", "Fredrikstad Bryggeri AS"]
    assert [c["name"] for c in visit["contacts"]] == ["Ola Brygger"]
    assert _q3(cli)["reach"]["orgs"] == 2
    assert_user_error(cli("visit", "edit", "1", "--org", "Bryggeri"), "need #1 came from this visit")


def test_referral_edit_corrects_an_amount_recorded_wrongly_in_its_history(case_db, cli):
    steps = [("--status", "applied", "--amount-applied", "40 000", "--date", "2026-09-05"),
             ("--status", "granted", "--amount-granted", "40 000", "--date", "2026-09-10")]
    for step in steps:
        assert cli("referral", "update", "1", *step).code == 0
    ran = cli("referral", "edit", "1", "--amount-applied", "400.000", "--date", "2026-09-05")
    assert ran.code == 0, ran.err
    history = _json(cli, "referral", "show", "1")["history"]
    assert [h["amount_applied"] for h in history] == [None, 400_000, 400_000]
    assert _q3(cli)["referrals"]["nok_applied"] == 400_000
    assert cli("referral", "edit", "1", "--to", "Fagskolen Østfold", "--free-text").code == 0
    assert _json(cli, "referral", "show", "1")["target"] == "Fagskolen Østfold"


def test_a_merge_of_two_different_orgs_asks_and_undo_takes_it_back(case_db, cli):
    before = records(case_db)
    assert_user_error(cli("org", "merge", "Mek", "Bryggeri"), "--yes")
    assert records(case_db) == before
    ran = cli("org", "merge", "Mek", "Bryggeri", "--yes")
    assert ran.code == 0 and "Merged #2 Fredrikstad Bryggeri AS into #1" in ran.err
    assert [o["id"] for o in _json(cli, "org", "list")] == [1, 3]
    assert cli("undo", "--yes").code == 0
    assert records(case_db) == before
    log = [r["command"] for r in _json(cli, "audit", "--limit", "50")]
    assert "megler undo" in log and "megler org merge" in log


def test_undo_is_refused_once_a_later_command_changed_the_same_rows(case_db, cli):
    assert cli("followup", "edit", "1", "--text", "Sende kursplan").code == 0
    assert cli("followup", "done", "1").code == 0  # itself undoable: undo takes it first
    assert cli("undo", "--yes").code == 0
    assert cli("followup", "edit", "1", "--due", "2026-09-30").code == 0
    assert cli("followup", "done", "1").code == 0
    assert cli("followup", "add", "--text", "Annet").code == 0
    assert cli("undo", "--yes").code == 0  # done
    assert cli("undo", "--yes").code == 0  # the due date
    assert cli("need", "add", "Mek", "Lærlingplass", "--visit", "1").code == 0  # need #2, open
    assert cli("visit", "delete", "1", "--yes").code == 0  # unlinks need #2 from it
    # Ids are never reused (a new visit is #2), so the later change is to a row the delete
    # touched: referring need #2 makes it "referred" (not undoable itself).
    assert cli("referral", "add", "2", "--to", "NAV Viken", "--free-text").code == 0
    before = export(case_db)
    assert_user_error(cli("undo", "--yes"), "cannot undo `megler visit delete`", "need #2 changed since")
    assert export(case_db) == before


def test_nothing_to_undo_is_one_line(case_db, cli):
    assert_user_error(cli("undo", "--yes"), "there is nothing to undo")


def test_erasing_a_person_forgets_the_undo_that_names_them(case_db, cli):
    assert cli("contact", "edit", "1", "--phone", "+47 900 00 000").code == 0
    assert count(case_db, "undo") == 1
    assert cli("contact", "erase", "1", "--redact", "--yes").code == 0
    assert count(case_db, "undo") == 0


def test_each_need_of_a_visit_has_its_own_kind(case_db, cli):
    ran = cli("visit", "add", "Bryggeri", "--need", "Truckførerkurs", "--need",
              "rd: Vil teste ny gjæringsprosess", "--need-kind", "competence")
    assert ran.code == 0, ran.err
    kinds = {n["text"]: n["kind"] for n in _json(cli, "need", "list", "--org", "Bryggeri")}
    assert kinds == {"Truckførerkurs": "competence", "Vil teste ny gjæringsprosess": "rd"}
    before = export(case_db)
    assert_user_error(cli("visit", "add", "Bryggeri", "--need", "A", "--need", "B",
                          "--need-kind", "rd", "--need-kind", "funding"), "give --need-kind once")
    assert export(case_db) == before
