"""Every list shows the newest 50 and says how many more there are (--all, --limit N).

At a decade's size (20,000 orgs, 200,000 visits) `need list` took 50 s and 726 MB: every
row became an ORM object and a Rich table row. Now the limit is in the query.
"""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from megler import store
from megler.contacts import ContactFields, add_contact
from megler.needs import get_need, list_needs
from megler.orgs import OrgFields, add_org
from megler.referrals import add_referral
from megler.visits import VisitDraft, add_visit, list_visits
from tests.helpers import assert_user_error

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

COUNT = 53  # a few more than a list shows unless told
LISTS = [("org", "list"), ("contact", "list"), ("visit", "list"), ("need", "list"),
         ("referral", "list"), ("followup", "list")]


def _fill(db, count: int = COUNT) -> None:
    """`count` orgs, each with a contact and a visit on its own day, finding a need that is
    referred and leaving a follow-up; the newest visit is org #count's."""
    with store.session(db, write=True) as s:
        for i in range(1, count + 1):
            org = add_org(s, OrgFields(name=f"Bedrift {i} Ålesund AS"))
            add_contact(s, org, ContactFields(name=f"Kåre {i}"))
            on = date(2026, 1, 1) + timedelta(days=i)
            add_visit(s, VisitDraft(orgs=[org], date=on, needs=[f"Sveisekurs {i}"],
                                    follow_up=on + timedelta(days=30)))
            add_referral(s, get_need(s, i), "Fagskolen", on=on)


def _rows(cli, *args) -> tuple[list[dict], str]:
    ran = cli(*args, "-f", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out), ran.err


@pytest.fixture
def full(db_path):
    _fill(db_path)
    return db_path


@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_a_list_shows_the_first_50_and_says_how_many_more(full, cli, command):
    rows, err = _rows(cli, *command)
    assert len(rows) == 50
    assert err == f"… {COUNT - 50} more: --all or --limit N\n"
    rows, err = _rows(cli, *command, "--all")
    assert (len(rows), err) == (COUNT, "")
    rows, err = _rows(cli, *command, "--limit", "5")
    assert (len(rows), err) == (5, f"… {COUNT - 5} more: --all or --limit N\n")


def test_the_newest_come_first_and_the_table_says_more_too(full, cli):
    rows, _ = _rows(cli, "need", "list", "--limit", "2")
    assert [r["text"] for r in rows] == [f"Sveisekurs {COUNT}", f"Sveisekurs {COUNT - 1}"]
    ran = cli("visit", "list", "--limit", "1")
    assert ran.code == 0 and f"Bedrift {COUNT} Ålesund AS" in ran.out
    assert ran.err == f"… {COUNT - 1} more: --all or --limit N\n"


def test_a_short_list_says_nothing_more(case_db, cli):
    rows, err = _rows(cli, "org", "list")
    assert (len(rows), err) == (3, "")


def test_org_list_filters_by_name_in_the_query_whatever_the_case(full, cli):
    rows, err = _rows(cli, "org", "list", "ÅLESUND", "--limit", "3")
    assert len(rows) == 3 and err == f"… {COUNT - 3} more: --all or --limit N\n"
    rows, err = _rows(cli, "org", "list", "bedrift 7 å")
    assert ([r["name"] for r in rows], err) == (["Bedrift 7 Ålesund AS"], "")


def test_all_and_limit_together_is_refused(full, cli):
    assert_user_error(cli("need", "list", "--all", "--limit", "5"), "--all or --limit N, not both")


def test_followup_list_done_adds_those_done(case_db, cli):
    assert cli("followup", "done", "1").code == 0
    assert _rows(cli, "followup", "list")[0] == []
    assert [f["id"] for f in _rows(cli, "followup", "list", "--done")[0]] == [1]


# -- the domain: one query a page, the count riding along -------------------------------------

def _statements(db) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine(db), "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: seen.append(sql))
    return seen


def test_a_page_is_one_query_with_the_count_of_all(full):
    with store.session(full) as s:
        seen = _statements(full)
        page = list_visits(s, limit=10)
        assert (len(page), page.total, page.more) == (10, COUNT, COUNT - 10)
        assert page[0]["orgs"] == f"Bedrift {COUNT} Ålesund AS"  # the names in the same query
        assert len([sql for sql in seen if sql.lstrip().startswith("SELECT")]) == 1
        assert len(list_needs(s, limit=None)) == COUNT
        assert list_needs(s, status="resolved", limit=5).total == 0
