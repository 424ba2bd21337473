"""Every command has help text with an example, and appears in README.md."""

from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from megler.cli import COMMANDS, app

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


README = Path(__file__).resolve().parents[2] / "README.md"


def _walk(command, path=()):
    """Every command of the tree, through click's own lookup (the modules load lazily)."""
    yield path, command
    if isinstance(command, TyperGroup):
        for name in command.list_commands(None):
            yield from _walk(command.get_command(None, name), (*path, name))


ALL = list(_walk(typer.main.get_command(app)))
LEAVES = [(" ".join(p), c) for p, c in ALL if not isinstance(c, TyperGroup)]
GROUPS = [(" ".join(p), c) for p, c in ALL if isinstance(c, TyperGroup)]


def test_the_tree_holds_the_commands_of_the_case_store():
    names = {path for path, _ in LEAVES}
    for expected in ("init", "search", "export", "import", "due",
                     "org add", "org list", "org show", "org edit", "org merge",
                     "contact add", "contact list", "contact show", "contact edit",
                     "visit add", "visit list", "visit show", "visit edit",
                     "need add", "need list", "need show", "need close",
                     "referral add", "referral list", "referral show", "referral update",
                     "followup add", "followup list", "followup done"):
        assert expected in names


@pytest.mark.parametrize("path, command", LEAVES, ids=[p for p, _ in LEAVES])
def test_every_command_has_help_with_an_example(cli, path, command):
    assert (command.help or "").strip(), f"megler {path} has no help text"
    assert "Example: megler " + path.split()[0] in command.help, f"megler {path}: no example"
    code, out, err = cli(*path.split(), "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"Usage: megler {path}")
    first_line = command.help.strip().splitlines()[0]
    assert "".join(first_line.split()) in "".join(out.split())  # help text is re-wrapped


@pytest.mark.parametrize("path, command", GROUPS, ids=[p or "megler" for p, _ in GROUPS])
def test_every_group_has_help(path, command):
    assert (command.help or "").strip(), f"megler {path} has no help text"


@pytest.mark.parametrize("path", [p for p, _ in LEAVES])
def test_every_command_appears_in_the_readme(path):
    assert f"megler {path}" in README.read_text(encoding="utf-8")


def test_version(cli):
    from megler import __version__

    code, out, err = cli("--version")
    assert (code, out, err) == (0, f"megler {__version__}\n", "")


def _layout() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Development"):]


SRC = Path(__file__).resolve().parents[2] / "src" / "megler"


@pytest.mark.parametrize("module", sorted(p.name for p in SRC.glob("*.py")) +
                         sorted(f"{p.name}/" for p in SRC.iterdir() if (p / "__init__.py").exists()))
def test_the_readme_layout_map_lists_every_module(module):
    assert module in _layout()


@pytest.mark.parametrize("group", sorted(COMMANDS))
def test_each_top_level_command_has_its_own_cli_module(group):
    """The file tree follows the command tree: `megler check` lives in cli/check.py."""
    module = COMMANDS[group].split(":")[0]
    plural = {"org": "orgs", "contact": "contacts", "visit": "visits", "need": "needs",
              "referral": "referrals", "followup": "followups", "goal": "goals",
              "import": "export", "restore": "backup"}
    assert module == plural.get(group, group)
