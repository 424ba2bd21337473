"""`megler catalog import|list|show` run in-process against a real store in tmp_path."""

import json

from megler import catalog
from tests.catalog.conftest import instruments, snapshot
from tests.helpers import assert_user_error, count


def test_import_says_what_it_did_on_stderr(cli, write, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    ran = cli("catalog", "import", path)
    assert (ran.code, ran.out) == (0, "")
    assert ran.err.strip() == "Imported 1 file: added 2, changed 0, retired 0, unchanged 0"
    again = cli("catalog", "import", path)
    assert (again.code, again.out) == (0, "")
    assert "Nothing to import" in again.err and "2 entries" in again.err
    assert count(db_path, "catalogimport") == 1


def test_dry_run_prints_the_changes_and_writes_nothing(cli, write, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    cli("catalog", "import", path)
    before = snapshot(db_path)
    path.write_text(instruments("skattefunn", "eurostars", name="Ny"))
    ran = cli("catalog", "import", path, "--dry-run", "--format", "json")
    assert ran.code == 0
    changes = {(c["action"], c["key"]) for c in json.loads(ran.out)}
    assert changes == {("change", "skattefunn"), ("add", "eurostars"), ("retire", "ipn")}
    assert "would have added 1, changed 1, retired 1" in ran.err
    assert "nothing was written" in ran.err
    assert snapshot(db_path) == before


def test_dry_run_does_not_even_create_the_store(cli, write, db_path):
    ran = cli("catalog", "import", write("a.yaml", instruments("skattefunn")), "--dry-run")
    assert ran.code == 0 and "skattefunn" in ran.out
    assert not db_path.exists()


def test_a_pitfall_is_one_error_line_and_exit_1(cli, write, db_path):
    path = write("a.yaml", instruments("skattefunn").replace('"NO"', "NO"))
    ran = cli("catalog", "import", path)
    assert_user_error(ran, "a.yaml:7:", "entry 'skattefunn'", "country", 'write "NO" in quotes')
    assert not db_path.exists() or count(db_path, "catalogentry") == 0


def test_a_number_too_long_to_read_is_one_error_line(cli, write, db_path):
    """Hypothesis found it: a 5,000-digit number made PyYAML's int() raise, a traceback."""
    path = write("a.yaml", instruments("skattefunn").replace("key: skattefunn",
                                                              f"key: {'9' * 5000}"))
    for args in (["--dry-run"], []):
        assert_user_error(cli("catalog", "import", path, *args), "a.yaml:", "too long to read")
    assert not db_path.exists() or count(db_path, "catalogentry") == 0


def test_several_problems_come_one_per_line_after_the_error(cli, write):
    write("a.yaml", instruments("skattefunn").replace('"NO"', "NO"))
    write("b.yaml", instruments("ipn") + "    contry: SE\n")
    ran = cli("catalog", "import", write("a.yaml", instruments("skattefunn").replace('"NO"', "NO")).parent)
    assert ran.code == 1 and ran.out == ""
    first, second = ran.err.splitlines()
    assert first.startswith("Error: ") and "country" in first and first.endswith("(and 1 more:)")
    assert "b.yaml:10: entry 'ipn': contry: unknown field" in second


def test_list_formats(cli, write):
    cli("catalog", "import", write("a.yaml", instruments("skattefunn", "ipn")))
    rows = json.loads(cli("catalog", "list", "--format", "json").out)
    assert [r["key"] for r in rows] == ["ipn", "skattefunn"]
    assert all(isinstance(r["id"], int) for r in rows) and rows[0]["regions"] == ["*"]
    csv = cli("catalog", "list", "--format", "csv").out.splitlines()
    assert csv[0] == "id,key,kind,name,by,country,regions,deadline"
    assert csv[1].endswith(",ipn,instrument,Ordning ipn,Norges forskningsråd,NO,*,")
    table = cli("catalog", "list", "--kind", "instrument")
    assert table.code == 0 and "Ordning skattefunn" in table.out
    assert json.loads(cli("catalog", "list", "--kind", "offering", "-f", "json").out) == []


def test_list_hides_retired_entries_unless_asked(cli, write):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    cli("catalog", "import", path)
    path.write_text(instruments("skattefunn"))
    cli("catalog", "import", path)
    assert [r["key"] for r in json.loads(cli("catalog", "list", "-f", "json").out)] == ["skattefunn"]
    everything = json.loads(cli("catalog", "list", "--retired", "-f", "json").out)
    assert {r["key"]: bool(r["retired_on"]) for r in everything} == {"ipn": True, "skattefunn": False}


def test_show_by_id_key_or_name(cli, write):
    cli("catalog", "import", write("a.yaml", instruments("skattefunn", "ipn")))
    by_key = json.loads(cli("catalog", "show", "ipn", "-f", "json").out)
    assert by_key["name"] == "Ordning ipn" and by_key["referrals"] == []
    assert by_key["source"].endswith("a.yaml") and by_key["keywords"] == []
    assert json.loads(cli("catalog", "show", str(by_key["id"]), "-f", "json").out) == by_key
    assert json.loads(cli("catalog", "show", "ordning IPN", "-f", "json").out)["key"] == "ipn"
    table = cli("catalog", "show", "ipn")
    assert table.code == 0 and "Norges forskningsråd" in table.out


def test_show_refuses_unknown_and_ambiguous_names(cli, write):
    cli("catalog", "import", write("a.yaml", instruments("skattefunn", "ipn")))
    assert_user_error(cli("catalog", "show", "Ordning"), "matches several catalog entries",
                      "skattefunn", "ipn", "use the id")
    assert_user_error(cli("catalog", "show", "nowhere"), "no catalog entry matches 'nowhere'", "megler catalog list")
    assert_user_error(cli("catalog", "list", "--kind", "course"), "kind")


def test_the_example_catalog_imports_through_the_cli(cli, db_path):
    ran = cli("catalog", "import", catalog.EXAMPLES)
    assert ran.code == 0, ran.err
    assert count(db_path, "catalogentry") >= 150
    assert count(db_path, "catalogimport") == 5
    assert "Nothing to import" in cli("catalog", "import", catalog.EXAMPLES).err
