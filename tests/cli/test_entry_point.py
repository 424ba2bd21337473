"""A couple of real processes: the installed entry points and their start-up budget."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60,
                          encoding="utf-8")


@pytest.fixture
def env(db_path) -> dict:
    return {**os.environ, "MEGLER_DB": str(db_path), "MEGLER_TODAY": "2026-09-15"}


def test_python_dash_m_megler_stores_and_lists(env):
    added = run(sys.executable, "-m", "megler", "org", "add", "Sågverket i Årjäng AB",
                "--orgnr", "556012-5790", env=env)
    assert (added.returncode, added.stdout) == (0, "")
    assert added.stderr.strip() == "Added org #1 Sågverket i Årjäng AB"
    listed = run(sys.executable, "-m", "megler", "org", "list", "-f", "json", env=env)
    assert (listed.returncode, listed.stderr) == (0, "")
    assert json.loads(listed.stdout)[0]["name"] == "Sågverket i Årjäng AB"


def test_the_megler_script_gives_one_line_for_a_user_error(env):
    script = Path(sys.executable).with_name("megler")
    if not script.exists():
        pytest.skip("no megler script next to this interpreter (not installed)")
    assert run(str(script), "init", env=env).returncode == 0
    ran = run(str(script), "org", "show", "Ingen slik", env=env)
    assert (ran.returncode, ran.stdout) == (1, "")
    assert ran.stderr == "Error: no org matches 'Ingen slik' (see megler org list)\n"


def test_help_and_version_do_not_import_the_database_libraries(env):
    probe = ("import sys\n"
             "from megler.cli import main\n"
             "for args in (['--version'], ['--help'], ['org', '--help']):\n"
             "    sys.argv = ['megler', *args]\n"
             "    try:\n"
             "        main()\n"
             "    except SystemExit:\n"
             "        pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')),"
             " file=sys.stderr)\n")
    ran = run(sys.executable, "-c", probe, env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.strip() == "[]"
