"""The store's files: private whatever the umask, backed up and restored safely, old and
new schemas handled, a read-only store or a full disk refused with one line."""

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from megler import backup, migrations, store
from tests.helpers import assert_user_error
from tests.safety.util import ROOT, megler, process_env, snapshot


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- permissions -------------------------------------------------------------------

# While one connection holds the store open, the -wal and -shm files exist: look at them.
HOLD_OPEN = """
import os, sys
os.umask(int(sys.argv[2], 8))
from pathlib import Path
from megler import store
from megler.orgs import OrgFields, add_org
path = Path(sys.argv[1])
with store.session(path, write=True) as s:
    add_org(s, OrgFields(name="Fredrikstad Mek AS"))
with store.session(path) as s:
    s.connection()
    for f in store.files(path) + [path.parent]:
        print(f.name, oct(f.stat().st_mode & 0o777))
"""


@pytest.mark.parametrize("umask", ["000", "022", "002"])
def test_store_files_are_private_whatever_the_umask(tmp_path, umask):
    db = tmp_path / "new" / "folder" / "megler.db"
    ran = subprocess.run([sys.executable, "-c", HOLD_OPEN, str(db), umask], capture_output=True,
                         text=True, env=process_env(db), cwd=ROOT, timeout=60)
    assert ran.returncode == 0, ran.stderr
    modes = dict(line.split() for line in ran.stdout.splitlines())
    assert set(modes) >= {"megler.db", "megler.db-wal", "megler.db-shm", "folder"}
    assert modes.pop("folder") == "0o700"
    assert set(modes.values()) == {"0o600"}, modes


def test_backups_and_exports_are_private(case_db, tmp_path, cli):
    os.umask(0o022)  # what a careless shell leaves; megler must not rely on main() alone
    try:
        made = backup.take_backup(case_db)
        chosen = backup.take_backup(case_db, tmp_path / "chosen.db")
        assert cli("export", tmp_path / "all.json").code == 0
        assert cli("contact", "export", "1", "--out", tmp_path / "person.json").code == 0
    finally:
        os.umask(0o077)
    for f in (made, chosen, tmp_path / "all.json", tmp_path / "person.json"):
        assert _mode(f) == 0o600, f


def test_the_cli_makes_private_folders_under_a_loose_umask(tmp_path):
    db = tmp_path / "a" / "b" / "megler.db"
    ran = megler("org", "add", "Fredrikstad Mek AS", db=db, preexec_fn=lambda: os.umask(0))
    assert ran.returncode == 0, ran.stderr
    assert (_mode(db.parent), _mode(db)) == (0o700, 0o600)
    ran = megler("backup", db=db, preexec_fn=lambda: os.umask(0))
    assert ran.returncode == 0, ran.stderr
    assert [_mode(b) for b in db.parent.glob("*.bak")] == [0o600]


def test_a_command_leaves_the_store_whole_in_its_one_file(tmp_path):
    """A broker copies megler.db to a stick or a share: what the last command wrote must be
    in that file, not in a -wal file left beside it."""
    db = tmp_path / "megler.db"
    ran = megler("org", "add", "Fjellsveis Røros AS", db=db)
    assert ran.returncode == 0, ran.stderr
    assert store.files(db) == [db]
    shutil.copyfile(db, tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT name FROM org").fetchall() == [("Fjellsveis Røros AS",)]


# -- backup and restore ------------------------------------------------------------

def test_backup_while_another_process_writes_is_consistent(case_db, tmp_path, cli):
    holder = sqlite3.connect(case_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO org (name, country, kind, rd_experience, created) "
                   "VALUES ('Uncommitted AS', 'NO', 'company', 0, '2026-09-01')")
    try:
        code, _, err = cli("backup", tmp_path / "copy.db")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 0, err
    assert snapshot(tmp_path / "copy.db")["org"] == snapshot(case_db)["org"]


def test_backup_refuses_to_overwrite(case_db, tmp_path, cli):
    target = tmp_path / "taken.db"
    target.write_text("mine")
    assert_user_error(cli("backup", target), str(target), "exists already")
    assert target.read_text() == "mine"


def test_restore_puts_a_backup_back_and_keeps_the_store_aside(case_db, tmp_path, cli):
    assert cli("backup", tmp_path / "b.db").code == 0
    before = snapshot(case_db)
    assert cli("org", "add", "Ny Bedrift AS").code == 0
    code, _, err = cli("restore", tmp_path / "b.db", "--yes")
    assert code == 0, err
    assert "before-restore" in err
    assert _masked(snapshot(case_db)) == _masked(before)
    aside = list(case_db.parent.glob("megler-before-restore-*.bak"))
    assert len(aside) == 1 and _mode(aside[0]) == 0o600
    assert "Ny Bedrift AS" in str(snapshot(aside[0])["org"])
    assert cli("org", "add", "Etter AS").code == 0  # the restored store takes writes


def _close(db: Path) -> None:
    """Let go of this process's connections, as a new megler process would have none."""
    store.close(db)


def _masked(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k != "audit"}


def test_restore_in_a_script_needs_yes(case_db, tmp_path, cli):
    assert cli("backup", tmp_path / "b.db").code == 0
    before = snapshot(case_db)
    assert_user_error(cli("restore", tmp_path / "b.db"), "--yes")
    assert snapshot(case_db) == before


@pytest.mark.parametrize("content, fragment", [
    (b"not a database at all", "not a readable megler store"),
    (b"", "not a megler store"),
    ("newer", "newer megler"),
    ("damaged", "damaged"),
    ("foreign", "no megler schema version"),
])
def test_restore_checks_the_backup_first(case_db, tmp_path, cli, content, fragment):
    source = tmp_path / "backup.db"
    if content == "newer":
        shutil.copyfile(case_db, source)
        _set_version(source, migrations.LATEST + 1)
    elif content == "damaged":
        _damaged_copy(case_db, source)
    elif content == "foreign":
        with sqlite3.connect(source) as con:
            con.execute("CREATE TABLE notes (x)")
    else:
        source.write_bytes(content)
    before = snapshot(case_db)
    assert_user_error(cli("restore", source, "--yes"), fragment)
    assert snapshot(case_db) == before
    assert not list(case_db.parent.glob("*.bak"))


def test_restore_replaces_a_store_too_damaged_to_open(case_db, tmp_path, cli):
    assert cli("backup", tmp_path / "good.db").code == 0
    _close(case_db)
    case_db.write_bytes(b"garbage" * 1000)
    code, _, err = cli("restore", tmp_path / "good.db", "--yes")
    assert code == 0, err
    assert len(json.loads(cli("org", "list", "-f", "json").out)) == 3


def _set_version(path: Path, version: int) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()


def _damaged_copy(source: Path, target: Path) -> None:
    """Overwrite the middle of a table's page: the header still says SQLite."""
    shutil.copyfile(source, target)
    con = sqlite3.connect(target)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'org'").fetchone()[0]
    con.close()
    with open(target, "r+b") as f:
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)


# -- schema versions ---------------------------------------------------------------

def test_an_older_store_is_upgraded_with_a_backup_never_shown_empty(case_db, cli):
    _close(case_db)
    con = sqlite3.connect(case_db, isolation_level=None)
    con.executescript("""
        -- as megler 0.1 left it: schema 1 (m014, m013, m012, m010, m009, m005 to m002 undone)
        DROP TABLE cluster;
        DROP INDEX ix_referralevent_date;
        ALTER TABLE contact DROP COLUMN broker;
        ALTER TABLE visit DROP COLUMN broker;
        ALTER TABLE need DROP COLUMN broker;
        ALTER TABLE referral DROP COLUMN broker;
        ALTER TABLE followup DROP COLUMN broker;
        ALTER TABLE catalogentry DROP COLUMN delivery;
        ALTER TABLE catalogentry DROP COLUMN campus;
        ALTER TABLE org DROP COLUMN org_form;
        ALTER TABLE org DROP COLUMN more_industries;
        ALTER TABLE org DROP COLUMN register_status;
        ALTER TABLE org DROP COLUMN register_checked;
        DROP TABLE orgfact;
        DROP TABLE undo;
        ALTER TABLE referral DROP COLUMN currency;
        ALTER TABLE catalogentry DROP COLUMN currency;
        ALTER TABLE catalogentry RENAME COLUMN cost TO cost_nok;
        ALTER TABLE catalogentry RENAME COLUMN max_amount TO max_amount_nok;
        DROP TABLE audit;
        DELETE FROM _migrations WHERE name <> 'm001_initial';  -- m006 to m014 run again
        PRAGMA user_version = 1;
    """)
    _undo_m008(con)
    con.close()
    code, out, err = cli("org", "list", "-f", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 3
    backups = list(case_db.parent.glob("megler-schema1-*.bak"))
    assert len(backups) == 1 and _mode(backups[0]) == 0o600
    assert cli("org", "add", "Etter AS").code == 0
    assert ("megler org add", "add", "org", "4") in [row[2:6] for row in snapshot(case_db)["audit"]]


def _undo_m008(con: sqlite3.Connection) -> None:
    """The search index and its triggers as m001 made them."""
    m001 = sqlite3.connect(":memory:")
    migrations.m001_initial(m001)
    made = [sql for (sql,) in m001.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'search' "
        "OR (type = 'trigger' AND name LIKE '%search%') ORDER BY rowid")]
    for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE '%search%'").fetchall():
        con.execute(f"DROP TRIGGER {trigger}")
    con.execute("DROP TABLE search_stale")
    con.execute("DROP TABLE search")
    for sql in made:
        con.execute(sql)


def test_a_newer_store_is_refused_and_left_alone(case_db, cli):
    _close(case_db)
    _set_version(case_db, migrations.LATEST + 1)
    raw = case_db.read_bytes()
    assert_user_error(cli("org", "list"), "newer megler", f"schema {migrations.LATEST + 1}")
    assert case_db.read_bytes() == raw


# -- read-only store, full disk ----------------------------------------------------

def _run_as_owner(args, db: Path) -> subprocess.CompletedProcess:
    """Run megler as the store's owner would; root ignores file modes, so it drops its
    capabilities first and meets the modes like anyone else."""
    prefix = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
    if prefix and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be tested")
    return megler(*args, db=db, prefix=prefix)


@pytest.fixture
def owned_store(case_db, tmp_path):
    _close(case_db)
    db = tmp_path / "ro" / "megler.db"
    db.parent.mkdir()
    shutil.copyfile(case_db, db)
    yield db
    db.parent.chmod(0o700)
    db.chmod(0o600)


@pytest.mark.parametrize("what", ["file 0400", "folder 0500"])
def test_a_read_only_store_gives_one_line_and_keeps_its_state(owned_store, what):
    db = owned_store
    before = snapshot(db)
    if what == "file 0400":
        db.chmod(0o400)
    else:
        db.parent.chmod(0o500)
    ran = _run_as_owner(["followup", "add", "Fredrikstad Mek", "--text", "Ringe"], db)
    assert ran.returncode == 1, (ran.returncode, ran.stderr)
    lines = ran.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
    assert "read-only" in lines[0] or "folder" in lines[0], lines[0]
    db.parent.chmod(0o700)
    db.chmod(0o600)
    assert snapshot(db) == before


def test_a_full_disk_gives_one_line_and_keeps_the_old_state(case_db, cli):
    """SQLITE_FULL without filling a disk: cap the store at the pages it has now."""
    engine = store.engine(case_db)
    pages = snapshot_pages(case_db)

    @event.listens_for(engine, "connect")
    def _cap(dbapi, _record):
        dbapi.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    before = snapshot(case_db)
    ran = cli("visit", "add", "Fredrikstad Mek", "--notes", "x" * 19_000, "--since-last", "y" * 19_000, "--need", "Kurs")
    assert_user_error(ran, "disk is full", "nothing was changed")
    assert snapshot(case_db) == before


def snapshot_pages(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA page_count").fetchone()[0]
    finally:
        con.close()


def test_a_failing_upgrade_leaves_no_copy_per_attempt(case_db, cli):
    _close(case_db)
    # schema 4 by its version, but m005's table is there already: m005 fails every time
    con = sqlite3.connect(case_db, isolation_level=None)
    con.executescript("DELETE FROM _migrations WHERE name >= 'm005'; PRAGMA user_version = 4;")
    con.close()
    before = snapshot(case_db)
    for _ in range(3):
        assert_user_error(cli("org", "list"), "orgfact already exists")
    assert list(case_db.parent.glob("*.bak")) == []
    assert snapshot(case_db) == before


@pytest.fixture
def frozen_folder(case_db):
    """The store's folder made immutable (chattr +i holds even for root): an archive disk."""
    _close(case_db)
    folder = case_db.parent
    for leftover in (Path(f"{case_db}-wal"), Path(f"{case_db}-shm")):
        leftover.unlink(missing_ok=True)
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        yield case_db
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_store_in_a_read_only_folder_is_read_checked_and_backed_up(frozen_folder, cli,
                                                                    tmp_path_factory):
    db = frozen_folder
    code, out, err = cli("check")
    assert code == 0 and "The store is sound" in out + err and "damaged" not in out + err
    assert len(json.loads(cli("org", "list", "-f", "json").out)) == 3
    assert cli("backup", str(tmp_path_factory.mktemp("elsewhere") / "copy.db")).code == 0
    assert_user_error(cli("org", "add", "Ny AS"), "read-only", "nothing was changed")
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


@pytest.fixture
def frozen_with_unindexed_rows(case_db):
    """A store an outside tool wrote to (its triggers noted the rows for the index), then
    put in a read-only folder before megler indexed them."""
    with sqlite3.connect(case_db) as db:
        db.execute("INSERT INTO org (name, country, kind, rd_experience, created) "
                   "VALUES ('Vefsn Trebåt AS', 'NO', 'company', 0, '2026-09-15')")
    db.close()
    yield case_db


def test_search_on_a_read_only_store_says_what_is_not_indexed_yet(frozen_with_unindexed_rows,
                                                                   frozen_folder, cli):
    found = cli("search", "Fredrikstad")
    assert found.code == 0 and "Fredrikstad" in found.out
    assert "1 changed row is not in the search index" in found.err and "read-only" in found.err
    assert cli("search", "trebåt").code == 0
