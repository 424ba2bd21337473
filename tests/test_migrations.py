"""The two schema tests: a blank store after all migrations equals the models, and an
old store upgrades with its data (and a backup of the file as it was)."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import megler.models  # noqa: F401  (fills SQLModel.metadata)
from megler import migrations, store
from megler.errors import MeglerError
from megler.orgs import list_orgs
from megler.search import search


def _tables(db: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return sorted(n for n in names if not n.startswith(("search", "sqlite_", "_migrations")))


def _shape(path: Path) -> dict:
    """Columns, indexes and foreign keys of every table: what the code relies on."""
    db = sqlite3.connect(path)
    try:
        shape = {}
        for table in _tables(db):
            indexes = {}
            for _seq, name, unique, origin, partial in db.execute(f"PRAGMA index_list('{table}')"):
                columns = [r[2] for r in db.execute(f"PRAGMA index_info('{name}')")]
                # Auto-indexes are numbered in creation order; name them by their columns.
                key = name if not name.startswith("sqlite_autoindex") else f"auto{columns}"
                indexes[key] = (unique, origin, partial, columns)
            keys = sorted(tuple(r[2:]) for r in db.execute(f"PRAGMA foreign_key_list('{table}')"))
            # By name: megler's SQL names its columns, and a model's inherited fields
            # (CatalogEntryBase) come before its own.
            columns = {name: rest for _cid, name, *rest in db.execute(f"PRAGMA table_info('{table}')")}
            shape[table] = {"columns": columns, "indexes": indexes, "foreign_keys": keys}
        return shape
    finally:
        db.close()


def test_a_blank_store_after_all_migrations_equals_the_models(tmp_path):
    migrated, modelled = tmp_path / "migrated.db", tmp_path / "modelled.db"
    db = store.connect(migrated)
    assert migrations.apply(db) == [step.__name__ for step in migrations.MIGRATIONS]
    db.close()
    engine = create_engine(f"sqlite:///{modelled}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()

    expected = _shape(modelled)
    assert expected, "the models define no tables"
    actual = _shape(migrated)
    assert sorted(actual) == sorted(expected)
    for table in expected:
        assert actual[table] == expected[table], table


def test_migrations_are_recorded_and_set_the_version(tmp_path):
    db = store.connect(tmp_path / "m.db")
    migrations.apply(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [step.__name__ for step in migrations.MIGRATIONS]
    assert migrations.apply(db) == []  # a second run has nothing to do
    db.close()


def test_migration_names_are_unique_and_numbered_in_order():
    names = [step.__name__ for step in migrations.MIGRATIONS]
    assert [n[:4] for n in names] == [f"m{i:03d}" for i in range(1, len(names) + 1)]


def _store_at(path: Path, version: int) -> None:
    """A store as an older megler left it: only the first `version` steps, applied by hand."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for number, step in enumerate(migrations.MIGRATIONS[:version], start=1):
        db.execute("BEGIN")
        step(db)
        db.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (step.__name__,))
        db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    # Rows written with the columns of the first schema, so they fit every later one.
    db.execute("INSERT INTO org (id, name, orgnr, country, kind, rd_experience, created) "
               "VALUES (1, 'Sågverket i Årjäng AB', '5560125790', 'SE', 'company', 0, "
               "'2024-05-01')")
    db.execute("INSERT INTO visit (id, date, kind, notes) "
               "VALUES (1, '2024-05-02', 'visit', 'Sveisesertifisering og ledarskap')")
    db.execute("INSERT INTO visitorg (visit_id, org_id, position) VALUES (1, 1, 0)")
    db.close()


def _older_versions() -> list:
    versions = list(range(1, migrations.LATEST))
    return versions or [pytest.param(None, marks=pytest.mark.skip(
        reason="only one migration exists: there is no older schema to upgrade from yet"))]


# Each applied step's source, hashed: a step is frozen once released, because stores
# out there were built by it. Add a new step's hash when it is added; never change one.
FROZEN = {"m001_initial": "021d25a21b963258", "m002_audit": "a215d76b493b938e",
          "m003_currency": "65d4d7b0c8753c1b", "m004_undo": "a75cde295820b13d",
          "m005_org_facts": "8ad6d44862bce47e", "m006_ids_never_reused": "d619ccc6afb81021",
          "m007_nfc_text": "4a4f4b0307e84864", "m008_search_folded": "779452cb29b52ed1",
          "m009_register_facts": "399f41b610d54f70", "m010_catalog_delivery": "52507d1c61d26be2",
          "m011_wide_integers": "d815aad2b8044bdb", "m012_brokers": "988f220b5efcf675",
          "m013_event_dates": "ed8af9efe7cb8a18", "m014_clusters": "e7284f56535f3a48",
          "m015_fact_dates": "f1665b3c19624e8e"}


def test_a_released_step_is_never_edited():
    import hashlib
    import inspect

    sources = {step.__name__: hashlib.sha256(inspect.getsource(step).encode()).hexdigest()[:16]
               for step in migrations.MIGRATIONS}
    assert sources == FROZEN


def test_a_step_calls_nothing_that_could_change_under_it():
    """Only the statement runner, the connection and a little of the standard library:
    a step that called a live helper would change with it."""
    import builtins
    import re
    import unicodedata

    allowed = {"_script", "re", "unicodedata"}
    for thing in (sqlite3.Connection, sqlite3.Cursor, str, dict, list, builtins, re,
                  unicodedata):
        allowed |= set(dir(thing))
    for step in migrations.MIGRATIONS:
        assert _names(step.__code__) <= allowed, step.__name__


def _names(code) -> set[str]:
    """The global and attribute names a function uses, its nested functions' included."""
    nested = [c for c in code.co_consts if hasattr(c, "co_names")]
    return set(code.co_names).union(*(_names(c) for c in nested))


@pytest.mark.parametrize("version", _older_versions())
def test_an_old_store_upgrades_with_its_data_and_a_backup(tmp_path, version):
    path = tmp_path / "old.db"
    _store_at(path, version)
    _assert_upgrades(path, version)


def _assert_upgrades(path: Path, version: int) -> None:
    applied = store.prepare(path)
    assert applied == [s.__name__ for s in migrations.MIGRATIONS[version:]]
    backups = list(path.parent.glob(f"{path.stem}-schema{version}-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == version
        assert old.execute("SELECT name FROM org").fetchall() == [("Sågverket i Årjäng AB",)]
    with store.session(path) as s:
        assert [o["name"] for o in list_orgs(s)] == ["Sågverket i Årjäng AB"]
        assert [h["kind"] for h in search(s, "sveis")] == ["visit"]
    assert store.prepare(path) == []  # up to date: no second backup
    assert len(list(path.parent.glob("*.bak"))) == 1


def test_the_upgrade_path_runs_with_a_later_step(tmp_path, monkeypatch):
    """What the parametrised test above does once m002 exists, exercised now with an extra
    step appended to today's list: the store at today's version is the old one."""

    def m999_test_column(db):
        db.execute("ALTER TABLE org ADD COLUMN test_note VARCHAR")

    path = tmp_path / "old.db"
    _store_at(path, migrations.LATEST)
    old_latest = migrations.LATEST
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_test_column])
    monkeypatch.setattr(migrations, "LATEST", old_latest + 1)
    _assert_upgrades(path, old_latest)
    with sqlite3.connect(path) as db:
        assert "test_note" in [r[1] for r in db.execute("PRAGMA table_info(org)")]


def test_a_failing_step_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    def m999_broken(db):
        db.execute("ALTER TABLE org ADD COLUMN half_done VARCHAR")
        db.execute("THIS IS NOT SQL")

    path = tmp_path / "old.db"
    _store_at(path, migrations.LATEST)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_broken])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(MeglerError):
        store.prepare(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST - 1
        assert "half_done" not in [r[1] for r in db.execute("PRAGMA table_info(org)")]
        assert db.execute("SELECT count(*) FROM org").fetchone()[0] == 1


def test_a_store_from_a_newer_megler_is_refused(tmp_path):
    path = tmp_path / "new.db"
    _store_at(path, migrations.LATEST)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    with pytest.raises(MeglerError, match="written by a newer megler"):
        store.prepare(path)


def test_a_blank_store_gets_no_backup(tmp_path):
    path = tmp_path / "fresh.db"
    assert store.prepare(path) == [s.__name__ for s in migrations.MIGRATIONS]
    assert list(tmp_path.glob("*.bak")) == []


def test_amounts_of_an_old_store_get_the_currency_of_their_country(tmp_path):
    """m003: a Swedish org's referral is in SEK, a Norwegian one's in NOK; a referral to a
    catalog entry takes the entry's country; catalog amounts keep their values."""
    path = tmp_path / "old.db"
    _store_at(path, 2)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("""
        INSERT INTO org (id, name, country, kind, rd_experience, created)
        VALUES (2, 'Rana Stålservice AS', 'NO', 'company', 0, '2024-05-01');
        INSERT INTO catalogentry (id, key, kind, name, description, keywords, language, country,
                                  regions, audience, content_hash, max_amount_nok)
        VALUES (1, 'almi', 'instrument', 'Almi', 'Lån', '[]', 'sv', 'SE', '["*"]', '["company"]', '',
                900000);
        INSERT INTO need (id, org_id, text, kind, status, date) VALUES
            (1, 1, 'Kurs', 'competence', 'referred', '2024-05-02'),
            (2, 2, 'Kurs', 'competence', 'referred', '2024-05-02');
        INSERT INTO referral (id, need_id, entry_id, target, status, date, amount_granted) VALUES
            (1, 1, NULL, 'Region Värmland', 'granted', '2024-05-03', 250000),
            (2, 2, NULL, 'Nordland fylke', 'granted', '2024-05-03', 1800000),
            (3, 2, 1, 'Almi', 'suggested', '2024-05-03', NULL);
    """)
    db.close()
    store.prepare(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id, currency FROM referral ORDER BY id").fetchall() == [
            (1, "SEK"), (2, "NOK"), (3, "SEK")]
        assert db.execute("SELECT currency, max_amount FROM catalogentry").fetchall() == [("SEK", 900000)]


def _old_store_with_people(path: Path) -> sqlite3.Connection:
    """A store of schema 5 where contact #3 was erased, with a visit, a need, a referral
    and its events that point at the tables m006 rebuilds."""
    _store_at(path, 5)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("""
        INSERT INTO contact (id, org_id, name) VALUES (1, 1, 'Åsa Öberg'), (2, 1, 'Per Hansen');
        INSERT INTO visitcontact VALUES (1, 1), (1, 2);
        INSERT INTO audit (time, command, action, entity, entity_id) VALUES
            ('2026-01-01 10:00:00', 'megler contact add', 'add', 'contact', '3'),
            ('2026-01-02 10:00:00', 'megler contact erase', 'delete', 'contact', '3');
        INSERT INTO need (id, org_id, visit_id, text, kind, status, date)
            VALUES (1, 1, 1, 'Kurs för [erased contact #7] och två till', 'competence', 'referred',
                    '2024-05-02');
        INSERT INTO referral (id, need_id, target, status, date) VALUES (1, 1, 'Almi', 'applied',
                                                                          '2024-05-03');
        INSERT INTO referralevent (referral_id, status, date) VALUES (1, 'suggested', '2024-05-03'),
                                                                     (1, 'applied', '2024-05-04');
    """)
    return db


def test_ids_are_never_reused_after_the_upgrade(tmp_path):
    """m006: an id the store has ever shown (in its tables, its audit log or an erasure
    placeholder) is not handed out again, and no row is lost to a cascade on the way."""
    path = tmp_path / "old.db"
    _old_store_with_people(path).close()
    store.prepare(path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("SELECT count(*) FROM visitcontact").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM referralevent").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM visitorg").fetchone()[0] == 1
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO contact (org_id, name) VALUES (1, 'Ny Person')")
        assert db.execute("SELECT max(id) FROM contact").fetchone()[0] == 8  # past #7
        db.execute("DELETE FROM referralevent WHERE id = 2")
        db.execute("INSERT INTO referralevent (referral_id, status, date) "
                   "VALUES (1, 'granted', '2024-06-01')")
        assert db.execute("SELECT max(id) FROM referralevent").fetchone()[0] == 3
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
        assert {"audit_no_delete", "org_search_insert", "need_search_update"} <= set(names)


def test_text_of_an_old_store_becomes_nfc(tmp_path):
    """m007: a name pasted from a Mac (decomposed) is stored as one typed on a PC."""
    import unicodedata

    path = tmp_path / "old.db"
    db = _old_store_with_people(path)
    nfd = unicodedata.normalize("NFD", "Åse Bjørnstad")
    db.execute("UPDATE contact SET name = ? WHERE id = 1", (nfd,))
    db.execute("UPDATE visit SET notes = ? WHERE id = 1", (f"Møtte {nfd}",))
    db.close()
    store.prepare(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM contact WHERE id = 1").fetchone()[0] == "Åse Bjørnstad"
        assert db.execute("SELECT notes FROM visit").fetchone()[0] == "Møtte Åse Bjørnstad"
    with store.session(path) as s:
        assert [h["kind"] for h in search(s, "Bjørnstad")] == ["contact", "visit"]


# --- PostgreSQL: the same steps, each with its frozen SQL (megler.pg_migrations) --------

POSTGRES_FROZEN = {"m001_initial": "1c8df03c1fd5c890",  # the baseline; m002–m009 are empty
                   "m010_catalog_delivery": "0fb90c4218c899a8",
                   "m011_wide_integers": "c8b1212894ed787f",
                   "m012_brokers": "c47046cbd669bb9d",
                   "m013_event_dates": "34144ed4368ba737",
                   "m014_clusters": "cf7668d6a47d5d33",
                   "m015_fact_dates": "1f2dc358c870b858"}


def test_every_step_has_its_postgresql_sql_and_a_released_one_is_never_edited():
    import hashlib

    from megler.pg_migrations import POSTGRES

    assert list(POSTGRES) == [step.__name__ for step in migrations.MIGRATIONS]
    hashes = {name: hashlib.sha256(sql.encode()).hexdigest()[:16]
              for name, sql in POSTGRES.items() if sql.strip()}
    assert hashes == POSTGRES_FROZEN


def _pg_shape(url: str) -> dict:
    """Columns (type, null, default kind), indexes and foreign keys of every table."""
    import psycopg

    with psycopg.connect(url) as db:
        columns = db.execute(
            "SELECT table_name, column_name, data_type, is_nullable, "
            "column_default LIKE 'nextval%%' FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name NOT LIKE 'search%%' "
            "AND table_name <> '_migrations' ORDER BY 1, 2").fetchall()
        indexes = db.execute(
            "SELECT tablename, regexp_replace(indexdef, '_pkey|_key|[0-9]+', '', 'g') FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename NOT LIKE 'search%%' "
            "AND tablename <> '_migrations' ORDER BY 1, 2").fetchall()
        keys = db.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' ORDER BY 1, 2").fetchall()
    return {"columns": columns, "indexes": indexes, "foreign_keys": keys}


def test_a_blank_postgresql_store_equals_the_models(any_postgres):
    from sqlalchemy import create_engine

    from tests import postgres

    migrated = postgres.fresh(empty=True)
    modelled = postgres.fresh(empty=True)
    try:
        assert store.prepare(store.resolve(migrated)) == [s.__name__ for s in migrations.MIGRATIONS]
        assert store.prepare(store.resolve(migrated)) == []
        engine = create_engine(modelled.replace("postgresql://", "postgresql+psycopg://", 1))
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        expected, actual = _pg_shape(modelled), _pg_shape(migrated)
        assert expected["columns"]
        assert actual == expected
    finally:
        postgres.drop(migrated)
        postgres.drop(modelled)


def test_a_database_with_other_tables_is_not_taken_for_a_store(any_postgres):
    import psycopg

    from tests import postgres

    other = postgres.fresh(empty=True)
    try:
        with psycopg.connect(other) as db:
            db.execute("CREATE TABLE invoices (id integer)")
        with pytest.raises(MeglerError, match="not a megler store"):
            store.prepare(store.resolve(other))
    finally:
        postgres.drop(other)
