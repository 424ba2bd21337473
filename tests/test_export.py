import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

from megler import jsonstream, store
from megler.catalog.schema import EntryIn
from megler.contacts import ContactFields, add_contact
from megler.errors import InvalidInput
from megler.export import export_all, import_all
from megler.files import json_text
from megler.followups import add_followup
from megler.models import CatalogEntry, CatalogImport, Goal, Org
from megler.needs import get_need
from megler.orgs import OrgFields, add_org
from megler.referrals import Change, add_referral, update_referral
from megler.visits import VisitDraft, add_visit
from tests.helpers import Ran, assert_user_error, count, export, invoke


def fill(s):
    mek = add_org(s, OrgFields(name="Fredrikstad Mek AS", orgnr="974760673",
                               municipality="Fredrikstad", employees=40, rd_experience=True))
    sag = add_org(s, OrgFields(name="Sågverket i Årjäng AB", orgnr="5560125790"))
    kari = add_contact(s, mek, ContactFields(name="Kari Ødegård", email="kari@fmek.no"))
    visit = add_visit(s, VisitDraft(orgs=[mek, sag], date=date(2026, 9, 1), kind="event",
                                    contact_ids=[kari.id], since_last="Ny ordre; «æøå»",
                                    needs=["Sveisesertifisering for 6 ansatte"],
                                    follow_up=date(2026, 9, 20)))
    imported = CatalogImport(source="katalog.yaml", sha256="ab" * 32, added=1,
                             imported_at=datetime(2026, 9, 1, 8, 30, tzinfo=UTC))
    s.add(imported)
    s.flush()
    entry = CatalogEntry(key="fagskolen-sveis", kind="offering", name="Sveiseteknikk",
                         keywords=["sveis", "stål"], regions=["Østfold"], audience=["company"],
                         deadline=date(2026, 12, 1), import_id=imported.id)
    entry.content_hash = EntryIn.model_validate(  # as `catalog import` stores it
        entry.model_dump(include=set(EntryIn.model_fields), warnings=False)).content_hash()
    s.add(entry)
    s.add(Goal(period="2026Q3", indicator="orgs_visited", target=40))
    s.flush()
    need = get_need(s, 1)
    referral = add_referral(s, need, "Sveiseteknikk", on=date(2026, 9, 2), entry_id=entry.id)
    update_referral(s, referral, Change(status="applied", on=date(2026, 9, 3),
                                        amount_applied=450_000, note="Søknad sendt"))
    add_followup(s, date(2026, 10, 1), "Følge opp søknaden", referral_id=referral.id,
                 today=date(2026, 9, 3))
    return visit


def test_export_holds_every_table(session):
    fill(session)
    document = export_all(session)
    assert document["format"] == "megler-export" and document["version"] == 1
    tables = document["tables"]
    for name in ("org", "contact", "visit", "visitorg", "visitcontact", "need", "referral",
                 "referralevent", "followup", "catalogentry", "catalogimport", "goal"):
        assert tables[name], name
    assert [o["name"] for o in tables["org"]] == ["Fredrikstad Mek AS", "Sågverket i Årjäng AB"]


def _dumped(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, default=str)


def test_round_trip_gives_the_same_document(session, tmp_path):
    """The same document again, but for the audit log: the import's own rows follow the old."""
    fill(session)
    session.commit()
    first = export_all(session)
    text = _dumped(first)
    with store.session(tmp_path / "copy.db", write=True) as s:
        counts = import_all(s, json.loads(text))
    assert counts["org"] == 2 and counts["referralevent"] == 2
    with store.session(tmp_path / "copy.db") as s:
        again = export_all(s)
        assert s.exec(select(Org.name).where(Org.orgnr == "5560125790")).one() == (
            "Sågverket i Årjäng AB")
    old_log, new_log = first["tables"].pop("audit"), again["tables"].pop("audit")
    assert again["sequences"].pop("audit") > first["sequences"].pop("audit")
    assert _dumped(again) == _dumped(first)
    assert _dumped(new_log[:len(old_log)]) == _dumped(old_log) and len(old_log) > 10
    assert {row["action"] for row in new_log[len(old_log):]} == {"add"}  # the import's rows


def _as_the_orm_reads_it(s, table) -> list[dict]:
    """A table's rows as SQLAlchemy's types give them, through Python's json; a datetime
    as the export writes it on both backends, its fraction without trailing zeros."""
    def value(v):
        if isinstance(v, datetime):
            head, dot, rest = v.isoformat().partition(".")
            fraction, plus, offset = rest.partition("+")
            return head + (dot + fraction.rstrip("0") if fraction.rstrip("0") else "") + plus + offset
        return v
    return [json.loads(json_text({k: value(v) for k, v in row._mapping.items()}))
            for row in s.execute(select(table))]


def test_export_writes_each_value_as_json_would_on_both_backends(any_db, session):
    """Export rows are built by the store (SQLite's json_object, PostgreSQL's row_to_json
    streamed by COPY): the same values as the ORM's, for
    floats that need 17 digits, booleans, UTC times with and without microseconds, JSON
    lists of æøå, and text with controls, backslashes and quotes."""
    fill(session)
    session.add(Goal(period="2026Q4", indicator="orgs_visited", target=0.1 + 0.2))
    session.add(Goal(period="2027Q1", indicator="orgs_visited", target=1e12))
    session.add(CatalogImport(source='C:\\Mine «filer»\\ny\u202e "2".yaml', sha256="cd" * 32, added=0,
                              imported_at=datetime(2026, 9, 2, 8, 30, 1, 250, tzinfo=UTC)))
    session.commit()
    tables = export_all(session)["tables"]
    for table in SQLModel.metadata.sorted_tables:
        if table.name in tables:
            assert tables[table.name] == _as_the_orm_reads_it(session, table), table.name
    assert [g["target"] for g in tables["goal"]] == [40.0, 0.1 + 0.2, 1e12]
    assert tables["catalogimport"][-1]["imported_at"] == "2026-09-02T08:30:01.00025+00:00"


@pytest.mark.parametrize("document, message", [
    ([], "not a megler export"),
    ({"format": "other"}, "not a megler export"),
    ({"format": "megler-export", "version": 99, "tables": {}}, "unknown export version 99"),
    ({"format": "megler-export", "version": 1}, "holds no tables"),
    ({"format": "megler-export", "version": 1, "tables": []}, "holds no tables"),
    ({"format": "megler-export", "version": 1, "tables": {"org": [{"name": "X", "colour": 1}]}},
     "table org, row 1, unknown fields colour"),
    ({"format": "megler-export", "version": 1, "tables": {"lunch": []}}, "unknown table lunch"),
    ({"format": "megler-export", "version": 1, "tables": {}, "sequences": [1]}, "map tables to the highest id"),
    ({"format": "megler-export", "version": 1, "tables": {}, "sequences": {"lunch": 3}}, "map tables"),
    ({"format": "megler-export", "version": 1, "tables": {}, "sequences": {"org": -1}},
     "the sequence of org cannot be negative"),
    ({"format": "megler-export", "version": 1, "tables": {"org": ["X"]}}, "table org"),
    ({"format": "megler-export", "version": 1, "tables": {"visit": [
        {"id": 1, "date": "1. sept", "kind": "visit"}]}}, "table visit"),
    ({"format": "megler-export", "version": 1, "tables": {"visitorg": [
        {"visit_id": 5, "org_id": 7, "position": 0}]}}, "table visitorg"),
])
def test_a_bad_document_is_refused(session, document, message):
    with pytest.raises(InvalidInput, match=message):
        import_all(session, document)


def test_import_only_into_an_empty_store(session):
    add_org(session, OrgFields(name="Mek"))
    document = export_all(session)
    with pytest.raises(InvalidInput, match="not empty"):
        import_all(session, document)


def test_a_catalog_import_can_be_recorded_with_its_default_time(db_path):
    with store.session(db_path, write=True) as s:
        s.add(CatalogImport(source="katalog.yaml", sha256="ab" * 32))


# -- `megler import` through the command line: every row by the CLI's own rules -----------

MINIMAL = Path(__file__).parent / "data" / "export" / "minimal.json"  # one row of each noun


def _import(tmp_path: Path, document: dict | str) -> Ran:
    source = tmp_path / "eksport.json"
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    source.write_text(text, encoding="utf-8")
    return invoke(["import", source, "--db", tmp_path / "new.db"])


def _left_empty(db: Path) -> bool:
    return not db.exists() or all(rows == [] for rows in export(db)["tables"].values())


def test_the_small_export_the_bad_cases_are_made_from_imports(tmp_path):
    # tests/data/bad/export/*.json are this document with one thing wrong each
    ran = _import(tmp_path, MINIMAL.read_text("utf-8"))
    assert ran.code == 0, ran.err
    assert count(tmp_path / "new.db", "referralevent") == 2
    assert invoke(["check", "--db", tmp_path / "new.db", "-f", "json"]).code == 0


def test_a_need_text_of_3_mb_is_refused_and_nothing_imported(tmp_path):
    document = json.loads(MINIMAL.read_text("utf-8"))
    document["tables"]["need"][0]["text"] = "Sveis " * 500_000
    assert_user_error(_import(tmp_path, document), "table need, row 1 (id 1), text",
                      "text too long (3,000,000 characters")
    assert _left_empty(tmp_path / "new.db")


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a": ', "}")])
def test_json_nested_100000_deep_is_one_line(tmp_path, opening, closing):
    ran = _import(tmp_path, opening * 100_000 + "1" + closing * 100_000)
    assert_user_error(ran, "eksport.json", "cannot read the export", "nested more than")
    assert not (tmp_path / "new.db").exists()


def test_a_number_longer_than_python_reads_is_one_line(tmp_path):
    ran = _import(tmp_path, '{"format": "megler-export", "version": 1, "tables": {"org": [{"id": '
                  + "9" * 5000 + "}]}}")
    assert_user_error(ran, "eksport.json", "cannot read the export", "a number too long")
    assert not (tmp_path / "new.db").exists()


def test_a_huge_file_that_is_no_export_is_refused_at_its_first_bytes(tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(2 << 30)  # sparse: costs no disk, and only its first chunk is read
    assert_user_error(invoke(["import", huge, "--db", tmp_path / "new.db"]), "huge.json",
                      "cannot read the export", "char 0")
    assert not (tmp_path / "new.db").exists()


def test_words_an_older_import_let_in_are_found_by_check_and_break_nothing(tmp_path):
    db = tmp_path / "new.db"
    assert _import(tmp_path, MINIMAL.read_text("utf-8")).code == 0
    with sqlite3.connect(db) as con:  # as `megler import` stored whatever the JSON held
        con.execute("UPDATE need SET status = 'teleported', kind = 'magic'")
        con.execute("UPDATE referral SET status = 'teleported'")
        con.execute("UPDATE referralevent SET status = 'teleported'")
    code, out, err = invoke(["check", "--db", db, "-f", "json"])
    assert (code, err) == (0, "")
    unknown = [(f["ids"], f["what"]) for f in json.loads(out) if f["kind"] == "unknown word"]
    assert unknown == [("need #1", "kind 'magic' is no need kind"),
                       ("need #1", "status 'teleported' is no need status"),
                       ("referral #1", "status 'teleported' is no referral status"),
                       ("referralevent #1", "status 'teleported' is no referral status"),
                       ("referralevent #2", "status 'teleported' is no referral status")]
    assert_user_error(invoke(["report", "--period", "2026Q3", "--db", db]), "'teleported'",
                      "megler check")
    assert_user_error(invoke(["referral", "update", "1", "--status", "granted", "--db", db]),
                      "referral #1 has the unknown status 'teleported'")


# -- the audit log travels; the export streams ---------------------------------------------

def _audit_log(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT id, time, command, action, entity, entity_id FROM audit "
                           "ORDER BY id").fetchall()


def test_export_then_import_keeps_the_audit_log(case_db, tmp_path, cli):
    """`export` then `import` once lost the log: it is put back as it was, ids and times,
    and the import's own rows follow it."""
    old = _audit_log(case_db)
    assert cli("export", tmp_path / "eksport.json").code == 0
    assert cli("import", tmp_path / "eksport.json", "--db", tmp_path / "new.db").code == 0
    log = _audit_log(tmp_path / "new.db")
    assert log[:len(old)] == old and len(old) > 10
    assert {row[2] for row in log[len(old):]} == {"megler import"}
    assert log[len(old)][0] > old[-1][0]
    with sqlite3.connect(tmp_path / "new.db") as con, pytest.raises(sqlite3.IntegrityError):
        con.execute("DELETE FROM audit")  # still append-only


def test_an_erased_id_is_not_given_again_after_export_and_import(case_db, tmp_path, cli):
    """The audit log names org #N's erasure: a new org in the imported store must not be
    #N too, even when N was the highest id."""
    added = cli("org", "add", "Midlertidig AS")
    erased = int(re.search(r"#(\d+)", added.out + added.err).group(1))
    assert cli("org", "erase", str(erased), "--yes").code == 0
    assert cli("export", tmp_path / "eksport.json").code == 0
    assert cli("import", tmp_path / "eksport.json", "--db", tmp_path / "new.db").code == 0
    again = cli("org", "add", "Ny AS", "--db", tmp_path / "new.db")
    assert f"#{erased + 1}" in again.out + again.err


def test_import_into_a_store_with_a_log_of_its_own_is_refused(case_db, tmp_path, cli):
    assert cli("export", tmp_path / "eksport.json").code == 0
    new = tmp_path / "new.db"
    assert cli("org", "add", "Kortlivet AS", "--db", new).code == 0
    assert cli("org", "erase", "1", "--yes", "--db", new).code == 0  # no data, but a history
    assert_user_error(cli("import", tmp_path / "eksport.json", "--db", new), "not empty")


def _store_of(db: Path, visits: int) -> Path:
    with store.session(db, write=True) as s:
        add_org(s, OrgFields(name="Fredrikstad Mek AS"))
    with sqlite3.connect(db) as con:
        con.executemany("INSERT INTO visit (id, date, kind, notes) VALUES (?, '2026-09-01', 'visit', ?)",
                        ((i, f"Møte nummer {i} om sveisekurs og lærlinger " * 4) for i in range(1, visits + 1)))
        con.execute("INSERT INTO visitorg SELECT id, 1, 0 FROM visit")
    store.close(db)
    return db


def _peak(*args) -> int:
    """The most memory Python held while `megler ARGS` ran (and it succeeded)."""
    import tracemalloc

    tracemalloc.start()
    try:
        ran = invoke(list(args))
        assert ran.code == 0, ran.err
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _peak_export(db: Path, out: Path) -> int:
    return _peak("export", out, "--db", db)


def test_export_memory_stays_flat_as_the_store_grows(tmp_path):
    """`export` of a decade's store took 1.7 GB: every row in a list, then the whole text."""
    small, big = _store_of(tmp_path / "small.db", 1_000), _store_of(tmp_path / "big.db", 8_000)
    _peak_export(small, tmp_path / "warm.json")  # the modules' own memory, once
    peaks = [_peak_export(db, tmp_path / f"{db.stem}.json") for db in (small, big)]
    assert (tmp_path / "big.json").stat().st_size > 6 * (tmp_path / "small.json").stat().st_size
    assert peaks[1] < 1.5 * peaks[0], peaks
    assert json.loads((tmp_path / "big.json").read_text("utf-8"))["tables"]["visit"][-1]["id"] == 8_000


def test_import_never_holds_the_document(tmp_path, monkeypatch):
    """`import` read the whole document first: 3.2 GB for a decade's 780 MB export. Now
    it reads a row at a time, and keeps only the ids later rows refer to."""
    monkeypatch.setattr(jsonstream, "CHUNK", 1 << 16)
    db = _store_of(tmp_path / "long.db", 100)
    with sqlite3.connect(db) as con:  # a long audit log, as a decade has (3 million rows)
        con.execute("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000)
                       INSERT INTO audit (time, command, action, entity, entity_id, broker)
                       SELECT '2026-09-01 12:00:00.000250', 'visit add', 'add', 'visit', i, 'kari'
                       FROM n""")
    assert invoke(["export", tmp_path / "long.json", "--db", db]).code == 0
    size = (tmp_path / "long.json").stat().st_size
    peak = _peak("import", tmp_path / "long.json", "--db", tmp_path / "new.db")
    assert size > 11_000_000 and peak < size / 3, (peak, size)
    assert count(tmp_path / "new.db", "audit") > 80_000


def test_tables_in_another_order_wait_for_their_turn(tmp_path):
    """An export holds each table after those it refers to; a document written otherwise
    (by hand, by another tool) is read all the same."""
    document = {"format": "megler-export", "version": 1, "tables": {
        "visitorg": [{"visit_id": 1, "org_id": 1, "position": 0}],
        "visit": [{"id": 1, "date": "2026-09-01", "kind": "visit", "notes": "Om sveising"}],
        "org": [{"id": 1, "name": "Fredrikstad Mek AS"}]}}
    (tmp_path / "hand.json").write_text(json.dumps(document), "utf-8")
    ran = invoke(["import", tmp_path / "hand.json", "--db", tmp_path / "new.db"])
    assert ran.code == 0, ran.err
    assert count(tmp_path / "new.db", "visitorg") == 1


def test_a_table_given_twice_is_refused(tmp_path):
    org = '[{"id": 1, "name": "Fredrikstad Mek AS"}]'
    (tmp_path / "twice.json").write_text(
        f'{{"format": "megler-export", "version": 1, "tables": {{"org": {org}, "org": {org}}}}}', "utf-8")
    assert_user_error(invoke(["import", tmp_path / "twice.json", "--db", tmp_path / "new.db"]),
                      "twice.json", "holds table org twice")
    assert count(tmp_path / "new.db", "org") == 0


@pytest.mark.usefixtures("any_db")
def test_a_long_table_names_the_row_that_breaks_it(db_path):
    """Rows go in a thousand at a time; the one that breaks a batch is still named."""
    orgs = [{"id": i, "name": f"Bedrift {i} AS"} for i in range(1, 1601)]
    orgs[1499]["id"] = 3  # row 1500 takes the id of row 3
    with pytest.raises(InvalidInput, match=r"table org, row 1500 \(id 3\): .*(UNIQUE|unique)"):
        with store.session(db_path, write=True) as s:
            import_all(s, {"format": "megler-export", "version": 1, "tables": {"org": orgs}})
    with store.session(db_path) as s:
        assert s.exec(select(Org)).first() is None


@pytest.mark.usefixtures("any_db")
def test_rows_that_leave_out_a_field_get_its_default(session):
    """A batch mixing rows with and without a field: the default, never a NULL."""
    document = {"format": "megler-export", "version": 1, "tables": {"org": [
        {"id": 1, "name": "Moss Data AS", "country": "NO"},
        {"id": 2, "name": "Sågverket i Årjäng AB", "country": "SE"},
        {"id": 3, "name": "Halden Lean AS"}]}}
    assert import_all(session, document)["org"] == 3
    assert [o.country for o in session.exec(select(Org).order_by(Org.id))] == ["NO", "SE", "NO"]


@pytest.mark.parametrize("field, value", [("status", "granted"), ("amount_applied", 500_000)])
def test_a_referral_that_its_history_does_not_end_in_is_refused(session, tmp_path, field, value):
    """The report reads a referral unchanged since a period's end from its own columns:
    they must hold what its last event holds."""
    fill(session)
    session.commit()
    document = json.loads(_dumped(export_all(session)))
    document["tables"]["referral"][0][field] = value
    with pytest.raises(InvalidInput, match=f"table referral \\(id 1\\), {field}: .*last referralevent"):
        with store.session(tmp_path / "copy.db", write=True) as s:
            import_all(s, document)
