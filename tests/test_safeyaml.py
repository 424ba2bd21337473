"""The one YAML loader (megler.safeyaml): aliases cost at most MAX_EXPANSION times the
file, nothing nests past MAX_DEPTH, and each refusal is one line naming file:line."""

import time

import pytest

from megler import safeyaml
from megler.errors import InvalidInput
from megler.limits import MAX_DEPTH, MAX_EXPANSION


def test_aliases_that_repeat_a_value_a_few_times_are_read():
    text = "regions: &r [Rana, Vefsn, Alstahaug]\n" + "".join(f"e{i}: *r\n" for i in range(5))
    document = safeyaml.load(text, "x.yaml")
    assert document["e4"] == ["Rana", "Vefsn", "Alstahaug"]


def test_aliases_past_the_bound_are_refused_at_the_alias_that_passes_it():
    anchor = "x" * 1_000
    aliases = MAX_EXPANSION * 2
    text = f"a: &big {anchor}\n" + "".join(f"b{i}: *big\n" for i in range(aliases))
    with pytest.raises(InvalidInput, match=f"{MAX_EXPANSION} times its size") as refused:
        safeyaml.load(text, "x.yaml")
    line = int(str(refused.value).split(":")[1])
    assert MAX_EXPANSION < line < aliases  # the first few aliases were fine


def test_a_billion_laughs_is_refused_quickly():
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.monotonic()
    with pytest.raises(InvalidInput, match="times its size"):
        safeyaml.load("\n".join(levels) + "\n", "lol.yaml")
    assert time.monotonic() - started < 1


def test_one_big_scalar_and_thousands_of_aliases_cost_what_the_file_is():
    """The issue's case: one big value and 4,000 aliases to it once took 4 GB."""
    text = "a: &big " + "x" * 100_000 + "\nb: [" + ", ".join(["*big"] * 4_000) + "]\n"
    with pytest.raises(InvalidInput, match="times its size"):
        safeyaml.load(text, "big.yaml")


def test_an_alias_inside_its_own_anchor_is_a_loop():
    with pytest.raises(InvalidInput, match="loop.yaml:1: an alias inside its own anchor"):
        safeyaml.load("a: &x [1, *x]\n", "loop.yaml")


def test_nesting_past_the_limit_is_refused_without_recursion():
    with pytest.raises(InvalidInput, match=f"deep.yaml:1: nested more than {MAX_DEPTH} levels"):
        safeyaml.load("a: " + "[" * 100_000 + "]" * 100_000, "deep.yaml")
    assert safeyaml.load("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "ok.yaml")


def test_broken_yaml_is_one_line_with_the_line():
    with pytest.raises(InvalidInput, match=r"^bad.yaml:\d: not valid YAML"):
        safeyaml.load("a: [1,\nb: '\n", "bad.yaml")
