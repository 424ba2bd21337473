import json
import sys

import pytest

from tests.helpers import assert_user_error, at_terminal, count, editor, kept_draft

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

FILLED = """\
Date: 2026-09-10
Kind: phone
Orgs: Mek, Bryggeri
Contacts: 1
Need kind: rd
Follow-up: 2026-09-24
Follow-up text: Sende søknadsutkast til Kari

## Notes
Lang prat om SkatteFUNN.

Andre avsnitt med æøå.

## Since last time: what has happened, and how
Kursplanen kom fram; seks ansatte er påmeldt.

## Next steps: what we do before next time, and why it matters
Skrive FoU-søknad, fordi fristen er i oktober.

## Needs: one per line
FoU-prosjekt om robotsveising
Automatisert kvalitetskontroll
"""


@pytest.fixture(autouse=True)
def _templates_in_tmp_path(tmp_path, monkeypatch):
    """The editor's template files (kept after an error) land in the test's folder."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def test_visit_add_from_the_command_line(case_db, cli, today):
    code, out, err = cli("visit", "add", "Årjäng", "--date", "yesterday", "--kind", "video",
                         "--notes", "Ledarskap och kompetens", "--need", "Truckførerbevis",
                         "--need", "Lärling", "--need-kind", "apprenticeship",
                         "--follow-up", "+2w", "--follow-up-text", "Ringa Åsa")
    assert (code, out, err.strip()) == (0, "", "Added visit #2 on 2026-09-14")
    record = json.loads(cli("visit", "show", "2", "-f", "json").out)
    assert (record["date"], record["kind"], record["notes"]) == (
        "2026-09-14", "video", "Ledarskap och kompetens")
    assert [(n["text"], n["kind"]) for n in record["needs"]] == [
        ("Truckførerbevis", "apprenticeship"), ("Lärling", "apprenticeship")]
    followups = json.loads(cli("followup", "list", "-f", "json").out)
    assert ("2026-09-29", "Ringa Åsa", "Sågverket i Årjäng AB") in [
        (f["due"], f["text"], f["org"]) for f in followups]


def test_visit_add_with_the_editor(case_db, cli, tmp_path, today):
    env = {"EDITOR": editor(tmp_path, FILLED)}
    code, out, err = at_terminal(["visit", "add", "Mek", "--edit", "--need-kind", "rd"], env=env)
    assert (code, out, err.strip()) == (0, "", "Added visit #2 on 2026-09-10")

    seen = (tmp_path / "seen.md").read_text("utf-8")  # the template it was given
    assert "Date: today" in seen and "## Since last time" in seen
    assert "Orgs: Fredrikstad Mek AS\n" in seen  # the org meant, not "Mek" as typed

    record = json.loads(cli("visit", "show", "2", "-f", "json").out)
    assert (record["kind"], record["notes"]) == ("phone", "Lang prat om SkatteFUNN.\n\n"
                                                          "Andre avsnitt med æøå.")
    assert record["since_last"] == "Kursplanen kom fram; seks ansatte er påmeldt."
    assert record["next_steps"] == "Skrive FoU-søknad, fordi fristen er i oktober."
    assert [o["name"] for o in record["orgs"]] == ["Fredrikstad Mek AS",
                                                   "Fredrikstad Bryggeri AS"]
    assert [c["name"] for c in record["contacts"]] == ["Kari Ødegård"]
    assert [(n["text"], n["kind"]) for n in record["needs"]] == [
        ("FoU-prosjekt om robotsveising", "rd"), ("Automatisert kvalitetskontroll", "rd")]
    followups = json.loads(cli("followup", "list", "-f", "json").out)
    assert ("2026-09-24", "Sende søknadsutkast til Kari") in [(f["due"], f["text"])
                                                              for f in followups]


def test_the_editor_template_holds_what_was_typed(case_db, cli, tmp_path, today):
    env = {"EDITOR": editor(tmp_path, FILLED)}
    assert at_terminal(["visit", "add", "Mek", "-e", "--since-last", "Ny ordre", "--need", "Kurs",
                        "--follow-up", "+1w"], env=env).code == 0
    seen = (tmp_path / "seen.md").read_text("utf-8")
    assert "Follow-up: +1w" in seen
    assert "## Since last time: what has happened, and how\nNy ordre" in seen
    assert "## Needs: one per line\nKurs" in seen


def test_visual_wins_over_editor(case_db, cli, tmp_path, today):
    broken = tmp_path / "broken.py"
    broken.write_text("import sys; sys.exit(3)\n")
    env = {"VISUAL": editor(tmp_path, FILLED), "EDITOR": f"{sys.executable} {broken}"}
    assert at_terminal(["visit", "add", "Mek", "--edit"], env=env).code == 0


@pytest.mark.parametrize("body, fragment", [
    ("Orgs: Mek\nWeather: sunny\n", "cannot read this line"),
    ("Orgs:\n\n## Notes\nMøtet ble flyttet.\n", "which org?"),
    ("Orgs: Mek\nContacts: Ola\n## Notes\nMøte\n", "no contact at Fredrikstad Mek AS matches 'Ola'"),
    ("Orgs: Mek\nDate: i morgen\n\n## Notes\nMøte\n", "not a date"),
])
def test_an_unreadable_template_stores_nothing(case_db, cli, tmp_path, body, fragment):
    from tests.helpers import assert_user_error

    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": editor(tmp_path, body)})
    assert_user_error(ran, fragment)
    assert count(case_db, "visit") == 1


def test_a_failing_editor_stores_nothing(case_db, cli, tmp_path):
    from tests.helpers import assert_user_error

    broken = tmp_path / "broken.py"
    broken.write_text("import sys; sys.exit(3)\n")
    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": f"{sys.executable} {broken}"})
    assert_user_error(ran, "the editor failed; nothing was stored")
    assert count(case_db, "visit") == 1


def test_an_error_after_editing_keeps_what_was_written(case_db, cli, tmp_path):
    from tests.helpers import assert_user_error

    body = FILLED.replace("Date: 2026-09-10", "Date: 2026-02-30")
    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": editor(tmp_path, body)})
    assert_user_error(ran, "not a date: '2026-02-30'", "what you wrote is kept in ")
    kept = kept_draft(ran.err)
    try:
        assert kept.read_text("utf-8") == body  # the broker's minutes of typing
    finally:
        kept.unlink()
    assert count(case_db, "visit") == 1


def test_a_template_saved_without_text_stores_nothing(case_db, cli, tmp_path):
    from tests.helpers import assert_user_error

    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": editor(tmp_path, "Orgs: Mek\n")})
    assert_user_error(ran, "the template came back with no text; nothing was stored")
    assert count(case_db, "visit") == 1


def test_a_missing_editor_is_a_user_error(case_db, cli, tmp_path):
    from tests.helpers import assert_user_error

    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": str(tmp_path / "no-such-editor")})
    assert_user_error(ran, "cannot start the editor", "set $EDITOR")
    assert count(case_db, "visit") == 1


@pytest.mark.parametrize("args, fragment", [
    (["--follow-up-text", "Ringe Kari"], "a follow-up text needs a date (--follow-up DATE)"),
    (["--need-kind", "rd"], "--need-kind needs --need TEXT"),
])
def test_an_option_without_the_one_it_needs_is_refused(case_db, cli, args, fragment):
    from tests.helpers import assert_user_error

    assert_user_error(cli("visit", "add", "Mek", "--notes", "Møte", *args, input=""), fragment)
    assert count(case_db, "visit") == 1


def test_without_a_terminal_it_never_opens_the_editor_or_waits(case_db, cli, tmp_path):
    # No notes and no --edit: in a terminal this would open the editor; in a script it
    # stores what was given, and the editor (which would record its call) never runs.
    env = {"EDITOR": editor(tmp_path, FILLED)}
    code, out, err = cli("visit", "add", "Mek", "--need", "Truckførerkurs", env=env, input="")
    assert (code, out) == (0, "") and "Added visit #2" in err
    assert not (tmp_path / "seen.md").exists()
    # And without an org it refuses at once instead of prompting.
    code, out, err = cli("visit", "add", env=env, input="Mek\n")
    assert (code, out) == (1, "")
    assert err.startswith("Error: which org?")
    assert count(case_db, "visit") == 2


def test_a_script_cannot_store_an_empty_visit(case_db, cli):
    """`visit add Rana < /dev/null` once stored an empty visit that the report counted."""
    ran = cli("visit", "add", "Bryggeri", "--kind", "phone", input="")
    assert_user_error(ran, "a visit needs some text", "nothing was stored")
    assert count(case_db, "visit") == 1


def test_visit_list_and_edit(case_db, cli, today):
    assert cli("visit", "add", "Bryggeri", "--date", "2026-09-10", "--notes", "Kort prat").code == 0
    rows = json.loads(cli("visit", "list", "-f", "json").out)
    assert [(v["id"], v["date"], v["orgs"]) for v in rows] == [
        (2, "2026-09-10", "Fredrikstad Bryggeri AS"), (1, "2026-09-01", "Fredrikstad Mek AS")]
    assert [v["id"] for v in json.loads(cli("visit", "list", "--org", "Mek", "-f", "json").out)] \
        == [1]
    assert [v["id"] for v in json.loads(cli("visit", "list", "--since", "2026-09-05",
                                            "-f", "json").out)] == [2]
    assert [v["id"] for v in json.loads(cli("visit", "list", "--until", "-2w",
                                            "-f", "json").out)] == [1]
    code, out, err = cli("visit", "edit", "2", "--kind", "phone", "--next-steps",
                         "Sende tilbud fra fagskolen innen fredag")
    assert (code, out, err.strip()) == (0, "", "Updated visit #2")
    record = json.loads(cli("visit", "show", "2", "-f", "json").out)
    assert (record["kind"], record["next_steps"], record["date"]) == (
        "phone", "Sende tilbud fra fagskolen innen fredag", "2026-09-10")
    code, out, err = cli("visit", "show", "1")
    assert code == 0 and err == "" and "Kari Ødegård" in out and "Møte på verkstedet" in out
