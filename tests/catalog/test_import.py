"""Importing: idempotent, all or nothing, retiring instead of deleting, per-file scope."""

from datetime import date

import pytest

from megler import catalog, store
from megler.errors import CatalogError
from megler.models import Need, Org, Referral
from tests.catalog.conftest import instruments, rows, snapshot


def test_first_import_adds_every_entry_and_records_the_file(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    result = run_import(path)
    assert (result.added, result.changed, result.retired, result.unchanged) == (2, 0, 0, 0)
    entries, imports = snapshot(db_path)
    assert [e["key"] for e in entries] == ["skattefunn", "ipn"]
    assert len(imports) == 1
    assert imports[0]["source"] == str(path.resolve())
    assert (imports[0]["added"], imports[0]["changed"], imports[0]["retired"]) == (2, 0, 0)
    assert len(imports[0]["sha256"]) == 64


def test_a_second_import_of_the_same_file_changes_nothing(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    before = snapshot(db_path)
    result = run_import(path)
    assert result.changes == [] and result.unchanged == 2
    assert result.imports == []  # a no-op import records no CatalogImport row
    assert snapshot(db_path) == before


def test_reformatting_a_file_is_not_a_change(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn"))
    run_import(path)
    before = snapshot(db_path)
    path.write_text("# a comment\n" + path.read_text().replace('["*"]', "\n      - '*'"))
    assert run_import(path).changes == []
    assert snapshot(db_path) == before


def test_a_changed_entry_names_the_fields_that_changed(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    path.write_text(path.read_text().replace("Ordning ipn", "IPN").replace(
        "audience: [company]\n", "audience: [company]\n    deadline: 2027-03-04\n", 1))
    result = run_import(path)
    assert [(c.action, c.key, c.fields) for c in result.changes] == [
        ("change", "skattefunn", ("deadline",)), ("change", "ipn", ("name",))]
    assert rows(db_path)["skattefunn"].deadline == date(2027, 3, 4)


def test_one_bad_entry_imports_nothing(write, run_import, db_path):
    good = write("a.yaml", instruments("skattefunn"))
    run_import(good)
    before = snapshot(db_path)
    good.write_text(instruments("skattefunn", "ipn", "eurostars").replace(
        "country: \"NO\"", "country: DK", 1))
    with pytest.raises(CatalogError, match="country"):
        run_import(good)
    assert snapshot(db_path) == before


def test_one_bad_file_in_a_folder_imports_nothing(write, run_import, db_path):
    write("a.yaml", instruments("skattefunn"))
    write("b.yaml", instruments("ipn").replace("language: nb", "language: de"))
    with pytest.raises(CatalogError, match=r"b\.yaml:\d+: entry 'ipn': language"):
        run_import(write("a.yaml", instruments("skattefunn")).parent)
    assert snapshot(db_path) == ([], [])


def test_a_failure_while_writing_rolls_everything_back(write, db_path, monkeypatch):
    batch = catalog.load_path(write("a.yaml", instruments("skattefunn", "ipn")))
    calls = []

    def columns_then_fail(entry):
        if calls:
            raise RuntimeError("disk gone")
        calls.append(entry.key)
        return original(entry)

    from megler.catalog import importing
    original = importing._columns
    monkeypatch.setattr(importing, "_columns", columns_then_fail)
    with pytest.raises(RuntimeError):
        with store.session(db_path, write=True) as s:
            catalog.import_batch(s, batch)
    assert snapshot(db_path) == ([], [])


def test_an_entry_gone_from_its_file_is_retired_and_can_come_back(write, run_import, db_path,
                                                                   monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2026-10-01")
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    path.write_text(instruments("skattefunn"))
    result = run_import(path)
    assert [(c.action, c.key) for c in result.changes] == [("retire", "ipn")]
    assert rows(db_path)["ipn"].retired_on == date(2026, 10, 1)
    path.write_text(instruments("skattefunn", "ipn"))
    result = run_import(path)
    assert [(c.action, c.key) for c in result.changes] == [("restore", "ipn")]
    assert rows(db_path)["ipn"].retired_on is None
    assert len(snapshot(db_path)[0]) == 2  # the same row, never a copy


def test_an_entry_a_referral_points_to_is_retired_not_deleted(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    with store.session(db_path, write=True) as s:
        org = Org(name="Fredrikstad Mek AS")
        s.add(org)
        s.flush()
        need = Need(org_id=org.id, text="FoU-prosjekt", kind="rd", date=date(2026, 9, 1))
        s.add(need)
        s.flush()
        entry_id = rows(db_path)["ipn"].id
        s.add(Referral(need_id=need.id, entry_id=entry_id, target="IPN", date=date(2026, 9, 2)))
    path.write_text(instruments("skattefunn"))
    run_import(path)
    with store.session(db_path) as s:
        referral = s.get(Referral, 1)
        assert referral.entry_id == entry_id
        detail = catalog.entry_detail(s, catalog.find_entry(s, "ipn"))
    assert detail["retired_on"] is not None
    assert [r["id"] for r in detail["referrals"]] == [1]


def test_importing_one_file_retires_only_entries_from_that_file(write, run_import, db_path):
    a = write("a.yaml", instruments("skattefunn"))
    b = write("b.yaml", instruments("ipn"))
    run_import(a.parent)
    b.write_text(instruments("eurostars"))
    result = run_import(b)
    assert sorted((c.action, c.key) for c in result.changes) == [
        ("add", "eurostars"), ("retire", "ipn")]
    assert rows(db_path)["skattefunn"].retired_on is None


def test_importing_a_folder_retires_the_entries_of_a_deleted_file(write, run_import, db_path):
    a = write("a.yaml", instruments("skattefunn"))
    b = write("b.yaml", instruments("ipn"))
    run_import(a.parent)
    b.unlink()
    result = run_import(a.parent)
    assert [(c.action, c.key) for c in result.changes] == [("retire", "ipn")]
    _, imports = snapshot(db_path)
    assert imports[-1]["source"] == str(b.resolve()) and imports[-1]["retired"] == 1


def test_an_entry_may_move_between_files_of_one_folder(write, run_import, db_path):
    a = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(a.parent)
    a.write_text(instruments("skattefunn"))
    write("b.yaml", instruments("ipn"))
    result = run_import(a.parent)
    assert [(c.action, c.key, c.fields) for c in result.changes] == [("change", "ipn", ("source",))]
    assert run_import(a.parent).changes == []


def test_a_key_owned_by_another_file_is_refused(write, run_import, db_path):
    run_import(write("a.yaml", instruments("skattefunn")))
    before = snapshot(db_path)
    with pytest.raises(CatalogError, match=r"'skattefunn'.*already in the catalog from .*a\.yaml"):
        run_import(write("b.yaml", instruments("skattefunn")))
    assert snapshot(db_path) == before


def test_dry_run_reports_and_writes_nothing(write, run_import, db_path):
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    before = snapshot(db_path)
    path.write_text(instruments("skattefunn", "eurostars").replace("Ordning skattefunn", "SkatteFUNN"))
    result = run_import(path, dry_run=True)
    assert sorted((c.action, c.key) for c in result.changes) == [
        ("add", "eurostars"), ("change", "skattefunn"), ("retire", "ipn")]
    assert result.dry_run and result.imports == []
    assert snapshot(db_path) == before


def test_active_entries_are_the_matchers_entries(write, run_import, db_path):
    matching = pytest.importorskip("megler.matching")
    path = write("a.yaml", instruments("skattefunn", "ipn"))
    run_import(path)
    path.write_text(instruments("skattefunn"))
    run_import(path)
    with store.session(db_path) as s:
        entries = catalog.active_entries(s)
    assert [e.name for e in entries] == ["Ordning skattefunn"]
    entry = entries[0]
    assert isinstance(entry, matching.Entry)
    assert isinstance(entry.id, int) and entry.kind == "instrument"
    assert entry.regions == ("*",) and entry.audience == ("company",)
    assert entry.agency == "Norges forskningsråd" and entry.deadline is None


def test_import_entries_takes_a_matchbench_catalog(tmp_path, db_path):
    bench = tmp_path / "bench.json"
    bench.write_text("""{"version": 1, "needs": [], "catalog": [
      {"id": "c001", "kind": "offering", "name": "Sveisekurs", "provider": "Fagskolen Østfold",
       "description": "MAG og TIG.", "keywords": ["sveis"], "language": "nb", "country": "NO",
       "regions": ["Østfold"], "audience": ["company"], "min_employees": null,
       "max_employees": null, "deadline": null, "cost_nok": 18500},
      {"id": "c002", "kind": "instrument", "name": "SkatteFUNN", "agency": "Forskningsrådet",
       "description": "Skattefradrag.", "keywords": [], "language": "nb", "country": "NO",
       "regions": ["*"], "audience": ["company"], "min_employees": null, "max_employees": 249,
       "deadline": "2026-03-04", "max_amount_nok": 25000000}]}""", encoding="utf-8")
    entries = catalog.load_matchbench(bench)
    with store.session(db_path, write=True) as s:
        result = catalog.import_entries(s, entries, source=str(bench))
    assert result.added == 2
    stored = rows(db_path)
    assert stored["c001"].provider == "Fagskolen Østfold" and stored["c001"].cost == 18500
    assert stored["c002"].deadline == date(2026, 3, 4) and stored["c002"].max_employees == 249


def test_a_matchbench_entry_of_unknown_kind_is_an_error(tmp_path):
    bench = tmp_path / "bench.json"
    bench.write_text('{"catalog": [{"id": "c1", "kind": "course"}]}')
    with pytest.raises(CatalogError, match="catalog #1: kind"):
        catalog.load_matchbench(bench)
