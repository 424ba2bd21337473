import stat

import pytest
from sqlalchemy import text
from sqlmodel import select

from megler import store
from megler.errors import MeglerError
from megler.models import Org
from megler.orgs import OrgFields, add_org


def test_megler_db_chooses_the_store(db_path, monkeypatch, tmp_path):
    assert store.resolve(None) == db_path
    assert store.resolve(tmp_path / "other.db") == tmp_path / "other.db"
    monkeypatch.delenv("MEGLER_DB")
    assert store.resolve(None) == store.default_path()
    assert store.default_path().name == "megler.db"


def test_a_new_store_is_private_and_in_a_private_folder(tmp_path):
    path = tmp_path / "nested" / "folder" / "m.db"
    store.prepare(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_pragmas_of_every_session(session):
    assert session.exec(text("PRAGMA journal_mode")).scalar() == "wal"
    assert session.exec(text("PRAGMA foreign_keys")).scalar() == 1
    assert session.exec(text("PRAGMA busy_timeout")).scalar() == 15000
    assert session.exec(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_session_is_one_transaction(db_path):
    with pytest.raises(RuntimeError):
        with store.session(db_path, write=True) as s:
            add_org(s, OrgFields(name="Halvferdig AS"))
            raise RuntimeError("the command failed half-way")
    with store.session(db_path, write=True) as s:
        add_org(s, OrgFields(name="Ferdig AS"))
    with store.session(db_path) as s:
        assert s.exec(select(Org.name)).all() == ["Ferdig AS"]


def test_a_file_that_is_no_store_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dette er ikke en database. " * 100)
    with pytest.raises(MeglerError, match="this file is not a megler store"):
        store.prepare(path)


def test_backup_copies_the_store_and_never_overwrites(session, db_path, tmp_path):
    add_org(session, OrgFields(name="Sågverket"))
    session.commit()
    db = store.connect(db_path)
    try:
        copy = store.copy_to(db, tmp_path / "copy.bak")
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        with pytest.raises(MeglerError, match="exists already"):
            store.copy_to(db, copy)
    finally:
        db.close()
    with store.session(copy) as s:
        assert s.exec(select(Org.name)).all() == ["Sågverket"]
