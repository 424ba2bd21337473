"""`megler match` end to end: a small catalog imported for real, needs of real orgs."""

import json
import re

import pytest

from tests.helpers import assert_user_error, count

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

CATALOG = """\
providers:
  - key: fagskolen-ostfold
    name: Fagskolen Østfold
    description: Fagskole i Fredrikstad og Sarpsborg med tekniske fag og helsefag.
    keywords: [fagskole, teknikk, helse]
    language: nb
    country: "NO"
    regions: [Østfold]
    audience: [company, municipality, public]
    offerings:
      - key: sveis-ostfold
        name: Sveiseteknikk og sveisesertifisering – bedriftskurs
        description: Kurs og sertifisering av sveisere etter NS-EN ISO 9606 for industribedrifter.
        keywords: [sveising, sveisekurs, sertifisering]
offerings:
  - key: sveis-nordland
    name: Sveisekurs for industrien – Helgeland
    provider: Fagskolen i Nordland
    description: Sveisekurs med sertifisering for ansatte i industrien på Helgeland.
    keywords: [sveising, sveisekurs]
    language: nb
    country: "NO"
    regions: [Rana, Vefsn]
    audience: [company]
  - key: yh-underskoterska
    name: Undersköterska med inriktning demens – YH
    provider: Yrkeshögskolan Fyrbodal
    description: Yrkeshögskoleutbildning för undersköterskor i demensvård och äldreomsorg.
    keywords: [undersköterska, demens, äldreomsorg]
    language: sv
    country: "SE"
    regions: [Västra Götaland]
    audience: [company, municipality, public]
instruments:
  - key: skattefunn
    name: SkatteFUNN – skattefradrag for FoU-prosjekter
    agency: Norges forskningsråd
    description: Skattefradrag for bedrifter som gjennomfører forsknings- og utviklingsprosjekter.
    keywords: [FoU, forskning, innovasjon, skattefradrag]
    language: nb
    country: "NO"
    regions: ["*"]
    audience: [company]
  - key: rff-utlopt
    name: Regionalt forskningsfond – forprosjekt
    agency: Østfold fylkeskommune
    description: Støtte til forprosjekt for bedrifter som vil starte med forskning og utvikling.
    keywords: [FoU, forprosjekt, forskning]
    language: nb
    country: "NO"
    regions: [Østfold]
    audience: [company]
    deadline: 2026-01-15
"""


@pytest.fixture
def store_with_needs(cli, tmp_path, today):
    catalog = tmp_path / "katalog.yaml"
    catalog.write_text(CATALOG, encoding="utf-8")
    steps = [
        ("catalog", "import", str(catalog)),
        ("org", "add", "Fredrikstad Mek AS", "--municipality", "Fredrikstad", "--employees", "40"),
        ("org", "add", "Vänersborgs kommun", "--country", "SE", "--kind", "municipality",
         "--municipality", "Vänersborg"),
        ("need", "add", "Fredrikstad Mek", "Trenger sveisekurs for 6 ansatte før ny kontrakt"),
        ("need", "add", "Fredrikstad Mek", "Vil teste ut maskinlæring i produksjonen, trenger "
         "FoU-partner og finansiering", "--kind", "rd"),
        ("need", "add", "Vänersborg", "Behöver utbilda undersköterskor i demensvård"),
    ]
    for step in steps:
        assert cli(*step).code == 0, step


def _ranked(cli, *args) -> list[dict]:
    code, out, err = cli("match", *args, "-f", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


def test_the_right_course_comes_first_and_one_the_org_cannot_use_never_appears(cli, store_with_needs):
    rows = _ranked(cli, "1")
    keys = [r["name"] for r in rows]
    assert keys[0] == "Sveiseteknikk og sveisesertifisering – bedriftskurs"
    assert "Sveisekurs for industrien – Helgeland" not in keys  # serves Rana and Vefsn only
    assert rows[0]["rank"] == 1
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_explain_all_lists_the_ineligible_with_the_reason(cli, store_with_needs):
    rows = _ranked(cli, "1", "--explain", "--all")
    helgeland = next(r for r in rows if r["name"] == "Sveisekurs for industrien – Helgeland")
    assert helgeland["rank"] is None and helgeland["confidence"] == "ineligible"
    assert "Østfold" in helgeland["reasons"]
    assert all(r["why"] for r in rows) and all("text" in r["parts"] for r in rows)


def test_an_rd_need_gets_the_instrument_but_not_one_whose_deadline_has_passed(cli, store_with_needs):
    names = [r["name"] for r in _ranked(cli, "2", "--kind", "instrument")]
    assert names == ["SkatteFUNN – skattefradrag for FoU-prosjekter"]


def test_a_swedish_need_finds_the_swedish_education(cli, store_with_needs):
    rows = _ranked(cli, "3")
    assert rows[0]["name"] == "Undersköterska med inriktning demens – YH"
    assert all("Sveis" not in r["name"] for r in rows)  # Norwegian entries serve Norway


def test_refer_turns_a_suggestion_into_a_referral_once(cli, store_with_needs, db_path):
    code, out, err = cli("match", "1", "--refer", "1")
    assert (code, out) == (0, "")
    assert err.startswith("Added referral #1: need #1 to Sveiseteknikk og sveisesertifisering")
    referrals = json.loads(cli("referral", "list", "-f", "json").out)
    assert [(r["need_id"], r["status"], r["entry_id"] is not None) for r in referrals] == [
        (1, "suggested", True)]
    assert json.loads(cli("need", "show", "1", "-f", "json").out)["status"] == "referred"
    assert_user_error(cli("match", "1", "--refer", "1"), "referred to this entry already")
    assert_user_error(cli("match", "1", "--refer", "40"), "--refer 40")
    assert count(db_path, "referral") == 1


def test_match_all_ranks_every_open_need(cli, store_with_needs):
    rows = _ranked(cli, "--all", "--top", "2")
    assert sorted({r["need_id"] for r in rows}) == [1, 2, 3]
    assert all(len([r for r in rows if r["need_id"] == n]) <= 2 for n in (1, 2, 3))


@pytest.mark.parametrize("columns", ["80", "120"])
def test_match_all_shows_each_need_once_above_its_suggestions(cli, store_with_needs, columns):
    """The whole need text once stood on each of its rows."""
    from megler.cli import output

    needs = {n["id"]: n["text"] for n in json.loads(cli("need", "list", "-f", "json").out)}
    rows = _ranked(cli, "--all", "--top", "2")
    output.console.cache_clear()
    code, out, err = cli("match", "--all", "--top", "2", env={"COLUMNS": columns})
    assert (code, err) == (0, "")
    flat = " ".join(out.split())  # a long need text wraps at spaces
    for need_id, text in needs.items():
        assert len(re.findall(rf"Need #{need_id}( \(read as [a-z, ]+\))?: {re.escape(text)}", flat)) == 1
        assert flat.count(text) == 1
    assert "Need #2 (read as funding and rd): Vil teste ut maskinlæring" in flat
    assert max(map(len, out.splitlines())) <= int(columns)
    assert all(f"{r['score']:.1f}" in out for r in rows)


def test_every_score_has_one_decimal_in_tables_as_in_explanations(cli, store_with_needs):
    """"66" once stood beside "61.1"."""
    from megler.cli import output

    rows = _ranked(cli, "1", "--explain")
    output.console.cache_clear()
    out = cli("match", "1", "--explain", env={"COLUMNS": "200"}).out
    table = out.split("\n1. ")[0]
    scores = re.findall(r"\s(\d+(?:\.\d+)?)\s+(?:strong|possible|weak)\s*$", table, re.M)
    assert scores and all(re.fullmatch(r"\d+\.\d", s) for s in scores), scores
    assert [float(s) for s in scores] == [r["score"] for r in rows]
    explained = re.findall(r"(?:strong|possible|weak) (\S+) =", out)
    assert explained == scores


def test_the_table_is_for_people_and_the_explanation_follows_it(cli, store_with_needs):
    code, out, err = cli("match", "1", "--top", "2", "--explain")
    assert (code, err) == (0, "")
    assert "Suggestions for need #1" in out and "confidence" in out
    assert "1. Sveiseteknikk og sveisesertifisering – bedriftskurs:" in out


@pytest.mark.parametrize("args, fragment", [
    (["99"], "no need #99"),
    ([], "give a NEED id, or --all"),
    (["1", "--kind", "kurs"], "unknown entry kind"),
])
def test_bad_match_commands_are_one_line(cli, store_with_needs, args, fragment):
    assert_user_error(cli("match", *args), fragment)


def test_an_empty_catalog_says_what_to_do(cli, today):
    assert cli("org", "add", "Halden Tre AS").code == 0
    assert cli("need", "add", "Halden", "Kurs i lean").code == 0
    assert_user_error(cli("match", "1"), "the catalog is empty", "megler catalog import")
