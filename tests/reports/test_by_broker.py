"""A network's report by broker, and one broker's report: the scenario's records shared
between two brokers, on each backend."""

import json

import pytest
from sqlalchemy import text

from megler import store
from megler.reports.indicators import INDICATORS
from tests.reports.conftest import figures

pytestmark = pytest.mark.usefixtures("any_db")

# What adds up over brokers; an org met by two brokers counts in each one's reach.
ADDITIVE = [name for name in INDICATORS
            if name not in ("orgs_visited", "new_orgs", "companies_without_rd", "first_rd_projects")]


@pytest.fixture
def shared_db(scenario_db):
    """The scenario with its records split between Kari and Lars by id, and a visit of
    Lars to an org Kari met too."""
    with store.session(scenario_db, write=True) as s:
        for table in ("visit", "need", "referral", "followup"):
            s.execute(text(f"UPDATE {table} SET broker = CASE WHEN id % 2 = 1 THEN 'Kari Ødegård' "
                           "ELSE 'Lars' END"))
    return scenario_db


def _orgs_met(db, broker: str | None) -> int:
    whose = "" if broker is None else "AND v.broker = :broker"
    with store.session(db) as s:
        return s.execute(text(f"""SELECT count(DISTINCT vo.org_id) FROM visit v
            JOIN visitorg vo ON vo.visit_id = v.id
            WHERE v.date BETWEEN '2026-07-01' AND '2026-09-30' {whose}"""), {"broker": broker}).scalar()


def test_the_brokers_add_up_to_the_network(shared_db):
    q3 = figures(shared_db, "2026Q3", by="broker")
    network = {name: row["actual"] for name, row in q3["summary"].items()}
    each = {row["name"]: row for row in q3["breakdown"]["rows"]}
    assert list(each) == ["Kari Ødegård", "Lars"]
    for name in ADDITIVE:
        assert sum(row[name] for row in each.values()) == network[name], name
    assert network["visits"] > 0 and all(row["visits"] for row in each.values())
    assert network["orgs_visited"] == _orgs_met(shared_db, None)
    for broker, row in each.items():
        assert row["orgs_visited"] == _orgs_met(shared_db, broker)
    assert sum(row["orgs_visited"] for row in each.values()) > network["orgs_visited"]  # met by both


def test_one_brokers_report_is_their_row_of_the_network(shared_db):
    network = figures(shared_db, "2026Q3", by="broker")
    kari = figures(shared_db, "2026Q3", only="Kari Ødegård")
    row = next(r for r in network["breakdown"]["rows"] if r["name"] == "Kari Ødegård")
    assert {name: r["actual"] for name, r in kari["summary"].items()} == {
        name: row[name] for name in INDICATORS}
    assert kari["broker"] == "Kari Ødegård"
    assert all(r["goal"] is None for r in kari["summary"].values())  # the goals are the network's


def test_report_by_broker_and_for_one_broker_on_the_command_line(cli, shared_db):
    ran = cli("report", "-p", "2026Q3", "--lang", "nb", "--by", "broker", "--db", shared_db)
    assert ran.code == 0, ran.err
    table = ran.out.split("### Per kompetansemegler")[1].split("##")[0]
    assert "| Kari Ødegård |" in table and "| Lars |" in table
    one = cli("report", "-p", "2026Q3", "--broker", "Lars", "--format", "json", "--db", shared_db)
    assert json.loads(one.out)["broker"] == "Lars"
    nobody = cli("report", "-p", "2026Q3", "--broker", "Ingen", "--format", "json", "--db", shared_db)
    assert json.loads(nobody.out)["summary"]["visits"]["actual"] == 0
    # the temporary views are gone with the report: the next command sees every record
    assert cli("visit", "list", "--broker", "Kari Ødegård", "--db", shared_db).code == 0


@pytest.mark.parametrize("by", ["municipality", "region"])
def test_the_places_add_up_to_the_network(cli, scenario_db, by):
    """Each org is in one place: needs, referrals and the rest add up, and so do the orgs."""
    q3 = figures(scenario_db, "2026Q3", by=by)
    network = {name: row["actual"] for name, row in q3["summary"].items()}
    rows = q3["breakdown"]["rows"]
    assert len(rows) > 1
    for name in (*ADDITIVE, "orgs_visited", "new_orgs"):
        if name != "visits":  # a visit to orgs of two places counts in each
            assert sum(row[name] for row in rows) == network[name], name
    ran = cli("report", "-p", "2026Q3", "--lang", "sv", "--by", by, "--db", scenario_db)
    assert ran.code == 0 and ("### Per kommun" if by == "municipality" else "### Per län") in ran.out


def test_a_breakdown_run_again_on_one_connection_counts_the_same(shared_db):
    """psycopg prepares a statement the fifth time a connection runs it; one prepared while
    the tables themselves were read must not pass the brokers' views by later."""
    first = figures(shared_db, "2026Q3", by="broker")["breakdown"]
    for _ in range(3):
        assert figures(shared_db, "2026Q3", by="broker")["breakdown"] == first
        assert figures(shared_db, "2026Q3", only="Lars")["summary"] == figures(
            shared_db, "2026Q3", only="Lars")["summary"]
    assert first["rows"][0]["visits"] < figures(shared_db, "2026Q3")["summary"]["visits"]["actual"]
