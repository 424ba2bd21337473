"""Right of access, erasure and retention: what megler holds about a person, and that
an erased person is gone from every file of the store while the figures stay."""

import json
import sqlite3

import pytest

from megler import store
from tests.helpers import assert_user_error
from tests.safety.util import record, snapshot

NAME, EMAIL, PHONE = "Kari Ødegård", "kari@fmek.no", "+47 900 11 222"
NOTES = f"Møtte {NAME} og Per; send tilbud til {EMAIL} eller ring {PHONE}. Kari Ødegårds sønn jobber der."


@pytest.fixture
def person_db(case_db, cli, today):
    """The case store with Kari named in a visit's notes and template fields, a need,
    a follow-up and a referral note, beside another contact who must stay untouched."""
    steps = [
        ("contact", "edit", "1", "--phone", PHONE),
        ("contact", "add", "Fredrikstad Mek", "Per Hansen", "--email", "per@fmek.no"),
        ("visit", "add", "Fredrikstad Mek", "--date", "2026-09-05", "--contact", "1",
         "--contact", "2", "--notes", NOTES, "--since-last", f"{NAME.upper()} fikk ordren",
         "--next-steps", f"Ringe {PHONE.replace(' ', '')} før fredag",
         "--need", f"Kurs for {NAME} og to andre", "--follow-up", "2026-09-20",
         "--follow-up-text", f"Sende kursplan til {EMAIL}"),
        ("referral", "update", "1", "--note", f"{NAME} søkte selv", "--date", "2026-09-06"),
    ]
    for step in steps:
        ran = cli(*step)
        assert ran.code == 0, (step, ran.err)
    return case_db


def _files_holding(db, *terms) -> list[str]:
    """Byte search of every file of the store for a term in any letter case."""
    store.close(db)
    needles = {v.encode() for t in terms for v in (t, t.lower(), t.upper(), t.casefold())}
    files = [f for f in db.parent.iterdir() if f.name.startswith(db.name)]
    return [f.name for f in files if any(n in f.read_bytes() for n in needles)]


def test_export_holds_everything_about_the_person(person_db, cli):
    code, out, err = cli("contact", "export", "1")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["contact"]["name"] == NAME and doc["contact"]["email"] == EMAIL
    assert doc["org"]["name"] == "Fredrikstad Mek AS"
    assert [v["id"] for v in doc["visits"]] == [1, 2]
    assert doc["visits"][1]["notes"] == NOTES
    assert doc["visits"][1]["needs"][0]["text"].startswith("Kurs for Kari")
    where = {m["where"] for m in doc["mentioned_in"]}
    assert {"visit #2 notes", "visit #2 since last", "visit #2 next steps", "need #2 text",
            "followup #2 text", "referral #1 note", "referralevent #2 note"} <= where
    assert doc["audit"][0]["command"] == "megler contact add"


def test_export_of_an_unknown_contact_is_one_line(case_db, cli):
    assert_user_error(cli("contact", "export", "99"), "no contact matches '99'")


def test_erase_with_redact_leaves_the_person_in_no_file(person_db, cli, today):
    figures_before = _figures(cli)
    counts_before = _counts(person_db)
    assert _files_holding(person_db, NAME, EMAIL, PHONE)  # the test can see them at all
    code, out, err = cli("contact", "erase", "1", "--redact", "--yes")
    assert code == 0, err
    assert "Erased contact #1, unlinked from 2 visits; redacted 7 texts" in err
    assert NAME not in err and EMAIL not in err
    found = _files_holding(person_db, NAME, EMAIL, PHONE, "Ødegård", PHONE.replace(" ", ""))
    record("erasure: contact erase --redact", names_and_emails_erased=3, found_afterwards=len(found))
    assert found == []
    assert _counts(person_db) == counts_before | {"contact": counts_before["contact"] - 1}
    assert _figures(cli) == figures_before
    notes = cli("visit", "show", "2", "-f", "json").out
    assert "[erased contact #1]" in notes and "Per" in notes and "[erased contact #1]s sønn" in notes
    assert "per@fmek.no" in cli("contact", "list", "-f", "json").out  # the other person stays


def test_erase_without_redact_says_where_the_name_remains(person_db, cli):
    code, _, err = cli("contact", "erase", "1", "--yes")
    assert code == 0, err
    assert "their name remains in visit #2 notes" in err and NAME not in err
    assert_user_error(cli("contact", "show", "1"), "no contact matches '1'")
    assert EMAIL in cli("visit", "show", "2", "-f", "json").out  # nothing rewritten


def test_erase_in_a_script_needs_yes(person_db, cli):
    before = snapshot(person_db)
    assert_user_error(cli("contact", "erase", "1", "--redact"), "--yes")
    assert_user_error(cli("contact", "erase", "77", "--yes"), "no contact matches '77'")
    assert snapshot(person_db) == before


def test_erase_asks_at_a_terminal(person_db, cli, monkeypatch):
    from megler.cli import common

    before = snapshot(person_db)
    monkeypatch.setattr(common, "interactive", lambda: True)
    ran = cli("contact", "erase", "1", input="n\n")
    assert ran.code == 1 and "cancelled; nothing was changed" in ran.err
    assert snapshot(person_db) == before
    assert cli("contact", "erase", "1", input="y\n").code == 0


def test_retention_lists_and_erases_contacts_not_met_for_long(person_db, cli, monkeypatch, tmp_path):
    assert cli("contact", "add", "Fredrikstad Bryggeri", "Ola Brygger").code == 0
    monkeypatch.setenv("MEGLER_TODAY", "2029-12-01")  # visits of 2026 are 38 months old
    code, out, err = cli("retention", "-f", "json")
    assert code == 0, err
    stale = json.loads(out)
    assert [r["id"] for r in stale] == [1, 2, 3]  # Ola counts from when he was recorded
    config = tmp_path / "config.toml"
    config.write_text("retention_months = 48\n")
    monkeypatch.setenv("MEGLER_CONFIG", str(config))
    assert json.loads(cli("retention", "-f", "json").out) == []
    assert [r["id"] for r in json.loads(cli("retention", "--months", "12", "-f", "json").out)] == [1, 2, 3]
    before = _counts(person_db)
    assert_user_error(cli("retention", "--months", "12", "--apply"), "--yes")
    code, _, err = cli("retention", "--months", "12", "--apply", "--yes")
    assert code == 0, err
    assert err.count("Erased contact #") == 3
    assert _counts(person_db) == before | {"contact": 0}
    assert _files_holding(person_db, NAME, EMAIL) == []


def test_a_bad_retention_setting_is_one_line(case_db, cli, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('retention_months = "lenge"\n')
    monkeypatch.setenv("MEGLER_CONFIG", str(config))
    assert_user_error(cli("retention"), "retention_months")


def _counts(db) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = ["org", "contact", "visit", "visitorg", "need", "referral", "referralevent",
                  "followup"]
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def _figures(cli):
    """The report's numbers for the quarter, as the funder would get them (its quotes
    of the broker's text may change: they are where a name gets redacted)."""
    code, out, err = cli("report", "--period", "2026Q3", "--format", "json")
    assert code == 0, err
    return _numbers(json.loads(out))


def _numbers(value):
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items() if k != "generated"}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return "text" if isinstance(value, str) else value
