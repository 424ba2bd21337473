import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from megler import store
from megler.catalog.schema import EntryIn
from megler.contacts import ContactFields, add_contact
from megler.errors import InvalidInput
from megler.export import MAX_EXPORT_BYTES, export_all, import_all
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


def test_round_trip_gives_the_same_document(session, tmp_path):
    fill(session)
    session.commit()
    first = export_all(session)
    text = json.dumps(first, ensure_ascii=False, default=str)
    with store.session(tmp_path / "copy.db", write=True) as s:
        counts = import_all(s, json.loads(text))
    assert counts["org"] == 2 and counts["referralevent"] == 2
    with store.session(tmp_path / "copy.db") as s:
        again = export_all(s)
        assert s.exec(select(Org.name).where(Org.orgnr == "5560125790")).one() == (
            "Sågverket i Årjäng AB")
    assert json.dumps(again, ensure_ascii=False, default=str) == text


@pytest.mark.parametrize("document, message", [
    ([], "not a megler export"),
    ({"format": "other"}, "not a megler export"),
    ({"format": "megler-export", "version": 99, "tables": {}}, "unknown export version 99"),
    ({"format": "megler-export", "version": 1}, "holds no tables"),
    ({"format": "megler-export", "version": 1, "tables": []}, "holds no tables"),
    ({"format": "megler-export", "version": 1, "tables": {"org": [{"name": "X", "colour": 1}]}},
     "table org, row 1, unknown fields colour"),
    ({"format": "megler-export", "version": 1, "tables": {"lunch": []}}, "unknown table lunch"),
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


def test_a_file_larger_than_any_export_is_refused_unread(tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(MAX_EXPORT_BYTES + 1)  # sparse: costs no disk, and is never read
    assert_user_error(invoke(["import", huge, "--db", tmp_path / "new.db"]), "huge.json",
                      "larger than 1,024 MB")


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
