"""Who recorded what: every record carries its broker, lists say it and filter by it,
`due` shows the broker's own. On SQLite the broker is the `broker` setting; on
PostgreSQL the role megler logged in as, whatever the setting says."""

import json
import sqlite3
import unicodedata

import pytest

from megler import store
from tests.helpers import assert_user_error, export

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def me(db) -> str:
    return "postgres" if store.is_url(db) else "Kari Nordmann"  # the test server's role


@pytest.fixture
def kari(cli):
    assert cli("config", "set", "broker", "Kari Nordmann").code == 0


def as_broker(cli, name: str, *args):
    """One command as broker `name` (on SQLite: the setting; PostgreSQL ignores it)."""
    assert cli("config", "set", "broker", name).code == 0
    ran = cli(*args)
    assert ran.code == 0, ran.err
    return ran


def test_every_record_a_broker_adds_is_put_down_to_them(db_path, cli, kari):
    assert cli("org", "add", "Fredrikstad Mek AS", "--municipality", "Fredrikstad").code == 0
    assert cli("contact", "add", "Fredrikstad Mek", "Kari Ødegård").code == 0
    assert cli("visit", "add", "Fredrikstad Mek", "--date", "2026-09-01", "--notes", "Møte",
               "--need", "Sveisekurs for 6 ansatte", "--follow-up", "2026-09-20").code == 0
    assert cli("referral", "add", "1", "--to", "Fagskolen i Viken: sveiseteknikk", "--free-text").code == 0
    tables = export(db_path)["tables"]
    for table in ("contact", "visit", "need", "referral", "followup"):
        assert [r["broker"] for r in tables[table]] == [me(db_path)], table
    assert {a["broker"] for a in tables["audit"]} == {me(db_path)}
    for noun in ("contact", "visit", "need", "referral", "followup"):
        rows = json.loads(cli(noun, "list", "-f", "json").out)
        assert [r["broker"] for r in rows] == [me(db_path)], noun


@pytest.mark.sqlite_only  # two brokers on one SQLite file: the setting changes hands
def test_lists_filter_by_broker_and_show_the_column_once_there_are_two(db_path, cli):
    as_broker(cli, "Kari Nordmann", "org", "add", "Fredrikstad Mek AS")
    as_broker(cli, "Kari Nordmann", "need", "add", "Fredrikstad Mek", "Sveisekurs", "--kind", "competence")
    as_broker(cli, "Åsa Lindström", "need", "add", "Fredrikstad Mek", "Truckförarutbildning",
              "--kind", "competence")
    table = cli("need", "list").out
    assert "broker" in table and "Kari Nordmann" in table and "Åsa Lindström" in table
    mine = json.loads(cli("need", "list", "--mine", "-f", "json").out)
    assert [n["text"] for n in mine] == ["Truckförarutbildning"]  # the setting is Åsa's now
    karis = json.loads(cli("need", "list", "--broker", "Kari Nordmann", "-f", "json").out)
    assert [n["text"] for n in karis] == ["Sveisekurs"]
    assert "broker" not in cli("need", "list", "--mine").out  # one broker: nothing to tell apart
    assert json.loads(cli("need", "list", "--broker", "Nobody", "-f", "json").out) == []
    typed = unicodedata.normalize("NFD", "Åsa Lindström")  # as some keyboards send it
    asas = json.loads(cli("need", "list", "--broker", typed, "-f", "json").out)
    assert [(n["text"], n["broker"]) for n in asas] == [("Truckförarutbildning", "Åsa Lindström")]


@pytest.mark.sqlite_only
def test_due_shows_my_own_follow_ups_unless_everyone_is_asked_for(db_path, cli):
    as_broker(cli, "Kari Nordmann", "org", "add", "Fredrikstad Mek AS")
    as_broker(cli, "Kari Nordmann", "followup", "add", "Fredrikstad Mek", "--due", "today",
              "--text", "Ringe om sveisekurset")
    as_broker(cli, "Åsa Lindström", "followup", "add", "Fredrikstad Mek", "--due", "today",
              "--text", "Skicka offerten")
    texts = lambda *args: [i["text"] for i in json.loads(cli("due", *args, "-f", "json").out)  # noqa: E731
                           if i["kind"] == "followup"]
    assert texts() == ["Skicka offerten"]
    assert texts("--broker", "Kari Nordmann") == ["Ringe om sveisekurset"]
    assert sorted(texts("--everyone")) == ["Ringe om sveisekurset", "Skicka offerten"]
    assert_user_error(cli("due", "--everyone", "--broker", "Kari Nordmann"),
                      "give --everyone or --broker NAME, not both")


@pytest.mark.sqlite_only
def test_a_record_from_before_brokers_counts_as_mine_but_as_nobody_elses(db_path, cli, kari):
    assert cli("org", "add", "Fredrikstad Mek AS").code == 0
    assert cli("followup", "add", "Fredrikstad Mek", "--due", "today", "--text", "Gammel").code == 0
    store.close(db_path)
    with sqlite3.connect(db_path) as db:  # as megler 0.1 left it: no broker
        db.execute("UPDATE followup SET broker = NULL")
    assert [f["text"] for f in json.loads(cli("followup", "list", "--mine", "-f", "json").out)] == ["Gammel"]
    assert json.loads(cli("followup", "list", "--broker", "Kari Nordmann", "-f", "json").out) == []
    assert [i["text"] for i in json.loads(cli("due", "-f", "json").out)] == ["Gammel"]


def test_mine_and_broker_together_are_refused(db_path, cli, kari):
    assert cli("org", "add", "Fredrikstad Mek AS").code == 0
    for noun in ("contact", "visit", "need", "referral", "followup"):
        assert_user_error(cli(noun, "list", "--mine", "--broker", "Kari Nordmann"),
                          "give --mine or --broker NAME, not both")
        assert_user_error(cli(noun, "list", "--broker", " "), "--broker needs a name")


def test_on_postgresql_the_broker_is_the_login_not_the_setting(db_path, cli):
    if not store.is_url(db_path):
        pytest.skip("PostgreSQL's own")
    as_broker(cli, "Someone Else", "org", "add", "Fredrikstad Mek AS")
    as_broker(cli, "Someone Else", "need", "add", "Fredrikstad Mek", "Sveisekurs", "--kind", "competence")
    assert [n["broker"] for n in export(db_path)["tables"]["need"]] == ["postgres"]
