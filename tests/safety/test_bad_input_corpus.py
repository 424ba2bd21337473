"""Every malformed input in tests/data/bad/cases.txt: exit 1, one `Error:` line naming
what it should (file, entry, field), no traceback, and the store exactly as it was."""

import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import invoke
from tests.safety.util import record, snapshot

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
MARKERS = {"{badutf8}": "\udcff\udcfe", "{ctrl}": "\x07\x1b[2J", "{huge}": "x" * 2_000_000,
           "{c1}": "\x9b31m", "{bidi}": "\u202e", "{longname}": "é" * 200, "{nul}": "\x00"}


def _cases() -> list:
    cases = []
    for number, line in enumerate(BAD.joinpath("cases.txt").read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        args, _, fragments = line.partition(" => ")
        cases.append(pytest.param(args, [f.strip() for f in fragments.split("|") if f.strip()],
                                  id=f"{number}:{args[:60]}"))
    return cases


def _environment(args: str) -> tuple[dict[str, str], str]:
    """The leading `NAME=value` words of a case (its environment), and the rest."""
    words = shlex.split(args)
    env = {}
    while words and re.fullmatch(r"MEGLER_[A-Z]+=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value.replace("{bad}", str(BAD)).replace("{longname}", MARKERS["{longname}"])
    return env, shlex.join(words)


def _argv(args: str, tmp_path: Path) -> list[str]:
    argv = []
    for word in shlex.split(args):
        word = word.replace("{bad}", str(BAD)).replace("{new}", str(tmp_path / "new.db"))
        if "{hugefile}" in word:
            word = word.replace("{hugefile}", str(_huge_catalog(tmp_path)))
        if "{aliasfile}" in word:
            word = word.replace("{aliasfile}", str(_alias_catalog(tmp_path)))
        if "{kept}" in word or "{link}" in word:
            link = _link(tmp_path)
            word = word.replace("{kept}", str(link.resolve())).replace("{link}", str(link))
        for marker, value in MARKERS.items():
            word = word.replace(marker, value)
        argv.append(word)
    return argv


def _link(tmp_path: Path) -> Path:
    """A symlink to a file of the broker's, where an --out might point."""
    (tmp_path / "kept.md").write_text("kept\n")
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "kept.md")
    return link


def _huge_catalog(tmp_path: Path) -> Path:
    """5 MB of one comment line: too big to be a catalog a broker wrote."""
    path = tmp_path / "huge.yaml"
    with open(path, "w") as f:
        f.write("# " + "x" * 5_000_000 + "\n")
    return path


def _alias_catalog(tmp_path: Path) -> Path:
    """200 kB of one scalar and 4,000 aliases to it: 800 MB once written out."""
    path = tmp_path / "aliases.yaml"
    entry = (BAD / "catalog" / "type-amount-negative.yaml").read_text("utf-8")
    entry = entry.replace("description: En ordning for test.", "description: &big " + "x" * 200_000)
    path.write_text(entry.replace("keywords: [test]", "keywords: [" + ", ".join(["*big"] * 4000) + "]"))
    return path


@pytest.mark.parametrize("args, fragments", _cases())
def test_malformed_input_is_turned_away(case_db, tmp_path, args, fragments):
    before = snapshot(case_db)
    env, words = _environment(args)
    try:
        code, out, err = invoke(_argv(words, tmp_path), env=env)
    except Exception:
        record(f"malformed input: {args[:60]}", tried=1, tracebacks=1)
        raise
    record(f"malformed input: {args[:60]}", tried=1, tracebacks=int("Traceback" in err))
    lines = err.splitlines()
    assert (code, len(lines)) == (1, 1), err[-2000:]
    assert lines[0].startswith("Error: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert snapshot(case_db) == before
    assert _empty_or_missing(tmp_path / "new.db")


def _empty_or_missing(db: Path) -> bool:
    if not db.exists():
        return True
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('_migrations', 'audit')")]
        return not any(con.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tables)
    finally:
        con.close()


def test_the_corpus_is_big_enough():
    assert len(_cases()) >= 60

