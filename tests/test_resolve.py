"""The one resolver: id or key first, then the whole name, then an unambiguous part."""

import pytest

from megler.errors import InvalidInput, NotFound
from megler.resolve import ENTRY, ORG, Named, pick

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


ORGS = [Named(1, "Fredrikstad Mek AS", ("974760673",)), Named(2, "Fredrikstad Mekaniske AS"),
        Named(3, "Mek", ()), Named(4, "Sågverket i Årjäng AB", ("5560125790",))]


@pytest.mark.parametrize("ref, found", [
    ("1", 1), ("974760673", 1), ("mek", 3), ("MEK", 3), ("årjäng", 4), ("  Mekaniske ", 2),
    ("fredrikstad mek as", 1),
])
def test_the_first_tier_that_names_one_wins(ref, found):
    assert pick(ref, ORGS, ORG).id == found


def test_a_key_is_compared_as_the_caller_normalises_it():
    assert pick("974 760 673", ORGS, ORG, key=lambda t: t.replace(" ", "")).id == 1


def test_ambiguous_names_every_candidate_by_id():
    with pytest.raises(InvalidInput) as e:
        pick("Fredrikstad", ORGS, ORG)
    assert str(e.value) == ("'Fredrikstad' matches several orgs: #1 Fredrikstad Mek AS, "
                            "#2 Fredrikstad Mekaniske AS; use the id")


def test_a_long_list_is_cut_short():
    many = [Named(i, f"Bygg {i} AS") for i in range(1, 13)]
    with pytest.raises(InvalidInput, match=r"#8 Bygg 8 AS and 4 more; use the id"):
        pick("bygg", many, ORG)


def test_none_and_empty_say_where_to_look():
    with pytest.raises(NotFound, match=r"no org matches 'Bodø' \(see megler org list\)"):
        pick("Bodø", ORGS, ORG)
    with pytest.raises(InvalidInput, match="name an org: its id, org number or part of its name"):
        pick("  ", ORGS, ORG)


def test_current_records_come_before_retired_ones():
    entries = [Named(1, "Sveisekurs", ("sveis-2025",), retired=True), Named(2, "Sveisekurs", ("sveis",))]
    assert pick("sveisekurs", entries, ENTRY).id == 2
    assert pick("sveis-2025", entries, ENTRY).id == 1  # a retired one by its key
    with pytest.raises(InvalidInput, match="name a catalog entry"):
        pick("", entries, ENTRY)


@pytest.mark.parametrize("typed", ["skjonnsmidler", "SKJØNNSMIDLER", "Skjønnsmidler", "skjønns"])
def test_names_compare_without_case_or_accents(typed):
    entries = [Named(1, "Skjønnsmidler til omstilling"), Named(2, "Lærlingtilskudd")]
    assert pick(typed, entries, ENTRY).id == 1
    assert pick("laerling", entries, ENTRY).id == 2
    assert pick("arjang", [Named(7, "Sågverket i Årjäng AB")], ORG).id == 7
