"""The figures of the scenario, as of the end of each period."""

import pytest

from megler import store
from megler.reports import parse_period
from megler.reports.goals import set_goal
from tests.reports.conftest import Q3_END_NEXT_DAY, build_store, figures

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_granted_in_october_is_applied_in_q3_and_granted_in_q4(scenario_db):
    q3, q4 = figures(scenario_db, "2026Q3"), figures(scenario_db, "2026Q4")
    assert q3["referrals"]["by_status"]["applied"] == 1
    assert q3["referrals"]["by_status"]["granted"] == 0
    assert q3["referrals"]["nok_granted"] == 0
    assert q3["referrals"]["nok_applied"] == 1_250_000 + 300_000
    assert [r["target"] for r in q3["next_period"]["awaiting_decision"]["items"]] == ["SkatteFUNN"]
    assert q4["referrals"]["by_status"]["granted"] == 1
    assert q4["referrals"]["by_status"]["applied"] == 0
    assert (q4["referrals"]["grants"], q4["referrals"]["nok_granted"]) == (1, 1_000_000)
    assert q4["summary"]["funding_granted_nok"]["actual"] == 1_000_000
    assert q4["next_period"]["awaiting_decision"] == {"total": 0, "items": []}


def test_q3_run_in_december_equals_q3_run_in_october(db_path, tmp_path, monkeypatch):
    october = build_store(tmp_path / "october.db", until=Q3_END_NEXT_DAY)
    december = build_store(db_path)
    monkeypatch.setenv("MEGLER_TODAY", Q3_END_NEXT_DAY.isoformat())
    in_october = figures(october, "2026Q3"), figures(october, "2026Q4")
    monkeypatch.setenv("MEGLER_TODAY", "2026-12-15")
    assert figures(december, "2026Q3") == in_october[0]
    assert figures(december, "2026Q4") != in_october[1]


def test_reach(scenario_db):
    reach = figures(scenario_db, "2026Q3")["reach"]
    assert (reach["visits"], reach["orgs"], reach["new_orgs"], reach["returning_orgs"]) == (4, 4, 3, 1)
    assert reach["companies_without_rd"] == 2  # Fredrikstad Mek and Moss Data; not the municipality
    assert reach["visits_by_kind"] == {"visit": 2, "phone": 0, "video": 1, "event": 1}
    assert reach["visits_per_month"] == {"2026-07": 1, "2026-08": 2, "2026-09": 1}
    assert reach["by_nace"] == {"C": 1, "O": 1, "Q": 1, "unknown": 1}
    assert reach["by_size"] == {"1-9": 1, "10-49": 1, "50-249": 0, "250+": 2, "unknown": 0}
    assert sum(reach["by_municipality"].values()) == reach["orgs"]


def test_needs_and_their_state_at_the_end(scenario_db):
    needs = figures(scenario_db, "2026Q3")["needs"]
    assert needs["found"] == 4 and needs["per_visited_org"] == 1.0
    # Uddevalla's need was resolved on 6 October: still open at the end of Q3.
    assert needs["status_at_end"] == {"open": 1, "referred": 4, "resolved": 0, "dropped": 1}
    assert needs["median_days_to_referral"] == 6.5  # 8 days (Moss Data) and 5 (Sarpsborg)
    q4 = figures(scenario_db, "2026Q4")["needs"]["status_at_end"]
    assert q4["resolved"] == 1 and q4["dropped"] == 0  # dropped in Q3: out of Q4's picture


def test_referrals_by_kind_agency_and_flows(scenario_db):
    r = figures(scenario_db, "2026Q3")["referrals"]
    assert (r["made"], r["active"], r["applications"]) == (3, 4, 2)
    assert r["by_status"]["declined"] == 1 and r["by_status"]["enrolled"] == 1
    assert r["by_target_kind"] == {"offering": 1, "instrument": 2, "provider": 0, "other": 1}
    assert r["by_agency"] == {"Fagskolen i Viken": 1, "Forskningsrådet": 1,
                              "Innovasjon Norge": 1, "other": 1}
    assert (r["enrolments"], r["participants"]) == (1, 6)
    q4 = figures(scenario_db, "2026Q4")["referrals"]
    assert (q4["enrolments"], q4["participants"]) == (0, 0)  # completed, but enrolled in Q3


def test_followups_on_time_late_overdue(scenario_db):
    q3 = figures(scenario_db, "2026Q3")
    assert q3["followups"] == {"done_on_time": 1, "done_late": 1, "overdue_at_end": 1}
    assert [f["text"] for f in q3["next_period"]["followups"]["items"]] == [
        "Skicka förslag till Uddevalla Vård"]


def test_meetings_grouped_by_host_newest_first(scenario_db):
    met = figures(scenario_db, "2026Q3")["meetings"]
    groups = met["groups"]
    assert met["visits"] == 4
    assert [g["org"] for g in groups] == [
        "Uddevalla Vård AB", "Sarpsborg kommune", "Fredrikstad Mek AS", "Moss Data AS"]
    assert groups[0]["visits"][0]["since_last"].startswith("Har kartlagt")


def test_summary_against_previous_period_and_goals(scenario_db):
    with store.session(scenario_db, write=True) as s:
        q3 = parse_period("2026Q3", Q3_END_NEXT_DAY)
        set_goal(s, q3, "orgs_visited", "8")
        set_goal(s, q3, "applications", 2)
    summary = figures(scenario_db, "2026Q3")["summary"]
    assert summary["orgs_visited"] == {"actual": 4, "previous": 2, "change": 2, "goal": 8,
                                       "share": 0.5}
    assert summary["applications"]["share"] == 1.0
    assert summary["visits"]["goal"] is None and summary["visits"]["share"] is None


def test_an_empty_period_gives_zeros(scenario_db):
    empty = figures(scenario_db, "2025Q1")
    assert all(row["actual"] == 0 for row in empty["summary"].values())
    assert set(empty["needs"]["by_kind"].values()) == {0}
    assert set(empty["referrals"]["by_status"].values()) == {0}
    assert empty["needs"]["median_days_to_referral"] is None
    assert empty["meetings"] == {"visits": 0, "groups": []} and empty["next_period"]["awaiting_decision"]["items"] == []


def test_an_empty_store_gives_zeros(db_path):
    assert figures(db_path, "2026")["reach"]["visits"] == 0
