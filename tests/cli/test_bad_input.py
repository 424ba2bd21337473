"""Bad input: exit 1, exactly one line `Error: …` on stderr, no traceback, store unchanged."""

import pytest

from tests.helpers import assert_user_error, export, invoke

CASES = [
    # (command line, words the error names)
    (["org", "add", "Ny AS", "--orgnr", "974760674"], ["invalid NO org number"]),
    (["org", "add", "Ny AB", "--orgnr", "556012-5791"], ["invalid SE org number"]),
    (["org", "add", "Ny AS", "--orgnr", "12345"], ["invalid NO org number"]),
    (["org", "add", "Kopi AS", "--orgnr", "974 760 673"], ["974 760 673 belongs to #1"]),
    (["org", "add", "Ny AS", "--kind", "factory"], ["unknown org kind", "company"]),
    (["org", "add", "Ny AS", "--country", "DK"], ["unknown country", "NO, SE"]),
    (["org", "add", "Ny AS", "--employees", "-3"], ["employees cannot be negative"]),
    (["org", "add", "  "], ["needs a name"]),
    (["org", "add", "Bjølle\x07 AS"], ["control characters"]),
    (["org", "edit", "Bryggeri", "--orgnr", "974760673"], ["belongs to #1"]),
    (["org", "edit", "Bryggeri", "--name", ""], ["needs a name"]),
    (["org", "show", "Ingen slik"], ["no org matches 'Ingen slik'"]),
    (["org", "show", "Fredrikstad"], ["matches several orgs", "#1 Fredrikstad Mek AS",
                                      "#2 Fredrikstad Bryggeri AS", "use the id"]),
    (["org", "show", "99"], ["no org matches '99'"]),
    (["org", "merge", "Mek", "974760673"], ["cannot merge an org into itself"]),
    (["org", "merge", "Mek", "Fredrikstad"], ["matches several orgs"]),
    (["contact", "add", "Ingen slik", "Kari"], ["no org matches"]),
    (["contact", "add", "Fredrikstad", "Kari"], ["matches several orgs"]),
    (["contact", "add", "Mek", "Kari", "--email", "kari.fmek.no"], ["no @"]),
    (["contact", "edit", "9", "--phone", "1"], ["no contact matches '9'"]),
    (["visit", "add", "Mek", "--date", "2026-02-30"], ["not a date: '2026-02-30'"]),
    (["visit", "add", "Mek", "--date", "15.09.2026"], ["not a date", "YYYY-MM-DD"]),
    (["visit", "add", "Mek", "--date", "+9999y"], ["not a date"]),
    (["visit", "add", "Mek", "--kind", "lunch"], ["unknown visit kind"]),
    (["visit", "add", "Mek", "--need", "Kurs", "--need-kind", "wishes"], ["unknown need kind"]),
    (["visit", "add", "Mek", "--contact", "9"], ["no contact at Fredrikstad Mek AS matches '9'"]),
    (["visit", "add", "Bryggeri", "--contact", "1"], ["no contact at Fredrikstad Bryggeri AS matches '1'"]),
    (["visit", "add", "Mek", "--contact", "Ola"], ["no contact at Fredrikstad Mek AS matches 'Ola'"]),
    (["visit", "add", "Mek", "--follow-up", "soon"], ["not a date: 'soon'"]),
    (["visit", "add", "Mek", "--org", "Ingen slik"], ["no org matches"]),
    (["visit", "add", ""], ["which org?"]),
    (["visit", "edit", "1", "--date", "i går"], ["not a date"]),
    (["visit", "show", "9"], ["no visit #9"]),
    (["visit", "list", "--since", "last year"], ["not a date"]),
    (["need", "add", "Mek", "Kurs", "--people", "-1"], ["cannot be negative"]),
    (["need", "add", "Mek", "Kurs", "--kind", "wishes"], ["unknown need kind"]),
    (["need", "add", "Mek", "Kurs", "--visit", "9"], ["no visit #9"]),
    (["need", "close", "1", "--status", "open"], ["unknown closing status"]),
    (["need", "close", "1", "--date", "2026-08-01"], ["cannot close before"]),
    (["need", "list", "--status", "closed"], ["unknown need status"]),
    (["need", "show", "9"], ["no need #9"]),
    (["referral", "add", "9", "--to", "Fagskolen"], ["no need #9"]),
    (["referral", "add", "1", "--to", "Fagskolen", "--date", "2026-08-01"],
     ["cannot be referred before"]),
    (["referral", "update", "1", "--status", "approved"], ["unknown referral status"]),
    (["referral", "update", "1", "--status", "applied", "--date", "2026-09-01"],
     ["last changed on 2026-09-02"]),
    (["referral", "update", "1", "--amount-applied", "-5"], ["not an amount: '-5'"]),
    (["referral", "update", "1", "--amount-granted", "mye"], ["not an amount: 'mye'"]),
    (["referral", "update", "1", "--participants", "-1"], ["participants cannot be negative"]),
    (["referral", "list", "--status", "lost"], ["unknown referral status"]),
    (["referral", "show", "9"], ["no referral #9"]),
    (["followup", "add", "Mek", "--text", ""], ["needs a text"]),
    (["followup", "add", "Mek", "--text", "Ring", "--due", "neste uke"], ["not a date"]),
    (["followup", "add", "Mek", "--text", "Ring", "--need", "9"], ["no need #9"]),
    (["followup", "add", "--text", "Ring", "--referral", "9"], ["no referral #9"]),
    (["followup", "done", "9"], ["no follow-up #9"]),
    (["search", "***"], ["at least one word"]),
]


@pytest.mark.parametrize("args, fragments", CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(case_db, args, fragments, today):
    before = export(case_db)
    assert_user_error(invoke(args), *fragments)
    assert export(case_db) == before


def test_a_follow_up_done_twice_is_refused(case_db, today):
    assert invoke(["followup", "done", "1"]).code == 0
    before = export(case_db)
    assert_user_error(invoke(["followup", "done", "1"]), "was done on 2026-09-15 already")
    assert export(case_db) == before


@pytest.mark.parametrize("content, fragment", [
    ("not json", "cannot read the export"),
    ('{"format": "csv"}', "not a megler export"),
    ('{"format": "megler-export", "version": 1, "tables": {"org": [{"id": 1}]}}',
     "table org, row 1"),
])
def test_a_bad_import_is_one_line_and_leaves_the_new_store_empty(tmp_path, content, fragment):
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "new.db"
    assert_user_error(invoke(["import", source, "--db", target]), fragment)
    assert not target.exists() or all(rows == [] for rows in export(target)["tables"].values())


def test_importing_a_missing_file_is_a_user_error(tmp_path):
    assert_user_error(invoke(["import", tmp_path / "nowhere.json"]), "cannot read the export")


def test_a_usage_error_exits_2_without_a_traceback(case_db):
    ran = invoke(["org", "add"])
    assert ran.code == 2
    assert ran.out == ""
    assert "Missing argument 'NAME'" in ran.err and "Traceback" not in ran.err
    ran = invoke(["referral", "update", "1", "--participants", "many"])
    assert ran.code == 2 and "Traceback" not in ran.err


def test_a_file_that_is_no_store_is_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("ikke en database " * 200)
    assert_user_error(invoke(["org", "list", "--db", path]), "this file is not a megler store")
