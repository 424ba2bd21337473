import json
import stat

import pytest

from megler import migrations
from tests.helpers import Ran, assert_user_error, export


def said(err: str) -> str:
    """stderr talk with Rich's line wrapping undone."""
    return " ".join(err.split())


def test_init_creates_the_store_once(cli, tmp_path):
    path = tmp_path / "østfold" / "megler.db"
    applied = [step.__name__ for step in migrations.MIGRATIONS]
    code, out, err = cli("init", "--db", path)
    assert (code, out) == (0, "")
    assert said(err) == f"Store ready at {path} (applied {', '.join(applied)})"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    code, out, err = cli("init", "--db", path)
    assert (code, out, said(err)) == (0, "", f"Store ready at {path}")


def test_a_writing_command_creates_the_store_on_first_use_and_a_reading_one_does_not(cli, db_path):
    assert_user_error(cli("need", "list"), f"there is no store at {db_path}", "megler init")
    assert not db_path.exists()
    assert cli("org", "add", "Fredrikstad Mek AS").code == 0
    assert db_path.exists()


def test_search_finds_the_compound_from_a_word_beginning(case_db, cli):
    code, out, err = cli("search", "sveis", "-f", "json")
    assert (code, err) == (0, "")
    hits = {(h["kind"], h["id"]): h for h in json.loads(out)}
    assert set(hits) == {("need", 1), ("org", 1)}
    assert hits[("need", 1)]["snippet"] == "Sveisesertifisering for 6 ansatte"
    assert hits[("need", 1)]["title"] == "Fredrikstad Mek AS 2026-09-01"


def test_search_prints_a_table_with_the_snippet(case_db, cli):
    code, out, err = cli("search", "kursplan")
    assert (code, err) == (0, "")
    assert "visit" in out and "Sende kursplan før fredag" in out
    assert "\x02" not in out and "\x03" not in out  # the markers become highlighting


def test_search_keeps_norwegian_and_swedish_letters(case_db, cli):
    out = cli("search", "Årjäng", "-f", "json").out
    assert [h["title"] for h in json.loads(out)] == ["Sågverket i Årjäng AB"]
    out = cli("search", "møte", "-f", "json").out
    assert [h["snippet"] for h in json.loads(out)] == [
        "Møte på verkstedet Ny ordre fra Equinor Sende kursplan før fredag"]


@pytest.mark.parametrize("query", ['sveis AND', '"sveis', 'sveis*', 'sveis -x', 'x - sveis',
                                   'NOT', 'sveis OR ordre', 'NEAR(sveis)', 'body:sveis', "'"])
def test_fts_syntax_gives_results_or_a_clean_error(case_db, cli, query):
    code, out, err = cli("search", query, "-f", "json")
    if code == 0:
        assert isinstance(json.loads(out), list) and err == ""
    else:
        assert_user_error(Ran(code, out, err))
    assert "Traceback" not in err


def test_a_query_starting_with_a_dash_follows_a_double_dash(case_db, cli):
    code, out, err = cli("search", "-f", "json", "--", "-sveis")
    assert (code, err) == (0, "")
    assert {h["kind"] for h in json.loads(out)} == {"need", "org"}


def test_a_search_without_matches_says_so(case_db, cli):
    code, out, err = cli("search", "zzzyx")
    assert (code, out) == (0, "") and "no matches" in err


def test_export_import_export_gives_the_same_document(case_db, cli, tmp_path, today):
    # Add the rest of the nouns so every table travels: an event, a closed need, history.
    for step in [("visit", "add", "Bryggeri", "--kind", "event", "--org", "Årjäng",
                  "--since-last", "Bedriftsdag på Kråkerøy; «sitater» og \\ tegn"),
                 ("referral", "update", "1", "--status", "applied", "--amount-applied", "300k"),
                 ("need", "add", "Årjäng", "Lärling inom sågteknik", "--kind", "appr"),
                 ("need", "close", "2", "--status", "dropped"),
                 ("followup", "done", "1")]:
        assert cli(*step).code == 0, step
    first = tmp_path / "eksport.json"
    code, out, err = cli("export", first)
    assert (code, out, said(err)) == (0, "", f"Exported the store to {first}")
    text = first.read_text("utf-8")
    assert "Sågverket i Årjäng AB" in text and "Ødegård" in text  # ensure_ascii=False
    assert stat.S_IMODE(first.stat().st_mode) == 0o600

    new = tmp_path / "ny.db"
    code, out, err = cli("import", first, "--db", new)
    assert (code, out) == (0, "") and err.startswith("Imported ")
    code, again, err = cli("export", "--db", new)
    assert (code, err) == (0, "")
    original, copy = json.loads(text), json.loads(again)
    # the copy's audit log is the original's, then the import's own rows
    old_log, new_log = original["tables"].pop("audit"), copy["tables"].pop("audit")
    assert new_log[:len(old_log)] == old_log and all(r["command"] == "megler import"
                                                     for r in new_log[len(old_log):])
    assert copy["sequences"].pop("audit") == len(new_log) and original["sequences"].pop("audit") == len(old_log)
    assert copy == original
    # The imported store works: its search index was rebuilt from the rows.
    assert json.loads(cli("search", "Kråkerøy", "--db", new, "-f", "json").out)[0]["kind"] \
        == "visit"


def test_export_to_stdout_is_the_document(case_db, cli):
    code, out, err = cli("export")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["format"] == "megler-export"
    assert [o["name"] for o in document["tables"]["org"]] == [
        "Fredrikstad Mek AS", "Fredrikstad Bryggeri AS", "Sågverket i Årjäng AB"]
    assert document["tables"]["referralevent"][0]["date"] == "2026-09-02"


def test_export_into_a_missing_folder_is_a_user_error(case_db, cli, tmp_path):
    assert_user_error(cli("export", tmp_path / "nowhere" / "x.json"), "nowhere")


def test_import_refuses_a_store_that_is_not_empty(case_db, cli, tmp_path):
    document = tmp_path / "e.json"
    assert cli("export", document).code == 0
    before = export(case_db)
    assert_user_error(cli("import", document), "the store is not empty")
    assert export(case_db) == before


def test_the_store_version_is_the_latest(case_db):
    import sqlite3

    with sqlite3.connect(case_db) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST


def test_search_csv_holds_no_stray_spaces(case_db, cli):
    code, out, err = cli("search", "equinor", "-f", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["kind,id,title,snippet",
                                "visit,1,Fredrikstad Mek AS 2026-09-01,"
                                "Møte på verkstedet Ny ordre fra Equinor Sende kursplan før fredag"]


def test_a_csv_export_without_a_table_says_which_it_takes(case_db, cli):
    assert_user_error(cli("export", "--format", "csv"),
                      "--format csv writes one table: add --what orgs, contacts, visits, needs, "
                      "referrals or followups")


@pytest.mark.parametrize("args", [["contact", "list"], ["followup", "add"], ["match"],
                                  ["backup"], ["export"]])
def test_usage_lines_show_an_optional_argument_in_one_pair_of_brackets(cli, args):
    code, out, _ = cli(*args, "--help")
    usage = out.splitlines()[0]
    assert code == 0 and "[OPTIONS] [" in usage and "[[" not in usage, usage
