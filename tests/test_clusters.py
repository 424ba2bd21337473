"""`megler network clusters [import FILE]`: municipal clusters from a YAML file, on each
backend; a broken file changes nothing."""

import json
import unicodedata

import pytest
from sqlmodel import select

from megler import store
from megler.models import Cluster
from tests.helpers import assert_user_error, records

pytestmark = pytest.mark.usefixtures("any_db")

CLUSTERS = """\
clusters:
  Fyrbodal nord: [Strömstad, Tanum, Sotenäs]
  Fyrbodal syd: [Trollhättan, Vänersborg]
"""


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def placed(cli, db_path):
    """Three orgs in three municipalities of Bohuslän and Dalsland."""
    for name, place in (("Tanum Mek AB", "Tanum"), ("Strömstad Fisk AB", "Strömstad"),
                        ("Åmåls Trä AB", "Åmål")):
        ran = cli("org", "add", name, "--country", "SE", "--municipality", place, "--db", db_path)
        assert ran.code == 0, ran.err
    return db_path


def write(tmp_path, text: str, name: str = "kluster.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def listed(cli, db) -> list[dict]:
    ran = cli("network", "clusters", "--format", "json", "--db", db)
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def test_import_stores_the_clusters_and_warns_of_municipalities_no_org_has(cli, placed, tmp_path):
    ran = cli("network", "clusters", "import", write(tmp_path, CLUSTERS), "--db", placed)
    assert ran.code == 0, ran.err
    assert ran.out == ""
    lines = ran.err.splitlines()
    assert lines[0].startswith("Imported 2 clusters of 5 municipalities from ")
    assert lines[1:] == [f"Warning: no org in the store is in {m}"
                         for m in ("Sotenäs", "Trollhättan", "Vänersborg")]
    assert listed(cli, placed) == [
        {"name": "Fyrbodal nord", "municipalities": ["Sotenäs", "Strömstad", "Tanum"], "orgs": 2},
        {"name": "Fyrbodal syd", "municipalities": ["Trollhättan", "Vänersborg"], "orgs": 0}]
    table = cli("network", "clusters", "--db", placed)
    assert table.code == 0 and "Sotenäs, Strömstad, Tanum" in table.out


def test_a_likely_typo_is_named_with_the_orgs_spelling(cli, placed, tmp_path):
    ran = cli("network", "clusters", "import", write(tmp_path, "clusters:\n  Nord: [Stromstad, TANUM]\n"),
              "--db", placed)
    assert ran.code == 0, ran.err
    assert ran.err.splitlines()[1:] == ["Warning: no org in the store is in Stromstad; did you mean Strömstad?"]
    assert listed(cli, placed)[0]["orgs"] == 1  # TANUM is Tanum, but for case


def test_a_store_without_places_gets_one_warning_not_one_per_name(cli, db_path, tmp_path):
    ran = cli("network", "clusters", "import", write(tmp_path, CLUSTERS), "--db", db_path)
    assert ran.code == 0, ran.err
    assert ran.err.splitlines()[1:] == [
        "Warning: no org in the store has a municipality yet: the names are not checked"]


def test_importing_again_replaces_every_cluster(cli, placed, tmp_path):
    assert cli("network", "clusters", "import", write(tmp_path, CLUSTERS), "--db", placed).code == 0
    again = write(tmp_path, "clusters:\n  Dalsland: [Åmål]\n  Fyrbodal nord: [Tanum]\n", "ny.yaml")
    ran = cli("network", "clusters", "import", again, "--db", placed)
    assert ran.code == 0, ran.err
    assert ran.err.splitlines() == [f"Imported 2 clusters of 2 municipalities from {again}"]
    assert listed(cli, placed) == [
        {"name": "Dalsland", "municipalities": ["Åmål"], "orgs": 1},
        {"name": "Fyrbodal nord", "municipalities": ["Tanum"], "orgs": 1}]
    emptied = cli("network", "clusters", "import", write(tmp_path, "clusters: {}\n", "tom.yaml"),
                  "--db", placed)
    assert emptied.code == 0 and listed(cli, placed) == []


def test_names_typed_decomposed_are_stored_composed_and_kept_as_written(cli, placed, tmp_path):
    text = nfd("clusters:\n  Bohuslän–Dal: [Strömstad, Åmål, strömstad, Färgelanda]\n")
    ran = cli("network", "clusters", "import", write(tmp_path, text), "--db", placed)
    assert ran.code == 0, ran.err
    assert ran.err.splitlines()[0].startswith("Imported 1 cluster of 3 municipalities")
    with store.session(placed) as s:
        rows = sorted((c.name, c.municipality) for c in s.exec(select(Cluster)))
    assert rows == [("Bohuslän–Dal", "Färgelanda"), ("Bohuslän–Dal", "Strömstad"),
                    ("Bohuslän–Dal", "Åmål")]
    assert all(unicodedata.is_normalized("NFC", name + place) for name, place in rows)
    assert listed(cli, placed)[0]["orgs"] == 2


def test_one_municipality_may_be_in_two_clusters(cli, placed, tmp_path):
    text = "clusters:\n  Fyrbodal: [Tanum, Strömstad, Åmål]\n  Kusten: [Tanum, Strömstad]\n"
    assert cli("network", "clusters", "import", write(tmp_path, text), "--db", placed).code == 0
    assert [c["orgs"] for c in listed(cli, placed)] == [3, 2]


@pytest.mark.parametrize("text, message", [
    ("clusters: [Tanum\n", "not valid YAML"),
    ("", "expected a `clusters:` mapping"),
    ("Fyrbodal nord: [Tanum]\n", "expected a `clusters:` mapping"),
    ("clusters: [Tanum, Strömstad]\n", "expected a `clusters:` mapping"),
    ("clusters:\n  Nord: [Tanum]\nregions: {}\n", "expected a `clusters:` mapping"),
    ("clusters:\n  Nord: Tanum\n", "cluster 'Nord': expected a list of municipalities"),
    ("clusters:\n  Nord: []\n", "cluster 'Nord' names no municipality"),
    ("clusters:\n  '': [Tanum]\n", "a cluster's name is empty"),
    ("clusters:\n  '  ': [Tanum]\n", "a cluster's name is empty"),
    ("clusters:\n  ~: [Tanum]\n", "a cluster's name should be text, not nothing"),
    ("clusters:\n  2026: [Tanum]\n", "a cluster's name should be text, not 2026"),
    ("clusters:\n  Nord: [Tanum, 1234]\n", "cluster 'Nord': a municipality should be text, not 1234"),
    ("clusters:\n  Nord: [Tanum, [Åmål]]\n", "a municipality should be text, not ['Åmål']"),
    ("clusters:\n  Nord: [Tanum, '']\n", "cluster 'Nord': a municipality is empty"),
    ("clusters:\n  Nord: [Tanum]\n  NORD: [Åmål]\n", "cluster 'NORD' is named twice ('Nord')"),
    ("clusters:\n  \"Nord\\u202e\": [Tanum]\n", "control characters"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli, placed, tmp_path, text, message):
    assert cli("network", "clusters", "import", write(tmp_path, CLUSTERS, "før.yaml"), "--db", placed).code == 0
    before = records(placed)
    assert_user_error(cli("network", "clusters", "import", write(tmp_path, text), "--db", placed), message)
    assert records(placed) == before


def test_a_file_that_is_not_there_or_not_text_is_one_line(cli, placed, tmp_path):
    assert_user_error(cli("network", "clusters", "import", tmp_path / "ingen.yaml", "--db", placed),
                      "ingen.yaml")
    binary = tmp_path / "bilde.yaml"
    binary.write_bytes(b"\xff\xfeclusters")
    assert_user_error(cli("network", "clusters", "import", binary, "--db", placed), "not UTF-8 text")


def test_db_before_import_is_the_store_imported_into(cli, placed, tmp_path):
    assert cli("network", "clusters", "--db", placed, "import", write(tmp_path, CLUSTERS)).code == 0
    assert len(listed(cli, placed)) == 2


def test_undo_puts_the_clusters_before_the_import_back(cli, placed, tmp_path):
    assert cli("network", "clusters", "import", write(tmp_path, CLUSTERS), "--db", placed).code == 0
    first = listed(cli, placed)
    replaced = write(tmp_path, "clusters:\n  Dalsland: [Åmål]\n  Fyrbodal nord: [Tanum]\n", "ny.yaml")
    assert cli("network", "clusters", "import", replaced, "--db", placed).code == 0
    ran = cli("undo", "--yes", "--db", placed)
    assert ran.code == 0, ran.err
    assert listed(cli, placed) == first


def test_export_and_import_carry_the_clusters(cli, placed, tmp_path):
    assert cli("network", "clusters", "import", write(tmp_path, CLUSTERS), "--db", placed).code == 0
    exported = cli("export", "--db", placed)
    assert exported.code == 0, exported.err
    document = json.loads(exported.out)
    assert len(document["tables"]["cluster"]) == 5
    copy = tmp_path / "kopi.db"
    (tmp_path / "eksport.json").write_text(exported.out, encoding="utf-8")
    ran = cli("import", tmp_path / "eksport.json", "--db", copy)
    assert ran.code == 0, ran.err
    assert listed(cli, copy) == listed(cli, placed)
