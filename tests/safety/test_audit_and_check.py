"""The audit log (every write, ids only, append-only) and `megler check`."""

import getpass
import json
import sqlite3

import pytest

from tests.helpers import assert_user_error
from tests.safety.util import snapshot

PERSONAL = ["Kari", "Ødegård", "kari@fmek.no", "Møte på verkstedet", "Sveisesertifisering"]


def _audit(db) -> list[tuple]:
    return [row[2:6] for row in snapshot(db)["audit"]]  # (command, action, entity, id)


def test_every_writing_command_is_logged_by_ids_only(case_db, cli):
    before = len(_audit(case_db))
    steps = [("org", "edit", "Fredrikstad Mek", "--employees", "41"),
             ("followup", "done", "1"),
             ("org", "merge", "Fredrikstad Mek", "Fredrikstad Bryggeri", "--yes"),
             ("catalog", "import", "examples/catalog")]
    for step in steps:
        ran = cli(*step)
        assert ran.code == 0, (step, ran.err)
    log = _audit(case_db)[before:]
    commands = {entry[0] for entry in log}
    assert commands == {"megler org edit", "megler followup done", "megler org merge",
                        "megler catalog import"}
    assert ("megler org merge", "delete", "org", "2") in log
    assert ("megler org edit", "change", "org", "1") in log
    brokers = {row[6] for row in snapshot(case_db)["audit"][before:]}
    assert brokers == {getpass.getuser()}  # no broker setting: the login name
    text = json.dumps(snapshot(case_db)["audit"], ensure_ascii=False)
    assert not [p for p in PERSONAL if p in text]


def test_the_log_is_append_only(case_db):
    con = sqlite3.connect(case_db)
    for sql in ("UPDATE audit SET command = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    con.close()


def test_megler_audit_shows_the_log(case_db, cli):
    code, out, err = cli("audit", "--entity", "contact", "-f", "json")
    assert code == 0, err
    assert [(r["command"], r["action"], r["entity_id"]) for r in json.loads(out)] == [
        ("megler contact add", "add", "1")]
    assert "megler referral add" in cli("audit", "--limit", "3").out


def test_reads_and_refused_writes_log_nothing(case_db, cli):
    before = _audit(case_db)
    cli("org", "list")
    cli("org", "add", "X", "--orgnr", "123")
    assert _audit(case_db) == before


def test_check_lists_findings_with_what_to_do(case_db, cli, monkeypatch):
    assert cli("org", "add", "Fredrikstad Mek. AS").code == 0
    con = sqlite3.connect(case_db)
    con.execute("INSERT INTO visit (date, kind) VALUES ('2026-09-03', 'phone')")
    con.commit()
    con.close()
    monkeypatch.setenv("MEGLER_TODAY", "2026-12-31")
    code, out, err = cli("check", "-f", "json")
    assert code == 0, err
    kinds = {(f["kind"], f["ids"]) for f in json.loads(out)}
    assert {("similar org names", "#1, #4"), ("visit with no org", "#2"),
            ("quiet referral", "#1"), ("overdue follow-up", "#1")} <= kinds
    assert all(f["todo"] for f in json.loads(out))
    todo = {f["kind"]: f["todo"] for f in json.loads(out)}  # commands to copy, ids filled in
    assert todo["similar org names"] == "if they are one org: megler org merge 1 4"
    assert todo["overdue follow-up"] == "do it, then megler followup done 1"
    assert "ID" not in " ".join(todo.values())


def test_check_flags_open_referrals_to_closed_catalog_entries(case_db, cli, today):
    assert cli("catalog", "import", "examples/catalog").code == 0
    con = sqlite3.connect(case_db)
    entry = con.execute("SELECT id FROM catalogentry LIMIT 1").fetchone()[0]
    con.execute("UPDATE referral SET entry_id = ? WHERE id = 1", (entry,))
    con.execute("UPDATE catalogentry SET deadline = '2026-01-01' WHERE id = ?", (entry,))
    con.commit()
    con.close()
    findings = json.loads(cli("check", "-f", "json").out)
    assert ("referral to a closed entry", f"referral #1, entry #{entry}") in {
        (f["kind"], f["ids"]) for f in findings}


def test_check_on_a_damaged_store_says_restore(case_db, cli):
    from tests.safety.test_store_files import _damaged_copy

    damaged = case_db.with_name("damaged.db")
    _damaged_copy(case_db, damaged)
    code, out, err = cli("check", "--db", damaged, "-f", "json")
    assert code == 1 and json.loads(out)[0]["kind"] == "damaged store"
    assert err.count("\n") == 1 and "is damaged; restore a backup with megler restore" in err


def test_check_of_a_missing_store_is_one_line(tmp_path, cli):
    assert_user_error(cli("check", "--db", tmp_path / "none.db"), "no store at")


def test_check_shows_the_first_findings_of_each_kind_and_counts_the_rest(case_db, cli):
    for day in range(1, 8):  # seven follow-ups overdue on the 15th
        assert cli("followup", "add", "Mek", "--due", f"2026-09-0{day}", "--text", "Ringe").code == 0
    assert cli("org", "add", "Fredrikstad Mek og Sveis AS").code == 0
    assert cli("org", "add", "Fredrikstad Mek & Sveis").code == 0
    code, out, err = cli("check", "--limit", "3", "-f", "json")
    assert code == 0, err
    kinds = [f["kind"] for f in json.loads(out)]
    assert kinds.count("overdue follow-up") == 3 and "similar org names" in kinds
    assert err == "… 4 more overdue follow-up: --all or --limit N\n"
    code, out, err = cli("check", "--all", "-f", "json")
    assert [f["kind"] for f in json.loads(out)].count("overdue follow-up") == 7 and err == ""
