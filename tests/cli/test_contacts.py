import json

import pytest

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_contact_add_list_show_edit(case_db, cli):
    code, out, err = cli("contact", "add", "Årjäng", "Åsa Öberg", "--role", "VD",
                         "--email", "asa@sag.se", "--phone", "+46 70 000 00 00")
    assert (code, out, err.strip()) == (0, "", "Added contact #2")

    code, out, err = cli("contact", "list", "-f", "json")
    assert (code, err) == (0, "")
    assert [(c["name"], c["org"]) for c in json.loads(out)] == [
        ("Kari Ødegård", "Fredrikstad Mek AS"), ("Åsa Öberg", "Sågverket i Årjäng AB")]
    assert [c["name"] for c in json.loads(cli("contact", "list", "årjäng", "-f", "json").out)] \
        == ["Åsa Öberg"]

    code, out, err = cli("contact", "edit", "2", "--role", "Styreleder", "--org", "Mek")
    assert (code, out, err.strip()) == (0, "", "Updated contact #2")
    record = json.loads(cli("contact", "show", "2", "-f", "json").out)
    assert (record["name"], record["role"], record["org_id"], record["email"]) == (
        "Åsa Öberg", "Styreleder", 1, "asa@sag.se")

    code, out, err = cli("contact", "show", "2")
    assert code == 0 and "Åsa Öberg" in out and "Styreleder" in out and err == ""


def test_a_contact_is_named_as_a_broker_names_them(case_db, cli):
    assert cli("contact", "add", "Mek", "Kari Holm", "--email", "holm@fmek.no").code == 0
    assert json.loads(cli("contact", "show", "Ødegård", "-f", "json").out)["id"] == 1
    assert json.loads(cli("contact", "show", "HOLM@fmek.no", "-f", "json").out)["id"] == 2
    ran = cli("contact", "show", "Kari")
    assert ran.code == 1 and "matches several contacts: #1 Kari Ødegård, #2 Kari Holm" in ran.err
    code, _, err = cli("visit", "add", "Mek", "--contact", "Ødegård", "--contact", "holm",
                       "--notes", "Møte")
    assert code == 0, err
    visit = json.loads(cli("visit", "show", "2", "-f", "json").out)
    assert [c["name"] for c in visit["contacts"]] == ["Kari Ødegård", "Kari Holm"]
