"""What is PostgreSQL's own: a store named by URL, its password never shown, moving a
store between the backends, backup and restore. (The command suites run on both
backends through `any_db`; this file holds what only PostgreSQL has.)"""

import json

import pytest

from megler import store
from tests import postgres
from tests.helpers import assert_user_error, invoke, records

SECRET = "hemmelig-Passord-42"


def test_a_store_url_is_shown_without_its_password():
    url = store.resolve(f"postgresql://megler:{SECRET}@db.example.no:5432/ostfold?sslmode=require"
                        f"&password={SECRET}")
    assert isinstance(url, store.Url)
    assert str(url) == "postgresql://megler@db.example.no:5432/ostfold?sslmode=require"
    assert SECRET not in repr(url) and SECRET not in f"{url}"
    assert isinstance(store.resolve("megler.db"), store.Path)


def test_a_server_that_is_down_is_one_line_without_the_password(tmp_path):
    # a socket folder with no server in it: libpq fails at once, offline
    ran = invoke(["org", "list", "--db", f"postgresql://megler:{SECRET}@/ostfold?host={tmp_path}"])
    assert_user_error(ran, "cannot reach the PostgreSQL server", "postgresql://megler@/ostfold")
    assert SECRET not in ran.err


def test_a_refused_login_is_one_line_without_the_password(any_postgres):
    base = postgres.admin()  # postgresql://postgres:@/postgres?host=…
    wrong = base.replace("postgresql://postgres:@/postgres", f"postgresql://nobody:{SECRET}@/postgres")
    ran = invoke(["org", "list", "--db", wrong])
    assert ran.code == 1 and SECRET not in ran.err and len(ran.err.splitlines()) == 1, ran.err
    assert "Traceback" not in ran.err
    assert 'the server refused the login: role "nobody" does not exist' in ran.err  # not "is it running?"


@pytest.mark.parametrize("direction", ["sqlite to postgres", "postgres to sqlite"])
def test_export_then_import_on_the_other_backend_gives_the_same_store(any_postgres, tmp_path,
                                                                       direction):
    from tests.conftest import _build_case_store

    sqlite_db, url = tmp_path / "case.db", postgres.fresh()
    source, target = (sqlite_db, url) if direction == "sqlite to postgres" else (url, sqlite_db)
    try:
        _build_case_store(source)
        assert invoke(["contact", "erase", "1", "--yes", "--db", source]).code == 0  # a gap in the ids
        document = tmp_path / "export.json"
        assert invoke(["export", document, "--db", source]).code == 0
        ran = invoke(["import", document, "--db", target])
        assert ran.code == 0, ran.err
        assert records(target) == records(source)
        exported = json.loads(document.read_text())
        again = tmp_path / "again.json"
        assert invoke(["export", again, "--db", target]).code == 0
        given = {k: v for k, v in json.loads(again.read_text())["sequences"].items() if k != "audit"}
        assert given == {k: v for k, v in exported["sequences"].items() if k != "audit"}  # import is audited
        # the next contact gets a new id on both: the erased #1 is never given again
        for db in (source, target):
            assert invoke(["contact", "add", "Fredrikstad Mek", "Ola Nordmann", "--db", db]).code == 0
        ids = [[(c["id"], c["name"]) for c in records(db)["contact"]] for db in (target, source)]
        assert ids[0] == ids[1]  # (their broker is each store's: the login, or the setting)
    finally:
        store.close(url)
        postgres.drop(url)


def test_backup_then_restore_into_an_empty_database(any_db, tmp_path, cli):
    if not store.is_url(any_db):
        pytest.skip("the SQLite backup has its own tests (tests/safety)")
    from tests.conftest import _build_case_store

    _build_case_store(any_db)
    target = tmp_path / "backup.json"
    ran = cli("backup", target)
    assert ran.code == 0, ran.err
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text())["format"] == "megler-export"
    empty = postgres.fresh()
    try:
        ran = cli("restore", target, "--yes", "--db", empty)
        assert ran.code == 0, ran.err
        assert records(empty) == records(any_db)
        assert_user_error(cli("restore", target, "--yes", "--db", empty), "not empty")
    finally:
        store.close(empty)
        postgres.drop(empty)


# Each worker is one process running 25 mixed writes on the same org, as scripts would.
MIXED = """
import sys
from megler.cli import main
worker = sys.argv[1]
for n in range(25):
    kind = n % 3
    sys.argv = ["megler", *(
        ["followup", "add", "Fredrikstad Mek", "--due", "+1w", "--text", f"w{worker} f{n}"],
        ["need", "add", "Fredrikstad Mek", f"w{worker} n{n} sveising", "--kind", "competence"],
        ["org", "edit", "Fredrikstad Mek", "--employees", str(10 + n)])[kind]]
    try:
        main()
    except SystemExit as e:
        if e.code:
            print(f"exit {e.code}", file=sys.stderr)
"""


@pytest.mark.slow
def test_sixteen_processes_of_mixed_writes_lose_nothing(any_db, tmp_path):
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import _build_case_store
    from tests.helpers import count
    from tests.safety.util import ROOT

    _build_case_store(any_db)
    before = {t: count(any_db, t) for t in ("followup", "need")}
    env = {k: v for k, v in __import__("os").environ.items()} | {
        "MEGLER_DB": str(any_db), "MEGLER_CONFIG": str(tmp_path / "none.toml")}

    def work(n: int):
        return subprocess.run([sys.executable, "-c", MIXED, str(n)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    with ThreadPoolExecutor(16) as pool:
        runs = list(pool.map(work, range(16)))
    assert sum("Traceback" in r.stderr for r in runs) == 0, [r.stderr for r in runs if r.stderr][:1]
    assert all(r.returncode == 0 and "exit" not in r.stderr for r in runs), runs[0].stderr[-500:]
    assert count(any_db, "followup") - before["followup"] == 16 * 9
    assert count(any_db, "need") - before["need"] == 16 * 8


def test_the_store_setting_takes_a_url_but_never_its_password(tmp_path, monkeypatch, cli):
    monkeypatch.delenv("MEGLER_DB")
    assert_user_error(cli("config", "set", "store", f"postgresql://megler:{SECRET}@db/ostfold"),
                      "must not hold a password")
    assert cli("config", "set", "store", "postgresql://megler@db.example.no/ostfold").code == 0
    assert str(store.resolve(None)) == "postgresql://megler@db.example.no/ostfold"
    assert cli("config", "set", "store", str(tmp_path / "eget.db")).code == 0
    assert store.resolve(None) == tmp_path / "eget.db"


def test_csv_and_xlsx_exports_are_the_same_on_both_backends(any_postgres, tmp_path):
    import zipfile

    from tests.conftest import _build_case_store

    sqlite_db, url = tmp_path / "case.db", postgres.fresh()
    try:
        for db in (sqlite_db, url):
            _build_case_store(db)
        for what in ("orgs", "contacts", "visits", "needs", "referrals", "followups"):
            csv = [invoke(["export", "--format", "csv", "--what", what, "--db", db]).out
                   for db in (sqlite_db, url)]
            assert csv[0] == csv[1] and "Fredrikstad" in csv[0], what
        sheets = []
        for db, name in ((sqlite_db, "sqlite.xlsx"), (url, "postgres.xlsx")):
            assert invoke(["export", "--format", "xlsx", tmp_path / name, "--db", db]).code == 0
            with zipfile.ZipFile(tmp_path / name) as book:
                sheets.append({n: book.read(n) for n in book.namelist() if "worksheets/" in n})
        assert sheets[0] == sheets[1] and len(sheets[0]) >= 6
    finally:
        store.close(url)
        postgres.drop(url)
