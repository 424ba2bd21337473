"""Likely duplicate orgs: one key for the spellings of one name, compared within blocks."""

import pytest

from megler.duplicates import MAX_BLOCK, blocks, likely_duplicates, name_key, similar_pairs

# (one name, another spelling of it) as brokers type them
pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


SAME = [("Uddevalla Plåt & Svets AB", "Uddevalla Plåt och Svets AB"),  # the two
        ("Rana Stålservice AS", "Rana Staalservice"),
        ("Fredrikstad Mek og Sveis AS", "Fredrikstad Mek & Sveis"),
        ("Nordic Welding and Steel ASA", "Nordic Welding & Steel AS"),
        ("Bjørn Bygg AS", "Björn Bygg AB"),
        ("Mø Bakeri", "Moe bakeri"),
        ("Lærdal Trevare", "Laerdal trevare"),
        ("Fredrikstad Mek. AS", "Fredrikstad Mek AS"),
        ("Café Årjäng", "Cafe Aarjaeng")]
APART = [("Bygg 1 AS", "Bygg 2 AS"),  # numbered on purpose
         ("Rana Stålservice AS", "Rana Sveiseservice AS"),
         ("Fredrikstad Mek AS", "Fredrikstad Bryggeri AS")]


@pytest.mark.parametrize("one, other", SAME)
def test_spellings_of_one_name_are_one_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize("one, other", APART)
def test_two_orgs_stay_two(one, other):
    assert similar_pairs([(1, one), (2, other)]) == []
    assert likely_duplicates(one, [(2, other)]) == []


def test_pairs_are_found_with_typos_too():
    names = [(1, "Uddevalla Plåt & Svets AB"), (2, "Fredrikstad Mek"), (3, "Rana Stålservice AS"),
             (4, "Uddevalla Plåt och Svets AB"), (5, "Fredriksstad Mekk"), (6, "Rana Staalservice")]
    assert [(a, b) for a, b, _ in similar_pairs(names)] == [(1, 4), (2, 5), (3, 6)]
    assert likely_duplicates("Rana Staalservice AS", names) == [
        (3, "Rana Stålservice AS"), (6, "Rana Staalservice")]


def _decade(count: int) -> list[tuple[int, str]]:
    """Names as benchmarks/make_store.py makes them, and a few without a number."""
    first = ["Nord", "Sør", "Øst", "Fjord", "Skog", "Stål", "Hav", "Elv", "Berg", "Lys"]
    second = ["mek", "bygg", "tre", "data", "fisk", "transport", "energi", "plast", "service"]
    named = [f"{first[i % 10]}{second[i % 9]} {i} AS" for i in range(count)]
    return list(enumerate(named + [f"{a} {b} AS" for a in first for b in second], 1))


def test_check_never_compares_all_pairs():
    names = _decade(20_000)
    members: dict = {}
    for i, name in names:
        for block in blocks(name_key(name)):
            members.setdefault(block, []).append(i)
    compared = sum(len(ids) * (len(ids) - 1) // 2 for ids in members.values() if len(ids) <= MAX_BLOCK)
    assert compared < len(names) * 10  # all pairs would be 200 million
    found = similar_pairs(names + [(99_999, "Nordbyg 10 AS")])  # #11 is Nordbygg 10 AS
    assert [(a, b) for a, b, _ in found] == [(11, 99_999)]


def test_one_pair_is_reported_once_whatever_blocks_it_shares():
    names = [(1, "Fjord Fisk Mat"), (2, "Fjord Fisk Mat AS")]
    assert len(blocks(name_key(names[0][1]))) > 1
    assert similar_pairs(names) == [(1, 2, 100.0)]
