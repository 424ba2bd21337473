"""Reading catalog files into validated entries, with every problem found up front.

YAML is read with a SafeLoader that also refuses duplicate keys; the node tree is
kept so that each problem can name its line as well as its file, entry and field.
Nothing is imported until every file of a batch is clean.
"""

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from megler.catalog.schema import (
    CatalogFile,
    EntryIn,
    InstrumentIn,
    OfferingIn,
    ProviderIn,
    StandaloneOfferingIn,
    flatten,
)
from megler.errors import CatalogError
from megler.progress import steps
from megler.safeyaml import BoundedLoader, OutOfBounds

SUFFIXES = (".yaml", ".yml")
_SECTIONS: dict[str, type[BaseModel]] = {"providers": ProviderIn, "offerings": StandaloneOfferingIn,
                                         "instruments": InstrumentIn}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, shown as `file:line: entry: field: what is wrong`."""

    file: str
    message: str
    line: int | None = None
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(p for p in (where, self.entry, self.field, self.message) if p)


class CatalogProblems(CatalogError):
    """Every problem of a batch; the message is the first, with a count of the rest."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


@dataclass
class Batch:
    """Validated entries per source file. `scope` is the FILE or DIR given: an import
    retires the entries that came from files under it and are no longer there."""

    scope: str
    files: dict[str, list[EntryIn]] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)

    @property
    def entries(self) -> list[EntryIn]:
        return [e for entries in self.files.values() for e in entries]


class DuplicateKey(Exception):
    def __init__(self, mapping: MappingNode, key: ScalarNode, first: ScalarNode):
        super().__init__(key.value)
        self.mapping, self.key, self.first = mapping, key, first


class CatalogLoader(BoundedLoader):
    """megler's bounded SafeLoader, except that a key given twice in one mapping is an error
    (PyYAML silently keeps the last one, so a pasted field would overwrite another)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, MappingNode):
            seen: dict[str, ScalarNode] = {}
            for key, _ in node.value:
                if isinstance(key, ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        raise DuplicateKey(node, key, seen[key.value])
                    seen[key.value] = key
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        """An impossible date (2027-02-30) stays text, so validation names entry and field."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return node.value


CatalogLoader.add_constructor("tag:yaml.org,2002:timestamp", CatalogLoader.construct_yaml_timestamp)


def load_path(path: str | Path) -> Batch:
    """Read and validate a catalog FILE, or every .yaml/.yml file under a DIR.

    Example: load_path("examples/catalog")  # -> Batch with 5 files
    """
    if not str(path).strip():  # Path("") is the current folder: not what was meant
        raise CatalogError("name a catalog file or folder (FILE|DIR)")
    root = Path(path).expanduser()
    if not root.exists():
        raise CatalogError(f"{path}: no such file or folder")
    batch, problems = Batch(scope=str(root.resolve())), []
    lines: dict[str, list[tuple[str, int | None]]] = {}  # each key's (file, line) places
    for file in steps(_catalog_files(root), "Reading the catalog"):
        source = str(file.resolve())
        problems += _load_file(file, source, batch, lines)
    problems += _duplicate_keys(batch, lines)
    if problems:
        raise CatalogProblems(problems)
    return batch


def _catalog_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not files:
        raise CatalogError(f"{root}: no .yaml or .yml files in this folder")
    return files


def shown(path: str | Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_file(file: Path, source: str, batch: Batch, lines: dict) -> list[Problem]:
    name = shown(file)
    try:
        raw = file.read_bytes()
    except OSError as e:
        return [Problem(name, f"cannot read it: {e.strerror}")]
    text, problems = _decode(raw, name)
    if problems:
        return problems
    node, data, problems = _parse(text, name)
    if problems:
        return problems
    parsed, problems = _validate(data, node, name)
    if parsed is None:
        return problems
    entries = flatten(parsed)
    for entry, loc in zip(entries, _entry_locs(parsed), strict=True):
        lines[entry.key] = lines.get(entry.key, []) + [(name, _line(_node_at(node, loc)))]
    batch.files[source] = entries
    batch.sha256[source] = hashlib.sha256(raw).hexdigest()
    return []


def _decode(raw: bytes, name: str) -> tuple[str, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return "", [Problem(name, f"is not UTF-8 text (byte 0x{raw[e.start]:02x}); "
                                  "save it as UTF-8", line, _near(raw.decode("utf-8", "replace"), line))]
    tabbed = [n for n, row in enumerate(text.splitlines(), 1)
              if "\t" in row[:len(row) - len(row.lstrip(" \t"))]]
    return text, [Problem(name, "a tab in the indentation; YAML indents with spaces only", n,
                          _near(text, n)) for n in tabbed[:5]]


def _near(text: str, line: int) -> str | None:
    """The entry a broken line belongs to, guessed from the last `key:` above it: the
    file cannot be parsed, so this is the best a message can say about the entry."""
    for row in reversed(text.splitlines()[:line]):
        word = row.strip().removeprefix("-").strip()
        if word.startswith("key:"):
            return f"near entry {word[4:].strip()!r}"
    return None


def _parse(text: str, name: str) -> tuple[Node | None, Any, list[Problem]]:
    loader = None
    try:  # the loader refuses control characters as soon as it is made
        loader = CatalogLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except DuplicateKey as e:
        return None, None, [Problem(name, f"given twice (first on line {_line(e.first)})",
                                    _line(e.key), _label_node(e.mapping), e.key.value)]
    except OutOfBounds as e:
        return None, None, [Problem(name, e.message, e.line, _near(text, e.line))]
    except yaml.MarkedYAMLError as e:
        return None, None, [_yaml_problem(e, text, name)]
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        return None, None, [Problem(name, f"holds a control character (#x{e.character:x}) "
                                          "that YAML does not allow; remove it", line,
                                    _near(text, line))]
    except yaml.YAMLError as e:
        return None, None, [Problem(name, f"is not YAML: {_first_line(e)}")]
    finally:
        if loader:
            loader.dispose()
    if data is None:
        return None, None, [Problem(name, "is empty; a catalog file holds providers:, "
                                          "offerings: or instruments:")]
    if not isinstance(data, dict):
        return None, None, [Problem(name, "is not a catalog: expected providers:, offerings: "
                                          f"or instruments: at the top, found {_kind(data)}", 1)]
    return node, data, []


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _yaml_problem(e: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else None
    message = " ".join(filter(None, [e.context, e.problem]))
    row = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "*" in row and ("alias" in message or "alphabetic" in message):
        message += '; a lone * starts a YAML alias: write "*" in quotes'
    return Problem(name, f"is not valid YAML: {message}".replace("\n", " "), line,
                   _near(text, line or 0))


def _validate(data: dict, node: Node | None, name: str) -> tuple[CatalogFile | None, list[Problem]]:
    try:
        return CatalogFile.model_validate(data), []
    except ValidationError as e:
        problems = [_pydantic_problem(err, data, node, name) for err in e.errors()]
        return None, sorted(problems, key=lambda p: p.line or 0)


def _pydantic_problem(err: ErrorDetails, data: dict, node: Node | None, name: str) -> Problem:
    loc = tuple(err["loc"])
    split = _entry_depth(loc)
    at = _node_at(node, loc)
    field_path = " ".join(f"item {p + 1}" if isinstance(p, int) else p for p in loc[split:])
    return Problem(name, _message(err, at, loc, split), _line(at),
                   _label(data, loc[:split]) if split else None, field_path or None)


def _entry_depth(loc: tuple) -> int:
    """How much of an error's location names the entry (the rest names the field)."""
    if len(loc) >= 4 and loc[0] == "providers" and loc[2] == "offerings" and isinstance(loc[3], int):
        return 4
    return 2 if len(loc) >= 2 and isinstance(loc[1], int) else 0


def _message(err: ErrorDetails, at: Node | None, loc: tuple, split: int) -> str:
    value, kind = err.get("input"), err["type"]
    if kind in ("string_type", "enum") and isinstance(at, ScalarNode) \
            and at.style is None and not isinstance(value, str):
        read = str(value).lower() if isinstance(value, bool) else f"a {_kind(value)}"
        return f'{at.value} was read as {read}; write "{at.value}" in quotes'
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return _unknown(loc, split)
    message = _PLAIN.get(kind.split("_")[0] if kind.startswith(("int_", "date_")) else kind)
    message = message or err["msg"].removeprefix("Value error, ").replace("Input should", "should")
    if (kind == "enum" or kind.endswith(("_type", "_parsing", "_pattern_mismatch", "_inexact"))) \
            and isinstance(value, (str, int, float)):
        message += f", got {value!r}"
    return message


# pydantic's wording where a broker would be left guessing
_PLAIN = {"int": "should be a whole number", "date": "should be a date written YYYY-MM-DD",
          "string_type": "should be text", "list_type": "should be a list, e.g. [a, b]",
          "model_type": "should be a mapping of fields (key: value lines)",
          "string_too_short": "should not be empty"}


def _unknown(loc: tuple, split: int) -> str:
    model = _model_at(loc, split)
    known = [f for f in model.model_fields if f != "offerings" or model is ProviderIn]
    if model is OfferingIn and loc[-1] == "provider":
        return "unknown field: a nested offering takes its provider from the entry above it"
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    return f"unknown field{hint}"


def _model_at(loc: tuple, split: int) -> type[BaseModel]:
    if split == 4:
        return OfferingIn
    return _SECTIONS.get(loc[0], CatalogFile) if split == 2 else CatalogFile


def _label(data: Any, loc: tuple) -> str:
    entry = _value_at(data, loc)
    key = entry.get("key") if isinstance(entry, dict) else None
    if isinstance(key, str):
        return f"entry {key!r}"
    where = f"{loc[0]} #{loc[1] + 1}"
    if len(loc) == 4:
        where = f"offerings #{loc[3] + 1} of {_label(data, loc[:2])}"
    return where


def _label_node(mapping: MappingNode) -> str | None:
    for key, value in mapping.value:
        if isinstance(key, ScalarNode) and key.value == "key" and isinstance(value, ScalarNode):
            return f"entry {value.value!r}"
    return None


def _value_at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _node_at(node: Node | None, loc: tuple) -> Node | None:
    """The deepest node of the YAML tree along a validation error's location."""
    for part in loc:
        if isinstance(node, MappingNode):
            found = [v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part]
            if not found:
                return node
            node = found[0]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _entry_locs(parsed: CatalogFile):
    """The YAML location of each entry, in the order `flatten` returns them."""
    for i, provider in enumerate(parsed.providers):
        yield ("providers", i)
        yield from (("providers", i, "offerings", j) for j in range(len(provider.offerings)))
    yield from (("offerings", i) for i in range(len(parsed.offerings)))
    yield from (("instruments", i) for i in range(len(parsed.instruments)))


def _kind(value: Any) -> str:
    names = {list: "a list", str: "plain text", int: "number", float: "number", bool: "true/false"}
    return names.get(type(value), type(value).__name__)


def _duplicate_keys(batch: Batch, lines: dict) -> list[Problem]:
    problems = []
    for key, places in lines.items():
        first_file, first_line = places[0]
        for file, line in places[1:]:
            problems.append(Problem(file, f"already used at {first_file}:{first_line}; "
                                          "keys are unique across the catalog",
                                    line, f"entry {key!r}", "key"))
    return problems


def load_matchbench(path: str | Path) -> list[EntryIn]:
    """The catalog of a match benchmark file (../shared/matchbench/FORMAT.md) as entries;
    each entry's `id` becomes its key. Validated by the same models as YAML.

    Example: load_matchbench("../shared/matchbench/dev.json")  # -> 151 entries
    """
    name = shown(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = document["catalog"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise CatalogError(f"{name}: not a match benchmark file ({e})") from None
    sections: dict[str, list] = {"providers": [], "offerings": [], "instruments": []}
    for number, row in enumerate(rows, 1):
        section = f"{row.get('kind')}s" if isinstance(row, dict) else ""
        if section not in sections:
            raise CatalogError(f"{name}: catalog #{number}: kind: should be offering, "
                               "instrument or provider")
        sections[section].append({("key" if k == "id" else k): v for k, v in row.items()
                                  if v is not None and k != "kind"})
    parsed, problems = _validate(sections, None, name)
    if parsed is None:
        raise CatalogProblems(problems)
    return flatten(parsed)
