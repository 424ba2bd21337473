"""Small catalog files written on the spot, and the helpers the catalog tests share."""

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from megler import catalog, store
from megler.models import CatalogEntry, CatalogImport

INSTRUMENT = """\
  - key: {key}
    name: {name}
    agency: Norges forskningsråd
    description: Skattefradrag for bedrifter med FoU-prosjekter.
    language: nb
    country: "NO"
    regions: ["*"]
    audience: [company]
"""


def instruments(*keys: str, name: str = "Ordning") -> str:
    """A catalog file holding one instrument per key."""
    return "instruments:\n" + "".join(INSTRUMENT.format(key=k, name=f"{name} {k}") for k in keys)


@pytest.fixture
def write(tmp_path) -> Callable[..., Path]:
    """`write("a.yaml", text)` puts a file in tmp_path/catalog and returns its path."""

    def put(name: str, text: str | bytes) -> Path:
        path = tmp_path / "catalog" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return put


@pytest.fixture
def run_import(db_path) -> Callable[..., catalog.ImportResult]:
    """Load and import a path in its own transaction, as `megler catalog import` does."""

    def run(path: Path, **options) -> catalog.ImportResult:
        batch = catalog.load_path(path)
        with store.session(db_path, write=True) as s:
            return catalog.import_batch(s, batch, **options)

    return run


def snapshot(db_path: Path) -> tuple[list, list]:
    """Everything the catalog keeps, to compare before and after."""
    with store.session(db_path) as s:
        entries = [e.model_dump() for e in s.exec(select(CatalogEntry).order_by(CatalogEntry.id))]
        imports = [i.model_dump() for i in s.exec(select(CatalogImport).order_by(CatalogImport.id))]
    return entries, imports


def rows(db_path: Path) -> dict[str, CatalogEntry]:
    with store.session(db_path) as s:
        return {e.key: e for e in s.exec(select(CatalogEntry))}
