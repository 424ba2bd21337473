from collections import deque
from datetime import date, timedelta

import pytest

from megler.errors import InvalidInput, NotFound
from megler.needs import add_need
from megler.orgs import OrgFields, add_org
from megler.referrals import (
    IMPLIED,
    TRANSITIONS,
    Change,
    add_referral,
    get_referral,
    list_referrals,
    referral_detail,
    update_referral,
)
from megler.vocabulary import ReferralStatus

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

DAY = date(2026, 9, 1)


def _paths() -> dict[str, list[str]]:
    """The shortest way from `suggested` to every status, through allowed moves only."""
    paths, queue = {"suggested": []}, deque(["suggested"])
    while queue:
        status = queue.popleft()
        for nxt in TRANSITIONS[status]:
            if nxt not in paths:
                paths[nxt] = paths[status] + [nxt]
                queue.append(nxt)
    return paths


PATHS = _paths()
ALLOWED = [(a, b) for a, nexts in TRANSITIONS.items() for b in nexts]
REFUSED = [(a, b) for a in tuple(ReferralStatus) for b in tuple(ReferralStatus)
           if a != b and b not in TRANSITIONS[a]]


@pytest.fixture
def new_referral(session):
    def make():
        org = add_org(session, OrgFields(name="Fredrikstad Mek AS"))
        need = add_need(session, org, "Sveisekurs", on=DAY)
        return add_referral(session, need, "Fagskolen i Viken", on=DAY)
    return make


def walk(session, referral, statuses):
    for i, status in enumerate(statuses, start=1):
        update_referral(session, referral, Change(status=status, on=DAY + timedelta(days=i)))


def test_every_status_is_reachable_and_the_table_names_only_known_statuses():
    assert set(TRANSITIONS) == set(tuple(ReferralStatus))
    assert set(PATHS) == set(tuple(ReferralStatus))
    assert TRANSITIONS["completed"] == TRANSITIONS["withdrawn"] == ()


@pytest.mark.parametrize("before, after", ALLOWED)
def test_every_allowed_transition_works(session, new_referral, before, after):
    referral = new_referral()
    walk(session, referral, PATHS[before] + [after])
    assert get_referral(session, referral.id).status == after
    history = referral_detail(session, referral)["history"]
    assert [h["status"] for h in history] == ["suggested", *_recorded(PATHS[before] + [after])]


def _recorded(path: list[str]) -> list[str]:
    """The statuses a walk records: a grant without an application records one first."""
    out: list[str] = []
    for status in path:
        implied = IMPLIED.get(status)
        if implied and implied not in out and (not out or out[-1] != implied):
            out.append(implied)
        out.append(status)
    return out


@pytest.mark.parametrize("before, after", REFUSED)
def test_an_impossible_transition_is_refused_naming_the_allowed_ones(session, new_referral,
                                                                     before, after):
    referral = new_referral()
    walk(session, referral, PATHS[before])
    allowed = ", ".join(TRANSITIONS[before]) or "nothing: it is final"
    with pytest.raises(InvalidInput) as caught:
        update_referral(session, referral, Change(status=after, on=date(2026, 12, 1)))
    assert str(caught.value) == (f"referral #{referral.id} is {before}; it cannot become "
                                 f"{after} (it can become {allowed})")
    assert referral.status == before


def test_a_change_cannot_come_before_the_last_one(session, new_referral):
    referral = new_referral()
    update_referral(session, referral, Change(status="applied", on=date(2026, 9, 10)))
    with pytest.raises(InvalidInput, match="last changed on 2026-09-10"):
        update_referral(session, referral, Change(status="granted", on=date(2026, 9, 9)))
    # The same day is fine: several things happen on one day.
    update_referral(session, referral, Change(status="granted", on=date(2026, 9, 10)))
    assert referral.status == "granted"


def test_a_referral_cannot_predate_its_need(session):
    org = add_org(session, OrgFields(name="Mek"))
    need = add_need(session, org, "Kurs", on=DAY)
    with pytest.raises(InvalidInput, match="cannot be referred before"):
        add_referral(session, need, "Fagskolen", on=DAY - timedelta(days=1))
    with pytest.raises(InvalidInput, match="needs a target"):
        add_referral(session, need, "  ", on=DAY)


def test_amounts_and_participants_are_recorded_with_the_history(session, new_referral):
    referral = new_referral()
    update_referral(session, referral, Change(status="applied", on=date(2026, 9, 5),
                                              amount_applied=450_000, note="Søknad sendt"))
    update_referral(session, referral, Change(status="granted", on=date(2026, 10, 1),
                                              amount_granted=300_000))
    update_referral(session, referral, Change(status="enrolled", on=date(2026, 10, 2),
                                              participants=6))
    detail = referral_detail(session, referral)
    assert (detail["amount_applied"], detail["amount_granted"], detail["participants"]) == (
        450_000, 300_000, 6)
    assert [(h["date"], h["status"], h["amount_applied"], h["amount_granted"],
             h["participants"], h["note"]) for h in detail["history"]] == [
        (DAY, "suggested", None, None, None, None),
        (date(2026, 9, 5), "applied", 450_000, None, None, "Søknad sendt"),
        (date(2026, 10, 1), "granted", 450_000, 300_000, None, None),
        (date(2026, 10, 2), "enrolled", 450_000, 300_000, 6, None)]


@pytest.mark.parametrize("change, message", [
    (Change(amount_applied=-1), "amount applied cannot be negative"),
    (Change(status="applied", amount_granted=-5), "amount granted cannot be negative"),
    (Change(participants=-2), "participants cannot be negative"),
    (Change(status="approved"), "unknown referral status"),
])
def test_bad_changes_are_refused(session, new_referral, change, message):
    referral = new_referral()
    change.on = date(2026, 9, 2)
    with pytest.raises(InvalidInput, match=message):
        update_referral(session, referral, change)


def test_list_referrals_filters_by_status_org_and_need(session, new_referral):
    first, second = new_referral(), new_referral()
    walk(session, second, ["applied", "declined"])
    ids = lambda **kw: [r["id"] for r in list_referrals(session, **kw)]  # noqa: E731
    assert ids() == [second.id, first.id]
    assert ids(status="open") == [first.id]
    assert ids(status="decl") == [second.id]
    assert list_referrals(session)[0]["org"] == "Fredrikstad Mek AS"
    with pytest.raises(InvalidInput, match="unknown referral status"):
        list_referrals(session, status="lost")
    with pytest.raises(NotFound, match="no referral #99"):
        get_referral(session, 99)
