"""The shipped example catalog, the committed JSON Schema, and the benchmark's catalog."""

import json
from collections import Counter
from pathlib import Path

import pytest

from megler import catalog

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "matchbench" / "dev.json"


def test_the_committed_schema_is_what_the_models_generate():
    committed = (ROOT / "docs" / "catalog.schema.json").read_text(encoding="utf-8")
    assert committed == catalog.json_schema_text(), (
        "regenerate it: python -c \"from megler.catalog import json_schema_text as t; "
        "print(t(), end='')\" > docs/catalog.schema.json")


def test_the_schema_forbids_unknown_fields_everywhere():
    schema = catalog.json_schema()
    objects = {name: part for name, part in schema["$defs"].items() if part["type"] == "object"}
    assert set(objects) >= {"InstrumentIn", "OfferingIn", "ProviderIn", "StandaloneOfferingIn"}
    for name, part in objects.items():
        assert part.get("additionalProperties") is False, name


def test_the_example_catalog_loads_and_covers_the_regions():
    batch = catalog.load_path(catalog.EXAMPLES)
    entries = batch.entries
    assert len(entries) >= 150
    assert {Path(f).name for f in batch.files} == {
        "ostfold.yaml", "nordland.yaml", "fyrbodal.yaml", "norway-national.yaml",
        "sweden-national.yaml"}
    kinds = Counter(e.kind for e in entries)
    assert kinds["offering"] > 80 and kinds["instrument"] > 40 and kinds["provider"] > 10
    regions = {r for e in entries for r in e.regions}
    assert {"Østfold", "Rana", "Bodø", "Västra Götaland", "Trollhättan", "*"} <= regions
    assert {e.country for e in entries} == {"NO", "SE"}
    names = " ".join(e.name for e in entries)
    for instrument in ("SkatteFUNN", "Omställningsstudiestöd", "Bedriftsintern opplæring"):
        assert instrument in names


@pytest.mark.skipif(not DEV.exists(), reason="the match benchmark is not next to the repo")
def test_the_benchmark_catalog_converts_whole():
    entries = catalog.load_matchbench(DEV)
    document = json.loads(DEV.read_text(encoding="utf-8"))
    assert sorted(e.key for e in entries) == sorted(c["id"] for c in document["catalog"])


def test_the_example_in_the_readme_is_a_valid_catalog(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "doc.yaml").write_text(block, encoding="utf-8")
    entries = catalog.load_path(tmp_path / "doc.yaml").entries
    assert [e.key for e in entries] == ["hiof", "hiof-ki-i-praksis", "inkubator-halden", "skattefunn"]
    assert entries[1].provider == "Høgskolen i Østfold" and entries[1].regions == ["*"]
