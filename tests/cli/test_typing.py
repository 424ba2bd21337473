"""Typing at the keyboard (issue 11): contacts by name, templates fed back with --from,
editors that never wait, typos, --db anywhere, readable help, no store made by reading,
progress in a terminal."""

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from megler.cli import app
from tests.helpers import Ran, assert_user_error, at_terminal, count, editor, kept_draft, read_terminal

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"


@pytest.fixture
def people(case_db, cli):
    """Two Anders at two orgs, and Kåre Bjørnstad at Mek (Kari Ødegård is #1 there)."""
    for org, name in [("Mek", "Anders Berg"), ("Bryggeri", "Anders Moe"), ("Mek", "Kåre Bjørnstad")]:
        assert cli("contact", "add", org, name).code == 0
    return case_db


def _contacts(cli, visit: int) -> list[str]:
    return [c["name"] for c in json.loads(cli("visit", "show", str(visit), "-f", "json").out)["contacts"]]


# -- contacts by name ---------------------------------------------------------------------

def test_a_contact_is_named_by_name_among_the_visits_orgs(people, cli):
    ran = cli("visit", "add", "Mek", "--contact", "Anders", "--contact", "kåre", "--notes", "Møte")
    assert ran.code == 0, ran.err
    assert sorted(_contacts(cli, 2)) == ["Anders Berg", "Kåre Bjørnstad"]


def test_a_name_shared_by_the_visits_orgs_lists_the_candidates(people, cli):
    ran = cli("visit", "add", "Mek", "--org", "Bryggeri", "--contact", "Anders", "--notes", "Møte")
    assert_user_error(ran, "'Anders' matches several contacts", "#2 Anders Berg", "#3 Anders Moe")
    assert "valid integer" not in ran.err
    assert count(people, "visit") == 1


def test_a_contact_of_another_org_is_not_found_there(people, cli):
    ran = cli("visit", "add", "Bryggeri", "--contact", "Kåre", "--notes", "Møte")
    assert_user_error(ran, "no contact at Fredrikstad Bryggeri AS matches 'Kåre'")


def test_the_templates_contacts_line_takes_names_in_any_normal_form(people, cli, tmp_path):
    body = "Orgs: Mek\nContacts: K\u0061\u030are Bj\u00f8rnstad, Anders\n\n## Notes\nMøte\n"  # NFD å
    ran = at_terminal(["visit", "add", "Mek", "--edit"], env={"EDITOR": editor(tmp_path, body)})
    assert ran.code == 0, ran.err
    assert sorted(_contacts(cli, 2)) == ["Anders Berg", "Kåre Bjørnstad"]


def test_the_template_shows_the_orgs_and_contacts_by_their_names(people, cli, tmp_path):
    body = "Orgs: Mek\n\n## Notes\nMøte\n"
    ran = at_terminal(["visit", "add", "Mek", "--org", "923 609 016", "-c", "kari@fmek.no",
                       "--edit"], env={"EDITOR": editor(tmp_path, body)})
    assert ran.code == 0, ran.err
    seen = (tmp_path / "seen.md").read_text("utf-8")
    assert "Orgs: Fredrikstad Mek AS, Fredrikstad Bryggeri AS\n" in seen
    assert "Contacts: Kari Ødegård\n" in seen


def test_a_typo_in_the_org_fails_before_the_editor_opens(people, cli, tmp_path):
    ran = at_terminal(["visit", "add", "Mekk", "--edit"], env={"EDITOR": editor(tmp_path, "")})
    assert_user_error(ran, "no org matches 'Mekk'")
    assert not (tmp_path / "seen.md").exists()


# -- visit add --from ---------------------------------------------------------------------

def _kept(tmp_path: Path, body: str, *args: str) -> Ran:
    return at_terminal(["visit", "add", "Mek", "--edit", *args],
                       env={"EDITOR": editor(tmp_path, body)})


def test_a_kept_template_is_stored_with_the_command_the_error_names(case_db, cli, tmp_path):
    ran = _kept(tmp_path, "Orgs: Mek\nDate: 2026-02-30\n\n## Notes\nLang prat om sveis\n")
    assert_user_error(ran, "not a date", "megler visit add --from ")
    draft = kept_draft(ran.err)
    assert draft.parent == case_db.with_name("megler.db.drafts")
    draft.write_text(draft.read_text("utf-8").replace("2026-02-30", "2026-09-14"), "utf-8")
    command = re.search(r"`(megler visit add [^`]+)`", ran.err).group(1)
    code, out, err = cli(*command.split()[1:], input="")  # the command as the error gives it
    assert (code, out, err.strip()) == (0, "", "Added visit #2 on 2026-09-14")
    assert json.loads(cli("visit", "show", "2", "-f", "json").out)["notes"] == "Lang prat om sveis"
    assert not draft.exists()  # megler's own draft goes once stored


def test_the_command_names_the_store_when_it_is_not_the_default(case_db, cli, tmp_path):
    other = tmp_path / "other.db"
    shutil.copy(case_db, other)
    ran = _kept(tmp_path, "Orgs: Mek\nDate: i går\n\n## Notes\nMøte\n", "--db", str(other))
    assert_user_error(ran, f"megler visit add --db {other} --from {other}.drafts/visit-")


def test_a_template_of_ones_own_is_stored_and_left_in_place(case_db, cli, tmp_path):
    own = tmp_path / "møte.md"
    own.write_text("Orgs: Bryggeri\nKind: phone\n\n## Needs: one per line\nTruckførerkurs\n", "utf-8")
    code, _, err = cli("visit", "add", "--from", str(own), input="")
    assert (code, err.splitlines()[0]) == (0, "Added visit #2 on 2026-09-15")
    assert own.exists()
    assert json.loads(cli("visit", "show", "2", "-f", "json").out)["kind"] == "phone"


@pytest.mark.parametrize("args, fragment", [
    (["Mek"], "--from FILE holds the whole visit"),
    (["--notes", "Møte"], "--from FILE holds the whole visit"),
])
def test_from_with_the_fields_on_the_command_line_is_refused(case_db, cli, tmp_path, args, fragment):
    own = tmp_path / "v.md"
    own.write_text("Orgs: Mek\n\n## Notes\nMøte\n", "utf-8")
    assert_user_error(cli("visit", "add", *args, "--from", str(own), input=""), fragment)
    assert count(case_db, "visit") == 1


def test_a_broken_template_given_with_from_says_how_to_run_it_again(case_db, cli, tmp_path):
    own = tmp_path / "v.md"
    own.write_text("Orgs: Mek\nWeather: sunny\n", "utf-8")
    assert_user_error(cli("visit", "add", "--from", str(own), input=""),
                      "cannot read this line", f"megler visit add --from {own}")
    assert own.exists()


# -- editors never wait -------------------------------------------------------------------

def _waiting_editors(tmp_path: Path) -> list[str]:
    script = tmp_path / "waits.py"
    script.write_text("import time; time.sleep(120)\n")
    return [f"{sys.executable} {script}"] + (["vim"] if shutil.which("vim") else [])


def test_edit_without_a_terminal_refuses_whatever_the_editor(case_db, tmp_path):
    for waiting in _waiting_editors(tmp_path):  # vim < /dev/null once hung for ever
        process = subprocess.Popen([sys.executable, "-m", "megler", "visit", "add", "Mek", "--edit"],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True,
                                   env=os.environ | {"EDITOR": waiting})
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.communicate()
            pytest.fail(f"megler waited for the editor {waiting!r} with no terminal")
        assert (process.returncode, out) == (1, "")
        assert err.startswith("Error: --edit needs a terminal"), err
        assert "--from FILE" in err and len(err.splitlines()) == 1
    assert count(case_db, "visit") == 1


def test_from_with_edit_needs_a_terminal_too(case_db, cli, tmp_path):
    own = tmp_path / "v.md"
    own.write_text("Orgs: Mek\n\n## Notes\nMøte\n", "utf-8")
    ran = cli("visit", "add", "--from", str(own), "--edit", input="", env={"EDITOR": editor(tmp_path, "")})
    assert_user_error(ran, "--edit needs a terminal")
    assert not (tmp_path / "seen.md").exists()


# -- the command line ---------------------------------------------------------------------

@pytest.mark.parametrize("typo, meant", [("vist", "visit"), ("orgs", "org"), ("serch", "search")])
def test_a_mistyped_command_gets_a_suggestion(cli, typo, meant):
    code, out, err = cli(typo)
    assert (code, out) == (2, "")
    assert f"No such command '{typo}'. Did you mean '{meant}'?" in err


def test_db_is_taken_before_the_command_too(case_db, cli, tmp_path):
    other = tmp_path / "other.db"
    assert cli("--db", other, "org", "add", "Halden Tre AS").code == 0  # $MEGLER_DB is case_db
    names = [o["name"] for o in json.loads(cli("--db", other, "org", "list", "-f", "json").out)]
    assert names == ["Halden Tre AS"]
    assert count(case_db, "org") == 3
    after = json.loads(cli("--db", other, "org", "list", "--db", case_db, "-f", "json").out)
    assert len(after) == 3  # --db after the command wins


def _help_pages():
    def walk(command, path=()):
        if isinstance(command, TyperGroup):
            for name in command.list_commands(None):
                yield from walk(command.get_command(None, name), (*path, name))
        yield path

    return list(walk(typer.main.get_command(app)))


@pytest.mark.parametrize("path", _help_pages(), ids=lambda p: " ".join(p) or "megler")
def test_help_shows_placeholders_in_words_and_completion_only_at_the_top(cli, path):
    code, out, err = cli(*path, "--help")
    assert (code, err) == (0, "")
    arguments = out.splitlines()[0].split("[OPTIONS]")[-1]
    assert "{" not in arguments and arguments == arguments.upper(), arguments  # not {ORG} {name}
    assert not re.search(r"<[a-z][\w\[\]|, ]*>", out), out     # <str>, <list[str]>, <int>
    assert ("--install-completion" in out) == (path == ())


def test_audit_names_the_entities_when_one_is_mistyped(case_db, cli):
    assert_user_error(cli("audit", "--entity", "orgz"), "unknown entity: 'orgz'", "org,", "contact")
    rows = json.loads(cli("audit", "--entity", "contact", "-f", "json").out)
    assert rows and {r["entity"] for r in rows} == {"contact"}


# -- reading never creates a store --------------------------------------------------------

READING = [["org", "list"], ["org", "show", "1"], ["contact", "list"], ["visit", "list"],
           ["need", "list"], ["referral", "list"], ["followup", "list"], ["goal", "list"],
           ["catalog", "list"], ["due"], ["search", "sveis"], ["report"], ["export"],
           ["audit"], ["match", "--all"], ["check"], ["backup"], ["undo"], ["retention"]]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_reading_command_says_there_is_no_store_and_where_it_looked(cli, tmp_path, args):
    missing = tmp_path / "mistyped.db"
    assert_user_error(cli(*args, "--db", missing, input=""), f"there is no store at {missing}")
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_writing_command_creates_the_store(cli, tmp_path):
    new = tmp_path / "ny.db"
    assert cli("--db", new, "org", "add", "Halden Tre AS").code == 0
    assert new.exists()


# -- progress -----------------------------------------------------------------------------

def _watched(args: list[str]) -> tuple[int, str]:
    """`megler ARGS` with stderr on a terminal: its exit code and what the terminal showed."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "megler", *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=slave,
                               env=os.environ | {"COLUMNS": "100", "TERM": "xterm"})
    os.close(slave)
    shown: list[bytes] = []
    reader = threading.Thread(target=lambda: shown.append(read_terminal(master)))
    reader.start()
    code = process.wait(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return code, b"".join(shown).decode("utf-8", "replace")


def test_long_steps_show_a_bar_on_a_terminal(case_db, cli):
    code, shown = _watched(["catalog", "import", str(EXAMPLES)])
    assert code == 0 and "Reading the catalog" in shown
    assert cli("need", "add", "Mek", "Kurs i robotsveising for to operatører").code == 0
    code, shown = _watched(["match", "--all", "-f", "json"])
    assert code == 0
    assert 0 <= shown.index("Building the match index") < shown.index("Matching open needs")
    code, shown = _watched(["check"])
    assert code == 0 and "Checking the records" in shown
    code, shown = _watched(["export"])
    assert code == 0 and "Exporting" in shown


def test_no_bar_when_stderr_is_not_a_terminal(case_db, cli):
    code, out, err = cli("catalog", "import", str(EXAMPLES))
    assert code == 0 and err.startswith("Imported 5 files") and len(err.splitlines()) == 1
    code, out, err = cli("match", "--all", "-f", "json")
    assert (code, err) == (0, "")
