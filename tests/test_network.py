"""A network of brokers on one PostgreSQL store: `megler network`, and the row-level
security that holds for any client. Each broker connects as their own role, through
megler and with plain psycopg."""

import json

import psycopg
import pytest

from megler import store
from tests import postgres
from tests.helpers import assert_user_error

pytestmark = pytest.mark.usefixtures("any_postgres")


@pytest.fixture
def network(cli):
    """A network's store with two brokers and a coordinator; Kari has met Fredrikstad Mek."""
    url = postgres.fresh()
    tag = url.split("?")[0].rsplit("/", 1)[1]
    names = {who: f"{who}_{tag}" for who in ("kari", "lars", "koord")}
    assert cli("network", "init", "--db", url).code == 0
    for who, name in names.items():
        extra = ["--coordinator"] if who == "koord" else []
        ran = cli("network", "add-broker", name, *extra, "--password-stdin", "--db", url,
                  input="et langt passord\n")
        assert ran.code == 0, ran.err
    roles = {who: as_role(url, name) for who, name in names.items()}
    kari = roles["kari"]
    for args in (["org", "add", "Fredrikstad Mek AS"],
                 ["contact", "add", "Fredrikstad Mek AS", "Åse Bjørnstad", "--email", "ase@fmek.no"],
                 ["visit", "add", "Fredrikstad Mek AS", "--date", "2026-09-01", "--notes",
                  "Ordren fra Equinor er hemmelig", "--need", "Sveisekurs for 6 ansatte",
                  "--follow-up", "2026-09-20", "--follow-up-text", "Ringe Åse om sveisekurset"]):
        ran = cli(*args, "--db", kari)
        assert ran.code == 0, ran.err
    yield {"url": url, "names": names, **roles}
    postgres.drop(url)


def as_role(url: str, role: str) -> str:
    """The same database, logged in as `role` (the test server trusts its socket)."""
    head, _, query = url.partition("?")
    scheme, rest = head.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}?{query}"


def _sql(url: str, statement: str, *params) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else [(cursor.rowcount,)]


def test_brokers_are_roles_in_the_network_groups(cli, network):
    ran = cli("network", "brokers", "--format", "json", "--db", network["url"])
    assert ran.code == 0, ran.err
    names = network["names"]
    assert json.loads(ran.out) == [
        {"name": name, "coordinator": who == "koord", "login": True}
        for who, name in sorted(names.items(), key=lambda kv: kv[1])]


def test_a_password_made_by_megler_is_printed_once_and_a_given_one_never(cli, network):
    made = cli("network", "add-broker", f"ny_{network['names']['kari']}", "--db", network["url"])
    assert made.code == 0 and len(made.out.strip()) >= 20
    given = cli("network", "add-broker", f"to_{network['names']['kari']}", "--password-stdin",
                "--db", network["url"], input="et langt passord\n")
    assert given.code == 0 and "passord" not in given.out + given.err
    stored = _sql(network["url"], "SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                  f"to_{network['names']['kari']}")
    assert stored[0][0].startswith("SCRAM-SHA-256$")


def test_bad_broker_names_and_short_passwords_are_one_line(cli, network):
    assert_user_error(cli("network", "add-broker", "1kari", "--db", network["url"]),
                      "cannot be a broker's name")
    assert_user_error(cli("network", "add-broker", "kort_passord", "--password-stdin",
                          "--db", network["url"], input="kort\n"), "at least 8 characters")
    assert_user_error(cli("network", "add-broker", network["names"]["kari"], "--db", network["url"]),
                      "is a role on this server already")


def test_a_network_needs_postgresql_and_its_init(cli, tmp_path):
    assert_user_error(cli("network", "init", "--db", tmp_path / "megler.db"), "PostgreSQL store")
    url = postgres.fresh()
    try:
        assert_user_error(cli("network", "brokers", "--db", url), "megler network init")
    finally:
        postgres.drop(url)


def test_every_broker_sees_the_visits_and_needs_but_not_the_contacts(cli, network):
    lars = network["lars"]
    visits = cli("visit", "list", "--format", "json", "--db", lars)
    assert '"date": "2026-09-01"' in visits.out and network["names"]["kari"] in visits.out
    assert "Sveisekurs for 6 ansatte" in cli("need", "list", "--db", lars).out
    assert "Åse" not in cli("contact", "list", "--db", lars).out
    assert "Åse" in cli("contact", "list", "--db", network["kari"]).out
    assert "Åse" in cli("contact", "list", "--db", network["koord"]).out


def test_follow_ups_and_the_audit_log_are_their_brokers(cli, network):
    lars, kari = network["lars"], network["kari"]
    assert "Ringe Åse" in cli("followup", "list", "--db", kari).out
    assert "Ringe Åse" not in cli("followup", "list", "--db", lars).out
    assert "Ringe Åse" in cli("followup", "list", "--db", network["koord"]).out
    assert "visit add" in cli("audit", "--db", kari).out
    assert "visit add" not in cli("audit", "--db", lars).out


def test_search_finds_a_colleagues_notes_and_contacts_for_no_one_else(cli, network):
    for words in ("Equinor", "Bjørnstad"):
        assert "no matches" in cli("search", words, "--db", network["lars"]).err + \
            cli("search", words, "--db", network["lars"]).out
        assert words.lower() in cli("search", words, "--db", network["kari"]).out.lower()
    assert "Fredrikstad Mek" in cli("search", "Fredrikstad", "--db", network["lars"]).out


def test_megler_refuses_to_change_a_colleagues_record_in_one_line(cli, network):
    lars = network["lars"]
    before = _sql(network["url"], "SELECT notes FROM visit")
    assert_user_error(cli("visit", "edit", "1", "--notes", "Lars var her", "--db", lars),
                      f"visit #1 is {network['names']['kari']}'s")
    assert_user_error(cli("need", "close", "1", "--db", lars), "changes only their own records")
    assert _sql(network["url"], "SELECT notes FROM visit") == before
    assert cli("visit", "edit", "1", "--notes", "Koordinatoren retter", "--db", network["koord"]).code == 0


def test_the_server_holds_the_policy_for_any_client(network):
    """Plain psycopg as Lars: what the policy forbids is not there, or not changed."""
    lars, kari = network["lars"], network["names"]["kari"]
    assert _sql(lars, "SELECT count(*) FROM contact") == [(0,)]
    assert _sql(lars, "SELECT count(*) FROM followup") == [(0,)]
    assert _sql(lars, "SELECT count(*) FROM audit") == [(0,)]
    assert _sql(lars, "SELECT count(*) FROM search WHERE body LIKE '%equinor%'") == [(0,)]
    assert _sql(lars, "SELECT date::text, kind, broker FROM visit") == [("2026-09-01", "visit", kari)]
    assert _sql(lars, "UPDATE visit SET kind = 'event'") == [(0,)]
    assert _sql(lars, "DELETE FROM need") == [(0,)]
    assert _sql(lars, "DELETE FROM contact") == [(0,)]
    assert _sql(lars, "UPDATE referralevent SET status = 'granted'") == [(0,)]
    for forbidden in (f"INSERT INTO contact (org_id, name, broker) VALUES (1, 'Falsk', '{kari}')",
                      f"INSERT INTO visit (date, kind, broker) VALUES ('2026-09-02', 'visit', '{kari}')",
                      "UPDATE audit SET command = 'skjult'",
                      "INSERT INTO _migrations VALUES ('m999', 'nå')",
                      "DROP TABLE visit_row"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(lars, forbidden)
    assert _sql(network["url"], "SELECT count(*) FROM contact") == [(1,)]
    assert _sql(network["url"], "SELECT kind FROM visit") == [("visit",)]
    assert _sql(network["koord"], "SELECT count(*) FROM contact") == [(1,)]
    assert _sql(network["koord"], "UPDATE need SET people = 6") == [(1,)]


def test_a_removed_broker_cannot_log_in_and_their_records_stay(cli, network):
    kari = network["names"]["kari"]
    ran = cli("network", "remove-broker", kari, "--db", network["url"])
    assert ran.code == 0, ran.err
    store.close(network["kari"])  # as a new megler process would: no connection kept open
    assert_user_error(cli("visit", "list", "--db", network["kari"]), "refused the login")
    assert kari in cli("visit", "list", "--format", "json", "--db", network["lars"]).out
    assert '"login": false' in cli("network", "brokers", "--format", "json", "--db", network["url"]).out
    assert_user_error(cli("network", "remove-broker", "ingen_slik", "--db", network["url"]),
                      "no broker ingen_slik")


def test_a_colleagues_notes_are_not_there_for_megler_or_any_client(cli, network):
    lars, koord = network["lars"], network["koord"]
    assert _sql(lars, "SELECT notes, broker FROM visit") == [(None, network["names"]["kari"])]
    assert _sql(koord, "SELECT notes FROM visit") == [("Ordren fra Equinor er hemmelig",)]
    assert _sql(network["kari"], "SELECT notes FROM visit") == [("Ordren fra Equinor er hemmelig",)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(lars, "SELECT notes FROM visit_row")
    assert _sql(lars, "SELECT date::text FROM visit_row") == [("2026-09-01",)]
    shown = cli("visit", "show", "1", "--format", "json", "--db", lars)
    assert shown.code == 0 and "Equinor" not in shown.out, shown.err
    assert "Equinor" in cli("visit", "show", "1", "--format", "json", "--db", network["kari"]).out
    assert "Equinor" not in cli("export", "--db", lars).out


def test_a_brokers_day_runs_on_the_network_store(cli, network):
    """The commands a broker runs, as a broker: the views over private text take writes."""
    kari = network["kari"]
    for args in (["referral", "add", "1", "--to", "Innovasjon Norge", "--free-text", "--note", "Privat"],
                 ["referral", "update", "1", "--status", "applied", "--amount-applied", "300000"],
                 ["referral", "edit", "1", "--amount-applied", "350000"],
                 ["followup", "done", "1"], ["due"], ["check"], ["report", "-p", "2026Q3"],
                 ["visit", "edit", "1", "--since-last", "Ny ordre"], ["undo", "--yes"]):
        ran = cli(*args, "--db", kari)
        assert ran.code == 0, (args, ran.err)
    assert _sql(network["lars"], "SELECT note, status FROM referral") == [(None, "applied")]
    assert _sql(network["lars"], "SELECT note, amount_applied FROM referralevent ORDER BY id") == [
        (None, None), (None, 350_000)]
    assert _sql(kari, "SELECT note FROM referral") == [("Privat",)]


def test_adding_an_org_a_colleague_has_uses_theirs(cli, network):
    lars = network["lars"]
    ran = cli("org", "add", "fredrikstad mek as", "--db", lars)
    assert ran.code == 0, ran.err
    assert ran.err.startswith("#1 Fredrikstad Mek AS is in the network's store already; "
                              f"last visit 2026-09-01 by {network['names']['kari']}")
    assert _sql(network["url"], "SELECT count(*) FROM org") == [(1,)]
    assert cli("org", "add", "Moss Data AS", "--db", lars).err.startswith("Added org #2")


def test_org_show_gives_a_colleagues_visits_without_their_text(cli, network):
    cli("visit", "edit", "1", "--since-last", "Hemmelig ordre", "--db", network["kari"])
    shown = json.loads(cli("org", "show", "1", "--format", "json", "--db", network["lars"]).out)
    assert shown["visits"] == [{"id": 1, "date": "2026-09-01", "kind": "visit",
                                "broker": network["names"]["kari"], "since_last": None,
                                "next_steps": None}]
    assert shown["contacts"] == [] and shown["followups"] == []


@pytest.mark.slow
def test_twenty_brokers_writing_at_once_lose_nothing_and_see_nothing_of_each_other():
    """16 processes, each a broker of 20, 25 mixed writes each (benchmarks/network.py)."""
    from benchmarks import network as load

    url = postgres.fresh()
    try:
        names = load.set_up(url, 20, url.split("?")[0].rsplit("/", 1)[1])
        ran = load.write_at_once(url, names, processes=16, writes=25)
        assert (ran["tracebacks"], ran["failed"]) == (0, 0), ran["first_error"]
        assert load.audit(url, names, ran["writers"], writes=25) == {"lost": 0, "leaked": 0}
    finally:
        store.close(url)
        postgres.drop(url)


def test_joining_a_brokers_own_store_brings_it_once_under_their_name(cli, network, tmp_path):
    own = tmp_path / "eget.db"
    for args in (["org", "add", "Fredrikstad Mek AS"],  # the network has it (same name)
                 ["org", "add", "Moss Data AS", "--orgnr", "923609016", "--municipality", "Moss"],
                 ["org", "add", "Fredrikstad Mekk"],  # likely the same: listed, added apart
                 ["contact", "add", "Moss Data AS", "Per Ås"],
                 ["visit", "add", "Moss Data AS", "--date", "2026-08-01", "--notes", "Eget notat",
                  "--need", "Kurs i maskinlæring", "--contact", "Per Ås"],
                 ["visit", "add", "Fredrikstad Mek AS", "--date", "2026-08-02", "--notes", "Møtt igjen"],
                 ["referral", "add", "1", "--to", "Fagskolen", "--free-text"],
                 ["referral", "update", "1", "--status", "applied"]):
        assert cli(*args, "--db", own).code == 0, args
    lars = network["lars"]
    before = _sql(network["url"], "SELECT count(*) FROM visit")
    dry = cli("network", "join", own, "--dry-run", "--db", lars)
    assert dry.code == 0, dry.err
    assert "Would bring" in dry.err and "Dry run: nothing was changed" in dry.err
    assert _sql(network["url"], "SELECT count(*) FROM visit") == before
    ran = cli("network", "join", own, "--db", lars)
    assert ran.code == 0, ran.err
    assert "2 org" in ran.err and "2 visit" in ran.err and "Fredrikstad Mek AS" in ran.err
    assert "Unsure: 'Fredrikstad Mekk' may be #1 Fredrikstad Mek AS" in ran.err
    name = network["names"]["lars"]
    assert _sql(network["url"], "SELECT count(*) FROM org") == [(3,)]
    assert _sql(network["url"], "SELECT DISTINCT broker FROM visit WHERE id > 1") == [(name,)]
    assert _sql(network["url"], "SELECT o.name FROM visit v JOIN visitorg vo ON vo.visit_id = v.id "
                                "JOIN org o ON o.id = vo.org_id WHERE v.notes = 'Møtt igjen'") == [
        ("Fredrikstad Mek AS",)]
    assert _sql(network["url"], "SELECT e.status FROM referralevent e JOIN referral r ON r.id = e.referral_id "
                                "ORDER BY e.id") == [("suggested",), ("applied",)]
    import sqlite3

    with sqlite3.connect(own) as db:
        logged = db.execute("SELECT count(*) FROM audit WHERE command = 'megler visit add'").fetchone()
    assert _sql(lars, "SELECT count(*) FROM audit WHERE command = 'megler visit add'") == [logged]
    assert _sql(lars, "SELECT count(*) FROM contact") == [(1,)]
    again = cli("network", "join", own, "--db", lars)
    assert again.code == 0 and "nothing new" in again.err
    assert _sql(network["url"], "SELECT count(*) FROM visit") == [(before[0][0] + 2,)]


def test_the_clusters_are_the_networks_and_each_broker_reports_by_them(cli, network, tmp_path):
    """A coordinator imports the clusters; a broker lists them and breaks the report down by
    them, with a colleague's visit counted in its cluster."""
    clusters = tmp_path / "kommunegrupper.yaml"
    clusters.write_text("clusters:\n  Nedre Glomma: [Fredrikstad, Sarpsborg]\n", encoding="utf-8")
    assert cli("org", "edit", "Fredrikstad Mek AS", "--municipality", "Fredrikstad",
               "--since", "2026-01-01", "--db", network["kari"]).code == 0
    ran = cli("network", "clusters", "import", clusters, "--db", network["koord"])
    assert ran.code == 0, ran.err
    assert ran.err.splitlines()[1:] == ["Warning: no org in the store is in Sarpsborg"]
    lars = network["lars"]
    listed = json.loads(cli("network", "clusters", "--format", "json", "--db", lars).out)
    assert listed == [{"name": "Nedre Glomma", "municipalities": ["Fredrikstad", "Sarpsborg"], "orgs": 1}]
    report = cli("report", "-p", "2026Q3", "--by", "cluster", "--format", "json", "--db", lars)
    assert report.code == 0, report.err
    rows = {r["name"]: r for r in json.loads(report.out)["breakdown"]["rows"]}
    assert list(rows) == ["Nedre Glomma"] and rows["Nedre Glomma"]["visits"] == 1


def test_init_again_puts_the_policy_back_and_keeps_the_records(cli, network):
    """After an upgrade the owner runs init again: views, policies and grants are rebuilt."""
    ran = cli("network", "init", "--db", network["url"])
    assert ran.code == 0, ran.err
    assert _sql(network["lars"], "SELECT notes FROM visit") == [(None,)]
    assert _sql(network["kari"], "SELECT notes FROM visit") == [("Ordren fra Equinor er hemmelig",)]
    assert _sql(network["lars"], "SELECT count(*) FROM contact") == [(0,)]
    assert cli("visit", "add", "Fredrikstad Mek AS", "--notes", "Lars sitt", "--db", network["lars"]).code == 0
    assert _sql(network["kari"], "SELECT notes FROM visit ORDER BY id") == [
        ("Ordren fra Equinor er hemmelig",), (None,)]
