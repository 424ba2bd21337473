"""Nothing in megler parses YAML with a loader that can build Python objects."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "megler"
UNSAFE = re.compile(r"(?<![\w.])yaml\.(load|load_all|unsafe_load|full_load)\s*\(|Loader\s*=\s*(?!\w*Safe)|"
                    r"yaml\.(Unsafe|Full)?Loader\b(?!\w)|yaml\.Loader\b")


def test_only_safe_loaders_are_used():
    offenders = []
    for path in SRC.rglob("*.py"):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if UNSAFE.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_yaml_file_is_read_by_the_one_bounded_loader():
    """megler.safeyaml bounds aliases and nesting; a plain safe_load elsewhere would not."""
    offenders = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
                 for path in SRC.rglob("*.py") if path.name != "safeyaml.py"
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if re.search(r"(?<![\w.])yaml\.(safe_load|SafeLoader)\b", line)]
    assert offenders == []


def test_custom_loaders_derive_from_the_safe_one():
    import yaml

    from megler.catalog import loading
    from megler.safeyaml import BoundedLoader

    loaders = [v for v in vars(loading).values() if isinstance(v, type) and issubclass(v, yaml.BaseLoader)]
    assert all(issubclass(loader, yaml.SafeLoader) for loader in loaders), loaders
    assert issubclass(loading.CatalogLoader, BoundedLoader)
