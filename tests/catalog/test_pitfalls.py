"""YAML pitfalls: each is one problem naming the file, the line, the entry and the field."""

import pytest

from megler import catalog
from megler.errors import CatalogError
from tests.catalog.conftest import instruments

GOOD = instruments("skattefunn")

CASES = [
    # (what is wrong, file text, fragments the first problem names)
    ("NO read as false", GOOD.replace('"NO"', "NO"),
     ["a.yaml:7:", "entry 'skattefunn'", "country", 'write "NO" in quotes']),
    ("a number where text belongs", GOOD.replace("name: Ordning skattefunn", "name: 2030"),
     ["a.yaml:3:", "entry 'skattefunn'", "name", 'write "2030" in quotes']),
    ("duplicate field", GOOD.replace("language: nb", "language: nb\n    language: nn"),
     ["a.yaml:7:", "entry 'skattefunn'", "language", "given twice (first on line 6)"]),
    ("tab in the indentation", GOOD.replace("    language: nb", "\tlanguage: nb"),
     ["a.yaml:6:", "near entry 'skattefunn'", "tab in the indentation"]),
    ("a wrong type", GOOD + "    max_amount: lots\n",
     ["a.yaml:10:", "entry 'skattefunn'", "max_amount", "whole number", "'lots'"]),
    ("a wrong type under the old name", GOOD + "    max_amount_nok: lots\n",
     ["a.yaml:10:", "entry 'skattefunn'", "max_amount_nok", "whole number", "'lots'"]),
    ("an amount given twice", GOOD + "    max_amount: 5\n    max_amount_nok: 5\n",
     ["entry 'skattefunn'", "max_amount_nok is max_amount in NOK"]),
    ("an unknown currency", GOOD + "    currency: EUR\n",
     ["a.yaml:10:", "currency", "'NOK' or 'SEK'"]),
    ("true for a number", GOOD + "    max_employees: yes\n",
     ["a.yaml:10:", "max_employees", "whole number"]),
    ("unknown field", GOOD + "    contry: SE\n",
     ["a.yaml:10:", "entry 'skattefunn'", "contry", "did you mean 'country'?"]),
    ("unknown section", GOOD + "instrument: []\n",
     ["a.yaml:10:", "instrument", "did you mean 'instruments'?"]),
    ("a date that is not one", GOOD + "    deadline: 15.09.2026\n",
     ["a.yaml:10:", "deadline", "YYYY-MM-DD", "'15.09.2026'"]),
    ("a number for a date", GOOD + "    deadline: 20260915\n", ["deadline", "YYYY-MM-DD"]),
    ("unquoted star", GOOD.replace('["*"]', "[*]"),
     ["a.yaml:8:", "not valid YAML", 'write "*" in quotes']),
    ("star with other regions", GOOD.replace('["*"]', '["*", Halden]'),
     ["regions", "whole country"]),
    ("an unknown audience", GOOD.replace("[company]", "[companies]"),
     ["entry 'skattefunn'", "audience item 1", "'companies'"]),
    ("a missing field", GOOD.replace("    agency: Norges forskningsråd\n", ""),
     ["a.yaml:2:", "entry 'skattefunn'", "agency", "is missing"]),
    ("an entry without a key", GOOD.replace("  - key: skattefunn\n    name", "  - name"),
     ["a.yaml:2:", "instruments #1", "key", "is missing"]),
    ("a bad key", GOOD.replace("key: skattefunn", "key: Skatte FUNN"),
     ["entry 'Skatte FUNN'", "key", "should match"]),
    ("size limits the wrong way round", GOOD + "    min_employees: 50\n    max_employees: 10\n",
     ["entry 'skattefunn'", "min_employees is above max_employees"]),
    ("a provider on a nested offering", """\
providers:
  - key: hiof
    name: Høgskolen i Østfold
    description: Høgskole.
    language: nb
    country: "NO"
    regions: [Østfold]
    audience: [company]
    offerings:
      - key: hiof-ki
        name: KI
        provider: HiØ
        description: Kurs.
""", ["a.yaml:12:", "entry 'hiof-ki'", "provider", "takes its provider from the entry above"]),
    ("not YAML", "instruments: [: : :\n", ["a.yaml:1:", "not valid YAML"]),
    ("plain text", "Dette er ikke en katalog.\n", ["a.yaml:1:", "not a catalog", "plain text"]),
    ("a list at the top", "- key: a\n", ["not a catalog", "a list"]),
    ("an empty file", "", ["a.yaml", "is empty"]),
    ("two documents", GOOD + "---\n" + GOOD, ["a.yaml", "not valid YAML", "single document"]),
]


@pytest.mark.parametrize("text, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_pitfall_is_one_precise_problem(write, text, fragments):
    path = write("a.yaml", text)
    with pytest.raises(CatalogError) as caught:
        catalog.load_path(path)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_a_file_that_is_not_utf8(write):
    path = write("a.yaml", GOOD.replace("Norges forskningsråd", "Norges forskningsrd").encode()
                 .replace(b"rd\n", b"r\xe5d\n", 1))
    with pytest.raises(CatalogError, match=r"a\.yaml:4: near entry 'skattefunn': is not UTF-8"):
        catalog.load_path(path)


def test_duplicate_keys_across_files_name_both(write):
    write("a.yaml", instruments("skattefunn"))
    write("b.yaml", instruments("ipn", "skattefunn"))
    with pytest.raises(CatalogError) as caught:
        catalog.load_path(write("c.yaml", instruments("eurostars")).parent)
    assert "b.yaml:10: entry 'skattefunn': key: already used at" in str(caught.value)
    assert "a.yaml:2" in str(caught.value)


def test_every_problem_of_a_batch_is_collected(write):
    write("a.yaml", GOOD.replace('"NO"', "NO"))
    write("b.yaml", GOOD.replace("skattefunn", "ipn") + "    contry: SE\n    deadline: 1\n")
    with pytest.raises(catalog.CatalogProblems) as caught:
        catalog.load_path(write("a.yaml", GOOD.replace('"NO"', "NO")).parent)
    problems = caught.value.problems
    assert [(p.file.rsplit("/", 1)[-1], p.field) for p in problems] == [
        ("a.yaml", "country"), ("b.yaml", "contry"), ("b.yaml", "deadline")]
    assert str(caught.value).endswith("(and 2 more)")


def test_a_missing_path_and_an_empty_folder(tmp_path):
    with pytest.raises(CatalogError, match="no such file or folder"):
        catalog.load_path(tmp_path / "nowhere.yaml")
    with pytest.raises(CatalogError, match="no .yaml or .yml files"):
        catalog.load_path(tmp_path)


def test_dates_come_as_dates_or_strings_and_anchors_work(write):
    text = instruments("a", "b") .replace(
        "audience: [company]\n", "audience: [company]\n    deadline: 2027-03-04\n", 1)
    text = text.replace('regions: ["*"]', "regions: &both [Halden, Sarpsborg]", 1)
    text = text.replace('regions: ["*"]', "regions: *both")
    text = text.rstrip("\n") + '\n    deadline: "2027-04-01"\n    valid_from: 2027-01-01\n'
    a, b = catalog.load_path(write("a.yaml", text)).entries
    assert str(a.deadline) == "2027-03-04" and str(b.deadline) == "2027-04-01"
    assert a.regions == b.regions == ["Halden", "Sarpsborg"]


def test_offerings_inherit_from_their_provider_unless_they_say_otherwise(write):
    text = """\
    providers:
      - key: hiof
        name: Høgskolen i Østfold
        description: Høgskole i Halden og Fredrikstad.
        language: nb
        country: "NO"
        regions: [Østfold]
        audience: [company, municipality]
        url: https://www.hiof.no
        contact: evu@hiof.no
        offerings:
          - key: hiof-ki
            name: KI i praksis
            description: Kurs.
            cost_nok: 14500
          - key: hiof-en
            name: AI for managers
            description: Course.
            language: en
            regions: ["*"]
    """
    provider, ki, en = catalog.load_path(write("a.yaml", text)).entries
    assert provider.kind == "provider" and provider.provider is None
    assert (ki.kind, ki.provider, ki.language, ki.regions, ki.url, ki.contact, ki.cost) == (
        "offering", "Høgskolen i Østfold", "nb", ["Østfold"], "https://www.hiof.no",
        "evu@hiof.no", 14500)
    assert (en.language, en.regions, en.audience) == ("en", ["*"], ["company", "municipality"])


def test_an_amount_is_in_the_entry_s_currency_and_the_old_names_are_nok(write):
    text = GOOD + "    max_amount: 250000\n"
    sek = text.replace('country: "NO"', 'country: "SE"')
    old = GOOD + "    max_amount_nok: 250000\n"
    found = [catalog.load_path(write(f"{name}.yaml", body)).entries[0]
             for name, body in (("no", text), ("se", sek), ("old", old))]
    assert [(e.max_amount, e.currency) for e in found] == [(250000, "NOK"), (250000, "SEK"),
                                                           (250000, "NOK")]
