"""A network's report by municipal cluster (`report --by cluster`): the scenario's orgs in
clusters read from a file, on each backend."""

import json
import unicodedata

import pytest

from tests.helpers import assert_user_error
from tests.reports.conftest import figures
from tests.reports.test_by_broker import ADDITIVE

pytestmark = pytest.mark.usefixtures("any_db")

# The scenario's orgs are in Fredrikstad, Sarpsborg, Halden, Moss and Uddevalla.
SOUTH = "Sør-Østfold"
CLUSTERS = f"clusters:\n  {SOUTH}: [Fredrikstad, Sarpsborg]\n  Grenseland: [halden]\n"


def imported(cli, db, tmp_path, text: str = CLUSTERS):
    path = tmp_path / "kommunegrupper.yaml"
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")  # as a Mac may type it
    ran = cli("network", "clusters", "import", path, "--db", db)
    assert ran.code == 0, ran.err
    return db


@pytest.fixture
def clustered(cli, scenario_db, tmp_path):
    return imported(cli, scenario_db, tmp_path)


def _rows(found: dict) -> dict:
    return {row["name"]: row for row in found["breakdown"]["rows"]}


def test_each_cluster_counts_the_orgs_of_its_municipalities(clustered):
    by_cluster = _rows(figures(clustered, "2026Q3", by="cluster"))
    by_place = _rows(figures(clustered, "2026Q3", by="municipality"))
    assert list(by_cluster) == ["Grenseland", SOUTH, None]  # no cluster: last
    parts = {"Grenseland": ["Halden"], SOUTH: ["Fredrikstad", "Sarpsborg"], None: ["Moss", "Uddevalla"]}
    for cluster, places in parts.items():
        for name in (*ADDITIVE, "orgs_visited", "new_orgs"):
            if name != "visits":  # a visit to orgs of two places counts in each
                assert by_cluster[cluster][name] == sum(by_place[p][name] for p in places), (cluster, name)
    assert by_cluster[SOUTH]["orgs_visited"] > 0 and by_cluster[None]["orgs_visited"] > 0


def test_clusters_that_do_not_overlap_add_up_to_the_whole(clustered):
    q3 = figures(clustered, "2026Q3", by="cluster")
    whole = {name: row["actual"] for name, row in q3["summary"].items()}
    rows = q3["breakdown"]["rows"]
    for name in (*ADDITIVE, "orgs_visited", "new_orgs"):
        if name != "visits":
            assert sum(row[name] for row in rows) == whole[name], name
    assert whole["needs"] > 0 and whole["referrals"] > 0


def test_an_org_in_two_clusters_counts_in_each(cli, scenario_db, tmp_path):
    imported(cli, scenario_db, tmp_path, f"clusters:\n  {SOUTH}: [Fredrikstad, Sarpsborg]\n"
                                         "  Byene: [Fredrikstad, Moss]\n")
    rows = _rows(figures(scenario_db, "2026Q3", by="cluster"))
    place = _rows(figures(scenario_db, "2026Q3", by="municipality"))
    assert rows["Byene"]["needs"] == place["Fredrikstad"]["needs"] + place["Moss"]["needs"]
    assert rows[SOUTH]["needs"] == place["Fredrikstad"]["needs"] + place["Sarpsborg"]["needs"]
    assert rows[None]["needs"] == place["Halden"]["needs"] + place["Uddevalla"]["needs"]
    whole = figures(scenario_db, "2026Q3")["summary"]["needs"]["actual"]
    assert sum(row["needs"] for row in rows.values()) == whole + place["Fredrikstad"]["needs"] > whole


def test_every_org_in_a_cluster_leaves_no_row_for_none(cli, scenario_db, tmp_path):
    imported(cli, scenario_db, tmp_path, "clusters:\n  Alle: [Fredrikstad, Sarpsborg, Halden, Moss, "
                                         "Uddevalla]\n")
    q3 = figures(scenario_db, "2026Q3", by="cluster")
    (row,) = q3["breakdown"]["rows"]
    assert row["name"] == "Alle"
    assert {k: v for k, v in row.items() if k != "name"} == {
        name: r["actual"] for name, r in q3["summary"].items()}


def test_report_by_cluster_on_the_command_line(cli, clustered):
    ran = cli("report", "-p", "2026Q3", "--lang", "nb", "--by", "cluster", "--db", clustered)
    assert ran.code == 0, ran.err
    table = ran.out.split("### Per kommunegruppe")[1].split("##")[0]
    assert "| Kommunegruppe |" in table
    assert f"| {SOUTH} |" in table and "| Grenseland |" in table and "| I ingen kommunegruppe |" in table
    sv = cli("report", "-p", "2026Q3", "--lang", "sv", "--by", "cluster", "--db", clustered)
    assert "### Per kommungrupp" in sv.out and "| I ingen kommungrupp |" in sv.out
    en = cli("report", "-p", "2026Q3", "--by", "cluster", "--format", "html", "--db", clustered)
    assert en.code == 0 and "By cluster of municipalities" in en.out and "In no cluster" in en.out
    data = json.loads(cli("report", "-p", "2026Q3", "--by", "cluster", "--format", "json",
                          "--db", clustered).out)
    assert data["breakdown"]["by"] == "cluster"
    assert [r["name"] for r in data["breakdown"]["rows"]] == ["Grenseland", SOUTH, None]
    # the temporary views are gone with the report: the next command sees every record
    assert len(json.loads(cli("visit", "list", "--format", "json", "--db", clustered).out)) > 5


def test_report_by_cluster_without_clusters_says_how_to_add_them(cli, scenario_db):
    assert_user_error(cli("report", "-p", "2026Q3", "--by", "cluster", "--db", scenario_db),
                      "no clusters", "megler network clusters import")


def test_an_org_counts_where_it_was_at_the_periods_end(cli, clustered):
    """Moss Data moves to Sarpsborg in November: Q3 counts it in Moss and in no cluster,
    as the reach's orgs by municipality do; Q4 in Sarpsborg."""
    q3_before = figures(clustered, "2026Q3", by="cluster")
    moved = cli("org", "edit", "Moss Data", "--municipality", "Sarpsborg", "--since", "2026-11-01",
                "--db", clustered)
    assert moved.code == 0, moved.err
    q3 = figures(clustered, "2026Q3", by="cluster")
    assert q3["breakdown"] == q3_before["breakdown"]
    by_place = figures(clustered, "2026Q3", by="municipality")
    rows = _rows(by_place)
    assert rows["Moss"]["orgs_visited"] == by_place["reach"]["by_municipality"]["Moss"] > 0
    for place, row in rows.items():
        assert row["orgs_visited"] == by_place["reach"]["by_municipality"].get(place, 0), place
    assert "Moss" not in _rows(figures(clustered, "2026Q4", by="municipality"))  # in Sarpsborg by then
