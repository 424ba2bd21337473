"""`megler match` learns from the broker's own referrals (matching/learning.py): a need
like one referred before ranks that entry higher, as far as the referral got."""

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"
EARLIER = "Trenger sveisekurs med sertifisering for 6 ansatte før ny kontrakt"
LATER = "Sveisere må sertifiseres etter ISO 9606, og vi trenger kurs for fire nye"


@pytest.fixture
def welding(cli):
    steps = [("catalog", "import", str(EXAMPLES)),
             ("org", "add", "Fredrikstad Mek AS", "--municipality", "Fredrikstad"),
             ("need", "add", "Mek", EARLIER, "--kind", "competence", "--date", "-20d"),
             ("need", "add", "Mek", LATER, "--kind", "competence")]
    for step in steps:
        assert cli(*step).code == 0, step


def ranked(cli, need: str) -> list[dict]:
    code, out, err = cli("match", need, "--top", "10", "--explain", "-f", "json")
    assert code == 0, err
    return json.loads(out)


def place(rows: list[dict], entry_id: int) -> int:
    return next(i for i, r in enumerate(rows) if r["entry_id"] == entry_id)


def refer(cli, rows: list[dict], k: int, status: str) -> int:
    """Refer the earlier need to its k-th suggestion and move the referral to `status`."""
    assert cli("match", "1", "--refer", str(k)).code == 0
    assert cli("referral", "update", "1", "--status", status).code == 0
    return rows[k - 1]["entry_id"]


def test_a_granted_referral_lifts_its_entry_for_a_need_like_it_and_says_so(cli, welding):
    before = ranked(cli, "2")
    earlier = ranked(cli, "1")
    shown = {r["entry_id"] for r in before}
    # the earlier need's suggestion that the later need ranks lowest: room to move up
    k = max((k for k, r in enumerate(earlier[:5], 1) if r["entry_id"] in shown),
            key=lambda k: place(before, earlier[k - 1]["entry_id"]))
    entry = refer(cli, earlier, k, "granted")
    after = ranked(cli, "2")
    assert place(before, entry) > 0
    assert place(after, entry) < place(before, entry)
    lifted = after[place(after, entry)]
    assert 0 < lifted["parts"]["learned"] <= 10.0  # bounded: it cannot drown the text
    assert "you referred need #1" in lifted["why"] and "granted" in lifted["why"]
    others = [r for r in after if r["entry_id"] != entry]
    assert all(r["parts"]["learned"] == 0 for r in others)


def test_a_declined_referral_counts_against_its_entry(cli, welding):
    before = ranked(cli, "2")
    entry = refer(cli, ranked(cli, "1"), 1, "declined")
    after = ranked(cli, "2")
    assert after[place(after, entry)]["parts"]["learned"] < 0
    assert after[place(after, entry)]["score"] < before[place(before, entry)]["score"]


def test_a_need_unlike_the_referred_one_learns_nothing(cli, welding):
    assert cli("need", "add", "Mek", "Vil utvikle et nytt produkt i kompositt og trenger FoU-partner",
               "--kind", "rd").code == 0
    before = ranked(cli, "3")
    refer(cli, ranked(cli, "1"), 1, "granted")
    assert [r["score"] for r in ranked(cli, "3")] == [r["score"] for r in before]
