"""No traceback for any input: hypothesis drives every command with hostile values.

Each example is one command line built from a command's own parameters (walked from
`megler.cli.COMMANDS`): numbers past 64 bits, dates at and past the limits, odd Unicode
(NFD, combining marks, right-to-left, C1, NUL, the lone surrogates argv gives for bytes
that are not UTF-8, 30,000 characters), hostile files (deep nesting, alias bombs, the
corpus of tests/data/bad), and a hostile environment ($MEGLER_TODAY, $MEGLER_DB at a
folder, a file that is not a store, a path in a missing folder, a broken settings file).
It runs on a fresh copy of the small case store (with the example catalog) in a fresh
folder, and must exit 0, 1 or 2 without a traceback.
"""

import os
import shutil
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from megler import store
from megler.cli import COMMANDS, load, output
from megler.limits import MAX_DEPTH, MAX_INT
from tests.helpers import TODAY, invoke
from tests.safety.util import record

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
# About 30 s on the development machine; set the variable to search longer.
EXAMPLES = int(os.environ.get("MEGLER_PROPERTY_EXAMPLES", "300"))


def _leaves(command, words: list[str]):
    """(the words that name a command, the command) for every command without subcommands."""
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield words, command
        return
    for name, sub in subcommands.items():
        yield from _leaves(sub, [*words, name])


# `demo` takes no input but --keep and records weeks of examples/ (3-4 s a run, ten times
# any other command): it has its own test below instead of a share of the examples.
LEAVES = [leaf for name in COMMANDS if name != "demo" for leaf in _leaves(load(name), [name])]
SHELL = {"install_completion", "show_completion"}  # Typer's own, they write to the shell's rc


@dataclass(frozen=True)
class File:
    """A file of the example's own folder, by name: made fresh for every example, so that
    no command can overwrite anything outside it."""
    name: str


# -- values ------------------------------------------------------------------------------

NUMBERS = ["99999999999999999999", str(MAX_INT + 1), str(MAX_INT), "-1", "0", "1", "2", "3",
           "-99999999999999999999", "1.0e+30", "1e400", "nan", "inf", "٣", "9" * 5000]
DAYS = ["0001-01-01", "9999-12-31", "2200-12-31", "2201-01-01", "1899-12-31", "1900-01-01",
        "2026-02-30", "+99999d", "-9999y", "+9999w", "+2500m", "today", "2026-09-20"]
PERIODS = ["2026Q3", "2026", "2026-09", "1899", "2200Q4", "9999Q4", "0001-01-01..9999-12-31",
           "2026-01-01..9999-12-31", "2200-12-31..2200-12-31", "1900-01-01..2200-12-31"]
REFS = ["1", "2", "3", "Fredrikstad Mek", "Fredrikstad", "Kari", "kari@fmek.no", "974760673",
        "556012-5790", "Sågverket i Årjäng AB", "nb", "sv", "csv", "json", "retention_months",
        "broker", "orgs_visited", "funding_granted_nok", "250 000", "1,5 mill"]
ODD = [unicodedata.normalize("NFD", "Sågverket i Årjäng AB"),  # as pasted from a Mac
       unicodedata.normalize("NFD", "Kari Ødegård"), "\u0301", "e" + "\u0301" * 200,
       "\u202eSA keM\u202c", "شركة النرويج", "חברה", "\x85", "\x9b31m", "\x1b[2J", "a\x00b",
       "\udcff\udcfe", "x" * 30_000, "=HYPERLINK(\"http://x\")", "a\u2028b", "\ufeff", "🦀",
       "", " ", "-", "--", "%s%n", "'; DROP TABLE org; --", "*", "é" * 200, "~nobody-here"]
FILES = [File(name) for name in (
    "new.md", "kept.txt", "folder", "missing/file.db", "not-a-store.db", "empty.db",
    "store-copy.db", "deep.yaml", "deep.json", "aliases.yaml", "goals-year-0.yaml",
    "goals-huge.yaml", "amount.yaml", "examples", "bad")]
FILES += [File(f"bad/{p.relative_to(BAD)}") for p in sorted(BAD.rglob("*")) if p.is_file()]
# What $MEGLER_DB and --db point at; the fresh copy of the case store most often.
DBS = [File("store.db")] * 4 + [File(n) for n in (
    "folder", "not-a-store.db", "empty.db", "missing/folder/store.db", "new.db", "kept.txt")]
DBS += ["", ".", "~nobody-here/store.db", "x" * 300 + ".db"]  # no NUL: no environment holds one
CONFIGS = [File("config.toml")] * 3 + [File(n) for n in (
    "folder", "deep.toml", "broken.toml", "settings-huge.toml", "settings-odd.toml")]
TODAYS = [None, None, "0001-01-01", "9999-12-31", "2200-12-31", "1899-12-31", "1900-01-01",
          "15.09.2026", "", "2026-02-30", "today", "99999999999999999999"]

# Any text a broker could type, and more; never a path ("/", "~"): files come from FILES.
junk = st.text(st.characters(blacklist_characters="/~"), max_size=30)
anything = st.one_of(st.sampled_from(NUMBERS + DAYS + PERIODS + REFS + ODD), junk)
DATE_NAMES = {"date", "since", "until", "due", "follow_up"}


def _value(param) -> st.SearchStrategy:
    """What to give one parameter: what its type and name suggest, and anything at all."""
    kind = param.type_descriptor.annotation if param.type_descriptor else str
    kind = getattr(kind, "__args__", (kind,))[0]  # list[str] of a repeated option
    if kind is Path:  # a relative name of junk lands in the example's folder too
        return st.one_of(st.sampled_from(FILES), st.sampled_from(FILES), anything)
    if param.name == "db":
        return st.one_of(st.sampled_from(DBS), st.sampled_from(DBS), anything)
    if isinstance(kind, type) and issubclass(kind, Enum):
        likely = st.sampled_from([e.value for e in kind])
    elif kind is int:  # an id of the store now and then, so that the command goes on
        likely = st.one_of(st.sampled_from(["1", "2", "3"]), st.sampled_from(NUMBERS),
                           st.integers(-2**70, 2**70).map(str))
    elif param.name in DATE_NAMES:
        likely = st.sampled_from(DAYS)
    elif param.name == "period":
        likely = st.sampled_from(PERIODS)
    elif param.name in ("path", "file"):
        likely = st.sampled_from(FILES)
    else:
        likely = st.sampled_from(REFS + ODD)
    return st.one_of(likely, likely, anything)


@st.composite
def command_lines(draw) -> list:
    """The words of one command line: a command, some of its options, its arguments."""
    words, command = draw(st.sampled_from(LEAVES))
    line: list = list(words)
    for param in command.params:
        if param.name in SHELL:
            continue
        if param.param_type_name == "argument":
            if draw(st.integers(0, 9)):  # now and then one is missing: a usage error
                line.append(draw(_value(param)))
        elif draw(st.integers(0, 2)) == 0:
            flag = param.opts[0]
            if param.is_flag:
                line.append(flag)
            else:
                for value in draw(st.lists(_value(param), min_size=1, max_size=2)):
                    line += [flag, value]
    return line


# Half the examples run in the usual setting, so that the commands get past their start.
environments = st.one_of(
    st.just({"MEGLER_TODAY": None, "MEGLER_DB": File("store.db"),
             "MEGLER_CONFIG": File("config.toml")}),
    st.fixed_dictionaries({"MEGLER_TODAY": st.sampled_from(TODAYS),
                           "MEGLER_DB": st.sampled_from(DBS),
                           "MEGLER_CONFIG": st.sampled_from(CONFIGS)}))


# -- the files of an example -------------------------------------------------------------

def _make_files(folder: Path, store_db: Path) -> None:
    """What FILES and DBS name, made once per test and copied for each example."""
    folder.mkdir()
    (folder / "kept.txt").write_text("a file of the broker's\n")
    (folder / "folder").mkdir()
    (folder / "not-a-store.db").write_text("not SQLite at all\n" * 10)
    (folder / "empty.db").write_bytes(b"")
    shutil.copy(store_db, folder / "store-copy.db")
    deep = MAX_DEPTH * 50
    (folder / "deep.yaml").write_text("instruments: " + "[" * deep + "]" * deep + "\n")
    (folder / "deep.json").write_text('{"org": ' + "[" * deep * 10 + "]" * deep * 10 + "}")
    (folder / "aliases.yaml").write_text(_alias_bomb())
    (folder / "goals-year-0.yaml").write_text("year: 0\ngoals:\n  Q1:\n    orgs_visited: 3\n")
    (folder / "goals-huge.yaml").write_text(
        "year: 2026\ngoals:\n  Q1:\n    orgs_visited: 99999999999999999999\n")
    (folder / "amount.yaml").write_text(
        (BAD / "catalog" / "type-amount-negative.yaml").read_text().replace("-5", "1.0e+30"))
    shutil.copytree(ROOT / "examples" / "catalog", folder / "examples")
    (folder / "deep.toml").write_text("broker = " + "[" * deep * 10 + "]" * deep * 10 + "\n")
    (folder / "broken.toml").write_text("broker = 'unclosed\n")
    (folder / "settings-huge.toml").write_text("retention_months = 99999999999999999999\n")
    (folder / "settings-odd.toml").write_text(
        'broker = "Kari\\u001b[2J\\u202e"\nlang = "klingon"\nregion = 7\n')
    shutil.copytree(BAD, folder / "bad")


def _alias_bomb() -> str:
    """Small as a file, 9^6 scalars once its aliases are written out."""
    levels = ["&a [x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdef", "abcde", strict=True):
        levels.append(f"&{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return ("instruments:\n  - key: bomb\n    name: Bomb\n    description: Test\n"
            f"    keywords: [{', '.join(levels)}]\n")


@pytest.fixture
def files(_case_template, tmp_path) -> Path:
    """The files, and the case store with the example catalog as store.db (so that
    `match`, `catalog show` and `referral add --to` have entries to meet)."""
    made = tmp_path / "files"
    _make_files(made, _case_template)
    shutil.copy(_case_template, made / "store.db")
    ran = invoke(["catalog", "import", made / "examples", "--db", made / "store.db"])
    assert ran.code == 0, ran.err
    store.close_all()  # its WAL into the file, before the file is copied
    return made


def _fresh_folder(files: Path, tmp_path: Path) -> Path:
    """A folder of its own for one example: a copy of the files and the store."""
    store.close_all()  # the engines of the example before, whose files go now
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(files, work)
    return work


def _resolved(value, work: Path) -> str:
    return str(work / value.name) if isinstance(value, File) else value


# -- the properties ----------------------------------------------------------------------

@pytest.fixture
def tally():
    """What the examples found, recorded once when they are done (for safety_figures.py)."""
    found = {"tried": 0, "tracebacks": 0}
    yield found
    record("property: every command, hypothesis-made input", **found)


@pytest.mark.slow  # 300 command lines, each on a fresh store: about 30 s
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(line=command_lines(), environment=environments)
def test_every_command_exits_0_1_or_2_without_a_traceback(
        line, environment, files, tmp_path, monkeypatch, tally):
    work = _fresh_folder(files, tmp_path)
    monkeypatch.chdir(work)  # a relative path lands in the example's own folder
    env = {"XDG_CACHE_HOME": str(work / "cache"),
           "VISUAL": "true", "EDITOR": "true",  # `visit add --edit` must not wait for vi
           "MEGLER_TODAY": environment["MEGLER_TODAY"] or TODAY.isoformat(),
           "MEGLER_DB": _resolved(environment["MEGLER_DB"], work),
           "MEGLER_CONFIG": _resolved(environment["MEGLER_CONFIG"], work)}
    argv = [_resolved(word, work) for word in line]
    output.console.cache_clear()
    output.err_console.cache_clear()
    tally["tried"] += 1
    try:
        ran = invoke(argv, env=env)  # an exception here is the traceback a broker would see
    except Exception:
        tally["tracebacks"] += 1
        raise
    tally["tracebacks"] += "Traceback" in ran.out + ran.err
    event(f"exit {ran.code}")  # --hypothesis-show-statistics: how far the examples get
    event(f"command {line[0]}")
    assert ran.code in (0, 1, 2), (argv, ran)
    assert "Traceback" not in ran.out + ran.err, (argv, ran.err[-2000:])


@pytest.mark.parametrize("today", ["2200-12-31", "1900-01-01", "0001-01-01", "9999-12-31"])
def test_demo_at_the_edges_of_time(today, tmp_path):
    """The demo records weeks before today: near the first day that goes below the limits."""
    ran = invoke(["demo", "--keep", tmp_path / "demo.db"], env={"MEGLER_TODAY": today})
    assert ran.code in (0, 1), ran.err[-2000:]
    assert "Traceback" not in ran.out + ran.err


INT_PARAMETERS = [
    pytest.param(words, param, id=f"{' '.join(words)} {param.opts[0]}")
    for words, command in LEAVES for param in command.params
    if param.type_descriptor and int in (param.type_descriptor.annotation,
                                         *getattr(param.type_descriptor.annotation, "__args__", ()))
]


@pytest.mark.parametrize("words, param", INT_PARAMETERS)
@pytest.mark.parametrize("number", [str(MAX_INT + 1), "99999999999999999999"])
def test_every_whole_number_parameter_is_bounded(case_db, words, param, number):
    """Every int option and argument of every command refuses what SQLite cannot hold,
    with one line naming it, before anything is opened."""
    command = dict(LEAVES_BY_WORDS)[tuple(words)]
    line = list(words)
    for other in command.params:  # the arguments before it, so that it lands in its place
        if other is param:
            break
        if other.param_type_name == "argument":
            line.append("1")
    line += [number] if param.param_type_name == "argument" else [param.opts[0], number]
    ran = invoke(line)
    assert ran.code == 1, (line, ran)
    assert ran.err.startswith("Error: ") and len(ran.err.splitlines()) == 1, ran.err
    assert "too large" in ran.err and f"{MAX_INT:,}" in ran.err


LEAVES_BY_WORDS = [(tuple(words), command) for words, command in LEAVES]


def test_the_walk_reaches_every_command():
    names = {words[0] for words, _ in LEAVES}
    assert names == set(COMMANDS) - {"demo"}
    assert len(LEAVES) > 50 and len(INT_PARAMETERS) >= 15
    assert os.environ.get("EDITOR") is None  # conftest's: no test here starts an editor


@pytest.mark.parametrize("months, today", [(str(MAX_INT), "2026-09-15"), ("2000", "2026-09-15"),
                                           ("36", "1900-01-01")])
def test_a_retention_reaching_before_the_first_day_finds_nobody(case_db, months, today):
    """Nothing megler keeps is older than 1900: no contact to list, and no date error."""
    ran = invoke(["retention", "--months", months], env={"MEGLER_TODAY": today})
    assert ran.code == 0, ran.err
    assert "nothing to show" in ran.out + ran.err and "Error" not in ran.err
