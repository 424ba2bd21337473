"""The catalog: YAML files -> validated entries -> one all-or-nothing import; list, show, find.

    batch = load_path("examples/catalog")          # every problem found before any write
    with store.session(db, write=True) as s:
        result = import_batch(s, batch)             # result.summary(): "added 3, changed 1, ..."
    entries = active_entries(s)                     # megler.matching.Entry, for the matcher

The format is described in README.md ("The catalog") and docs/catalog.schema.json.
"""

from pathlib import Path

from megler.catalog.importing import (
    Change,
    ImportResult,
    existing_entries,
    import_batch,
    import_entries,
    plan_import,
)
from megler.catalog.loading import Batch, CatalogProblems, Problem, load_matchbench, load_path
from megler.catalog.queries import (
    active_entries,
    entry_detail,
    entry_keys,
    find_entry,
    fingerprint,
    list_entries,
    to_entry,
)
from megler.catalog.schema import (
    CatalogFile,
    EntryIn,
    InstrumentIn,
    OfferingIn,
    ProviderIn,
    StandaloneOfferingIn,
    json_schema,
    json_schema_text,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "catalog"  # for `megler demo`

__all__ = [
    "EXAMPLES",
    "Batch", "CatalogFile", "CatalogProblems", "Change", "EntryIn", "ImportResult",
    "InstrumentIn", "OfferingIn", "Problem", "ProviderIn", "StandaloneOfferingIn",
    "active_entries", "entry_detail", "entry_keys", "existing_entries", "find_entry", "fingerprint", "import_batch",
    "import_entries", "json_schema", "json_schema_text", "list_entries", "load_matchbench",
    "load_path", "plan_import", "to_entry",
]
