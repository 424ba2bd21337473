import json

import pytest

from megler.due import WEIGHTS
from tests.helpers import invoke

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_followup_add_list_done(case_db, cli, today):
    code, out, err = cli("followup", "add", "Årjäng", "--due", "+3d", "--text", "Ringa Åsa")
    assert (code, out, err.strip()) == (0, "", "Added follow-up #2 due 2026-09-18")
    code, out, err = cli("followup", "add", "--due", "2026-09-30", "--text", "Skrive rapport",
                         "--referral", "1")
    assert (code, err.strip()) == (0, "Added follow-up #3 due 2026-09-30")
    rows = json.loads(cli("followup", "list", "-f", "json").out)
    assert [(f["id"], f["due"], f["org"]) for f in rows] == [
        (2, "2026-09-18", "Sågverket i Årjäng AB"), (1, "2026-09-20", "Fredrikstad Mek AS"),
        (3, "2026-09-30", "Fredrikstad Mek AS")]
    code, out, err = cli("followup", "done", "2")
    assert (code, out, err.strip()) == (0, "", "Follow-up #2 done on 2026-09-15")
    assert [f["id"] for f in json.loads(cli("followup", "list", "-f", "json").out)] == [1, 3]
    assert [f["done_on"] for f in json.loads(cli("followup", "list", "--done",
                                                 "-f", "json").out)][:1] == ["2026-09-15"]


def _scenario(cli):
    """A follow-up overdue and one due today, a referral quiet for five weeks, an org not met
    for a year. (The tiers at their extremes: tests/test_due.py.)"""
    steps = [("followup", "done", "1"),
             ("followup", "add", "Mek", "--due", "2026-09-10", "--text", "Overdue: sende tilbud"),
             ("followup", "add", "Bryggeri", "--due", "2026-09-15", "--text", "Due today: ringe"),
             ("visit", "add", "Årjäng", "--date", "2025-09-01", "--need", "Truckførerbevis"),
             ("referral", "add", "2", "--to", "Truckskolen", "--date", "2026-08-10")]
    for step in steps:
        assert cli(*step).code == 0, step


def test_due_ranks_overdue_then_due_soon_then_stale_and_quiet(case_db, cli, today):
    _scenario(cli)
    code, out, err = cli("due", "-f", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [(r["kind"], r["id"]) for r in rows[:2]] == [("followup", 2), ("followup", 3)]
    assert {(r["kind"], r["id"]) for r in rows[2:]} == {("referral", 2), ("org", 3)}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_due_explain_says_why_in_words(case_db, cli, today):
    """It once showed the weights' keys: "due_soon +100, days ahead -5"."""
    from megler.cli import output

    _scenario(cli)
    rows = json.loads(cli("due", "--explain", "-f", "json").out)
    why = {(r["kind"], r["id"]): r["why"] for r in rows}
    w = WEIGHTS
    assert why == {
        ("followup", 2): f"overdue by 5 days: {w['overdue']}+5×{w['per_day_overdue']}",
        ("followup", 3): f"due today: {w['due_soon']}",
        ("referral", 2): f"no change for 5 weeks: {w['stale_referral']}+5×{w['per_week_stale']}",
        ("org", 3): f"not met for 12 months, 1 active need: {w['quiet_org']}+1×{w['per_active_need']}"}
    assert [r["score"] for r in rows] == [210, 100, 55, 25]
    output.console.cache_clear()
    code, out, err = cli("due", "--explain", env={"COLUMNS": "200"})
    assert (code, err) == (0, "")
    assert "Due 2026-09-15" in out and "score" in out and "why" in out
    assert all(words in out for words in why.values())
    assert [key for key in WEIGHTS if "_" in key and key in out] == []
    plain = invoke(["due"]).out
    assert "overdue by" not in plain and "Overdue: sende tilbud" in plain


def test_due_with_nothing_due(cli, today):
    assert cli("init").code == 0  # reading never creates the store
    code, out, err = cli("due")
    assert (code, out) == (0, "")
    assert "nothing to show" in err


def test_a_followup_cannot_tie_one_org_to_another_orgs_need(case_db, cli, today):
    from tests.helpers import assert_user_error, count

    # Need #1 and referral #1 are Fredrikstad Mek's (org #1); Årjäng is org #3.
    for link in (["--need", "1"], ["--referral", "1"]):
        ran = cli("followup", "add", "Årjäng", "--text", "Ringa Åsa", *link)
        assert_user_error(ran, "belongs to org #1, not #3")
    assert count(case_db, "followup") == 1


def test_a_followup_of_a_need_cannot_be_due_before_the_need_was_found(case_db, cli):
    from tests.helpers import assert_user_error, count

    # Need #1 was found on 2026-09-01, referral #1 made on 2026-09-02.
    assert_user_error(cli("followup", "add", "--need", "1", "--text", "Ringe", "--due", "2026-08-30"),
                      "need #1 is of 2026-09-01")
    assert_user_error(cli("followup", "add", "--referral", "1", "--text", "Ringe", "--due", "2026-09-01"),
                      "referral #1 is of 2026-09-02")
    assert count(case_db, "followup") == 1
    assert cli("followup", "add", "--referral", "1", "--text", "Ringe", "--due", "2026-09-02").code == 0
