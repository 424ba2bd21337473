"""Safe output: what megler shows, writes and opens is what the broker meant.

Control characters are escaped on the terminal and refused in names; CSV from every
command quotes CR and LF and keeps formulas dead; `--out` never replaces a file unasked,
a link or a device; `--db` is a path, never a URL.
"""

import csv
import io
import json
import os
import pty
import sqlite3
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from megler.text import CONTROL
from tests.helpers import assert_user_error, read_terminal

# What a hostile catalog or an old store may hold: an escape sequence (ESC and C1 CSI),
# a carriage return that would overwrite the line, NUL, a line separator, a bidi override.
NASTY = "A\x1b[31mB\x9b31mC\rD\x00E\u2028F\u202eG"
YAML_NASTY = r'"A\e[31mB\x9b31mC\rD\0E\LF\u202eG"'  # the same, as YAML escapes


def raw_controls(text: str) -> list[str]:
    return CONTROL.findall(text)


def catalog_file(tmp_path: Path, *, name: str = "Ordning for test",
                 description: str = '"En ordning for test."') -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(f"""instruments:
  - key: test-instrument
    name: {name}
    agency: Testbyrå
    description: {description}
    keywords: [test]
    language: nb
    country: "NO"
    regions: ["*"]
    audience: [company]
""", encoding="utf-8")
    return path


# -- control characters on the terminal ----------------------------------------------------

def test_catalog_text_reaches_the_screen_escaped(cli, tmp_path):
    assert cli("catalog", "import", catalog_file(tmp_path, description=YAML_NASTY)).code == 0
    code, out, err = cli("catalog", "show", "test-instrument")
    assert (code, raw_controls(out + err)) == (0, [])
    assert r"A\x1b[31mB\x9b31mC\rD\x00E\u2028F\u202eG" in out.replace("\n", "").replace(" ", "")


def test_an_old_store_s_control_characters_are_escaped_in_every_table(case_db, cli):
    with sqlite3.connect(case_db) as con:  # stores written before names were checked
        con.execute("UPDATE org SET name = ? WHERE id = 1", (NASTY,))
        con.execute("UPDATE need SET text = ? WHERE id = 1", (NASTY,))
    for args in (["org", "list"], ["org", "show", "1"], ["need", "list"], ["need", "show", "1"],
                 ["due"], ["referral", "list"]):
        code, out, err = cli(*args)
        assert (code, raw_controls(out + err)) == (0, []), args
        assert r"\x1b[31m" in out, args


def test_talk_and_error_lines_are_escaped_too(case_db, cli):
    with sqlite3.connect(case_db) as con:
        con.execute("UPDATE org SET name = ? WHERE id = 2", ("Fredrikstad \u202eBryggeri",))
    code, out, err = cli("org", "edit", "2", "--employees", "3")  # says the org's name
    assert (code, raw_controls(err)) == (0, [])
    ran = cli("visit", "add", "Fredrikstad", "--notes", "x")  # the candidates, in one line
    assert_user_error(ran, "matches several orgs", r"\u202e")


def test_free_text_may_hold_a_bidi_override_and_is_shown_escaped(case_db, cli):
    assert cli("visit", "edit", "1", "--notes", "שלום \u202eabc").code == 0
    code, out, err = cli("visit", "show", "1")
    assert (code, raw_controls(out)) == (0, [])
    assert r"\u202eabc" in out
    shown = cli("visit", "show", "1", "--format", "json").out
    assert raw_controls(shown) == [] and r"\u202e" in shown
    assert json.loads(shown)["notes"] == "שלום \u202eabc"  # escaped on screen, kept in data


def test_rich_markup_and_emoji_codes_in_data_print_as_written(cli):
    code, out, err = cli("org", "add", "[bold red]Mek[/] :warning: AS")
    assert code == 0 and "[bold red]Mek[/] :warning: AS" in err
    code, out, err = cli("org", "list")
    assert "[bold red]Mek[/] :warning: AS" in out and "⚠" not in out


def test_only_the_renderer_makes_rich_text():
    src = Path(__file__).resolve().parents[2] / "src" / "megler"
    makers = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
              if "from rich.text import" in p.read_text("utf-8")]
    assert makers == ["cli/output.py"]


def _on_a_terminal(args: list[str], env: dict) -> bytes:
    """stdout of `megler ARGS` when stdout is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "megler", *args], stdout=follower,
                          stderr=subprocess.PIPE, env=env, timeout=60, check=True)
    os.close(follower)
    assert b"Traceback" not in done.stderr
    shown = read_terminal(leader)
    os.close(leader)
    return shown.replace(b"\r\n", b"\n")  # the terminal's own line ends


def test_data_formats_are_escaped_on_a_terminal_and_exact_in_a_pipe(case_db, cli):
    assert cli("need", "add", "Fredrikstad Mek", "Kurs \u202eabc").code == 0
    args = ["export", "--format", "csv", "--what", "needs", "--db", str(case_db)]
    env = os.environ | {"COLUMNS": "200"}
    shown = _on_a_terminal(args, env).decode("utf-8")
    assert raw_controls(shown) == [] and r"Kurs \u202eabc" in shown
    assert "Kurs \u202eabc" in cli(*args).out


# -- refused in names ----------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\x9b31m", "\x1b[2J", "\u202e", "\u2066", "\u2028", "\x85"])
@pytest.mark.parametrize("command", [["org", "add", "Ny {} AS"],
                                     ["org", "edit", "1", "--name", "Ny {} AS"],
                                     ["contact", "add", "Fredrikstad Mek", "Per {} Hansen"],
                                     ["contact", "edit", "1", "--name", "Per {} Hansen"]])
def test_a_name_with_a_control_character_is_refused(case_db, cli, command, bad):
    args = [word.replace("{}", bad) for word in command]
    assert_user_error(cli(*args), "control characters")


@pytest.mark.parametrize("bad", ["\x9b31m", "\x1b[2J", "\x00", "\x7f", "\r"])
def test_free_text_refuses_c0_and_c1_but_tab_and_newline(case_db, cli, bad):
    assert_user_error(cli("visit", "edit", "1", "--notes", f"x{bad}y"), "control characters")
    assert cli("visit", "edit", "1", "--notes", "line one\n\tline two").code == 0


def test_a_windows_line_end_is_a_line_end(case_db, cli):
    assert cli("visit", "edit", "1", "--notes", "one\r\ntwo").code == 0
    shown = json.loads(cli("visit", "show", "1", "--format", "json").out)
    assert shown["notes"] == "one\ntwo"


@pytest.mark.parametrize("name", [r'"Test\e[31mordning"', r'"Test\u202eordning"',
                                  r'"Test\x9bordning"', r'"Test\Lordning"'])
def test_a_catalog_entry_name_with_a_control_character_is_refused(cli, tmp_path, name):
    ran = cli("catalog", "import", catalog_file(tmp_path, name=name))
    assert_user_error(ran, "catalog.yaml:3", "entry 'test-instrument'", "name", "control")


# -- CSV -----------------------------------------------------------------------------------

def _cells(out: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out, newline="")))


def test_a_bare_carriage_return_stays_inside_its_csv_cell(case_db, cli):
    with sqlite3.connect(case_db) as con:  # an old store, or `megler import` of one
        con.execute("UPDATE need SET text = ? WHERE id = 1", ("før\rsveis", ))
    for args in (["need", "list", "-f", "csv"], ["export", "--format", "csv", "--what", "needs"]):
        out = cli(*args).out
        rows = _cells(out)
        assert len(rows) == 2 and "før\rsveis" in rows[1], args
        assert len(out.split("\n")) == 3, args  # a header, a row, the final newline


def test_csv_from_a_list_neutralises_formulas_as_the_export_does(case_db, cli):
    formulas = ['=HYPERLINK("http://x.test","klikk")', "+SUM(1;2)", "-2+3", "@cmd"]
    for text in formulas:
        assert cli("need", "add", "Fredrikstad Mek", "--", text).code == 0, text
    listed = {r[0]: r for r in _cells(cli("need", "list", "-f", "csv").out)[1:]}
    exported = {r[0]: r for r in _cells(cli("export", "--format", "csv", "--what", "needs").out)[1:]}
    for need_id, text in enumerate(formulas, 2):
        assert f"'{text}" in listed[str(need_id)], text
        assert f"'{text}" in exported[str(need_id)], text
    assert listed["1"][0] == "1"  # numbers stay numbers


def test_a_phone_number_in_csv_is_text_not_a_sum(case_db, cli):
    assert cli("contact", "edit", "1", "--phone", "+47 915 55 123").code == 0
    rows = _cells(cli("contact", "list", "-f", "csv").out)
    assert "'+47 915 55 123" in rows[1]


# -- --out -----------------------------------------------------------------------------------

WRITERS = [["report", "--period", "2026Q3", "--out", "{}"],
           ["export", "{}"],
           ["export", "--format", "csv", "--what", "needs", "{}"],
           ["contact", "export", "1", "--out", "{}"],
           ["followup", "list", "--ics", "{}"]]


def _with(command: list[str], target: object) -> list[str]:
    return [str(target) if word == "{}" else word for word in command]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_refuses_to_replace_a_file_without_force(case_db, cli, tmp_path, command):
    target = tmp_path / "kept.txt"
    target.write_text("the broker's own file\n")
    assert_user_error(cli(*_with(command, target)), str(target), "exists already", "--force")
    assert target.read_text() == "the broker's own file\n"
    code, out, err = cli(*_with(command, target), "--force")
    assert (code, out) == (0, "")
    assert target.read_text() != "the broker's own file\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_never_replaces_a_symlink(case_db, cli, tmp_path, command):
    real = tmp_path / "real.txt"
    real.write_text("kept\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    for target in (link, dangling):
        assert_user_error(cli(*_with(command, target), "--force"), str(target), "is a symlink")
        assert target.is_symlink()
    assert real.read_text() == "kept\n" and not (tmp_path / "nowhere.txt").exists()


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_never_replaces_a_device_a_pipe_or_a_folder(case_db, cli, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    for target in (Path("/dev/null"), fifo):
        assert_user_error(cli(*_with(command, target), "--force"), str(target),
                          "is not a regular file")
    assert_user_error(cli(*_with(command, folder), "--force"), str(folder), "is a folder")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_out_dash_writes_to_stdout(case_db, cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(*_with(command, "-"))
    assert (code, err) == (0, "") and out
    assert not (tmp_path / "-").exists()


# -- --db is a path ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["s?mode=ro.db", "s%41.db", "s#frag.db", "file:s.db"])
def test_db_takes_the_path_literally(cli, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "stores"
    folder.mkdir()
    db = folder / name
    assert cli("org", "add", "Ny AS", "--db", db).code == 0
    assert cli("backup", "--db", db).code == 0
    code, out, err = cli("check", "--db", db)
    assert code == 0, err
    made = {p.name for p in folder.iterdir()}
    assert name in made
    assert {m for m in made if not m.startswith(Path(name).stem)} == set(), made  # and backups
    assert list(tmp_path.iterdir()) == [folder]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT name FROM org").fetchall() == [("Ny AS",)]


# -- one spelling ------------------------------------------------------------------------------

@pytest.mark.parametrize("added, asked", [("NFD", "NFC"), ("NFC", "NFD")])
def test_an_org_typed_in_one_unicode_form_is_found_in_the_other(cli, added, asked):
    name = "Åse Bjørnstad Rådgivning"
    assert cli("org", "add", unicodedata.normalize(added, name)).code == 0
    wanted = unicodedata.normalize(asked, "Åse Bjørnstad")
    code, out, err = cli("org", "show", wanted, "--format", "json")
    assert (code, json.loads(out)["name"]) == (0, name), err
    hits = json.loads(cli("search", unicodedata.normalize(asked, "Rådgivning"), "-f", "json").out)
    assert [h["title"] for h in hits] == [name]
