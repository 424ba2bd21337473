"""What a broker's week with the example catalog showed of `megler match`: each case a
suggestion that was wrong, run for real against the shipped catalog."""

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"


@pytest.fixture
def week(cli):
    assert cli("catalog", "import", str(EXAMPLES)).code == 0

    def need(org: str, text: str, *org_options: str) -> str:
        if cli("org", "show", org).code != 0:
            assert cli("org", "add", org, *org_options).code == 0
        code, _, err = cli("need", "add", org, text)
        assert code == 0, err
        return err.split("#")[1].split()[0]
    return need


def ranked(cli, need: str, *args: str) -> list[dict]:
    code, out, err = cli("match", need, "--top", "5", *args, "-f", "json")
    assert code == 0, err
    return json.loads(out)


def test_a_business_association_asking_for_its_members_gets_the_company_courses(cli, week):
    need = week("Haldenregionens Næringsforening", "Kurs i kunstig intelligens (KI) for "
                "medlemsbedriftene våre", "--kind", "ngo", "--municipality", "Halden")
    names = [r["name"] for r in ranked(cli, need)]
    assert "Kunstig intelligens i industrien – EVU (7,5 stp)" in names  # for companies, not NGOs


def test_an_ngo_asking_for_itself_is_still_no_company(cli, week):
    need = week("Frivilligsentralen Halden", "Kurs i kunstig intelligens (KI) for de ansatte",
                "--kind", "ngo", "--municipality", "Halden")
    rows = ranked(cli, need, "--all", "--explain")
    industry = next(r for r in rows if r["name"] == "Kunstig intelligens i industrien – EVU (7,5 stp)")
    assert industry["rank"] is None and "org is a ngo" in industry["reasons"]
