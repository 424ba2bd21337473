"""The import graph: no two of megler's modules (a package counts as one) need each other."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "megler"


def _unit(dotted: str) -> str:
    """`megler.reports.figures` → `megler.reports`: a package is one unit."""
    return ".".join(dotted.split(".")[:2])


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {_unit(m) for m in found if m.startswith("megler.")}


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        unit = _unit(".".join(parts))
        graph.setdefault(unit, set()).update(_imports(path) - {unit})
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        here = todo.pop()
        if here == goal:
            return True
        if here not in seen:
            seen.add(here)
            todo += graph.get(here, ())
    return False


def test_no_import_cycles():
    graph = _graph()
    assert {"megler.needs", "megler.referrals", "megler.reports"} <= set(graph)
    cycles = sorted((a, b) for a, deps in graph.items() for b in deps if _reaches(graph, b, a))
    assert cycles == []


def test_the_domain_imports_neither_the_cli_nor_typer_nor_rich():
    domain = [p for p in SRC.rglob("*.py")
              if "cli" not in p.relative_to(SRC).parts and p.name != "__main__.py"]
    for path in domain:
        text = path.read_text(encoding="utf-8")
        assert "megler.cli" not in _imports(path), path
        assert "import typer" not in text and "from rich" not in text and "import rich" not in text, path
