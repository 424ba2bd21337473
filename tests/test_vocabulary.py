"""The vocabulary: each list of words lives once, and every user of it agrees."""

import re
from pathlib import Path

import pytest

from megler import vocabulary
from megler.catalog.schema import EntryIn
from megler.vocabulary import Audience, Language, OrgKind, listed

ENUMS = [v for v in vars(vocabulary).values()
         if isinstance(v, type) and issubclass(v, vocabulary.StrEnum) and v is not vocabulary.StrEnum]
SRC = Path(vocabulary.__file__).parent


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_each_word_is_its_own_name(enum):
    """So a member hashes, compares, stores and prints as the plain word."""
    assert [m.name for m in enum] == [m.value for m in enum]
    assert {m: 1 for m in enum}.keys() == {m.value: 1 for m in enum}.keys()


def test_an_entry_is_for_an_org_of_a_kind_or_for_a_person():
    assert set(Audience) == set(OrgKind) | {"individual"}


def test_the_catalog_schema_takes_its_words_from_the_vocabulary():
    fields = EntryIn.model_fields
    assert fields["language"].annotation is Language
    assert fields["audience"].annotation == list[Audience]


def test_choices_read_as_a_sentence():
    assert listed(OrgKind) == "company, municipality, public or ngo"
    assert listed(["open", "referred"], "and") == "open and referred"
    assert listed(["nb"]) == "nb"


# Each list as it used to be written by hand; none may appear outside vocabulary.py again.
HAND_WRITTEN = [r'"nb", "nn", "sv", "en"', r'"en", "nb", "sv"', r'"offering", "instrument", "provider"',
                r"'suggested', 'contacted'", r"'open', 'referred'", r'"open", "referred"',
                r'"visit", "phone"', r'"company", "municipality"']


@pytest.mark.parametrize("pattern", HAND_WRITTEN)
def test_no_module_spells_a_vocabulary_again(pattern):
    found = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
             if p.name != "vocabulary.py" and re.search(re.escape(pattern), p.read_text())]
    assert found == []


def test_the_matcher_takes_a_subset_of_the_stored_entry():
    from dataclasses import fields

    from megler.matching import Entry
    from megler.models import CatalogEntry

    assert {f.name for f in fields(Entry)} <= set(CatalogEntry.model_fields)
