"""The redaction rule on its own (megler.redact); the CLI tests are in tests/safety/test_privacy.py."""

import unicodedata

import pytest

from megler.redact import Finder, Person

ASE = Finder(Person("Åse Bjørnstad", "ase@bjornstad.no", "+47 915 55 123"), ["Åse Holm"])


@pytest.mark.parametrize("text, expected", [
    ("Åse B. ringer", "[x] ringer"),
    ("Å. Bjørnstad og Å.Bjørnstad", "[x] og [x]"),
    ("Bjørnstads firma", "[x]s firma"),
    ("Ring Åse", "Ring [x]"),
    ("ÅSE BJØRNSTAD", "[x]"),
    (unicodedata.normalize("NFD", "Åse Bjørnstad var der"), "[x] var der"),
    ("ASE@Bjornstad.no", "[x]"),
    ("0047-915-55-123.", "[x]."),
    ("4791555123 eller 91555123", "[x] eller [x]"),
    ("1915 55 1234", "1915 55 1234"),        # other digits around: another number
    ("Åse Holm kommer", "Åse Holm kommer"),  # another contact's full name
    ("Ase Bjornstad", "Ase Bjornstad"),      # accents are exact
    ("Bjørnstad-Hansen", "Bjørnstad-Hansen"),
])
def test_the_forms_of_a_person(text, expected):
    assert ASE.redact(text, "[x]") == expected


def test_a_lone_name_that_is_a_word_needs_a_fuller_form():
    per = Finder(Person("Per Moen"))
    assert per.redact("Per kom; 50 kr per m. stål; Per M. og P. Moen", "[x]") == \
        "Per kom; 50 kr per m. stål; [x] og [x]"
    assert Finder(Person("Per")).redact("per uke: Per kom", "[x]") == "per uke: [x] kom"


def test_a_swedish_phone_with_trunk_zero_and_parts_next_to_each_other():
    tor = Finder(Person("Tor Inge Håkonsen", phone="070-123 45 67", country="SE"))
    assert tor.redact("Ring Tor Inge på +46 (0)70 123 45 67", "[x]") == "Ring [x] på [x]"
    assert tor.redact("T. I. Håkonsen, Tor H.", "[x]") == "[x], [x]"
