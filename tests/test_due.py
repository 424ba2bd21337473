from datetime import date

import pytest

from megler.due import QUIET_DAYS, SOON_DAYS, STALE_DAYS, WEIGHTS, due_list
from megler.followups import add_followup, done
from megler.needs import add_need
from megler.orgs import OrgFields, add_org
from megler.referrals import add_referral
from megler.visits import VisitDraft, add_visit
from tests.helpers import TODAY, days

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

# -- the due list ----------------------------------------------------------------------------

def _stale_referral(session, org, last_change: date):
    need = add_need(session, org, "Kurs", on=last_change)
    return add_referral(session, need, "Fagskolen", on=last_change)


def test_overdue_before_due_soon_before_stale_referrals_and_quiet_orgs(session, mek):
    """The tiers hold even at their extremes: the least urgent of a tier outranks the
    most urgent of the next."""
    quiet = add_org(session, OrgFields(name="Årjäng Såg AB"))
    add_visit(session, VisitDraft(orgs=[quiet], date=days(-5 * 365),
                                  needs=[f"Behov {i}" for i in range(12)]))
    _stale_referral(session, mek, days(-3 * 365))
    add_followup(session, days(SOON_DAYS), "Due at the horizon", org=mek, today=TODAY)
    add_followup(session, days(0), "Due today", org=mek, today=TODAY)
    add_followup(session, days(-1), "Overdue by a day", org=mek, today=TODAY)
    add_followup(session, days(-60), "Overdue long ago", org=mek, today=TODAY)
    add_followup(session, days(SOON_DAYS + 1), "Not due yet", org=mek, today=TODAY)

    items = due_list(session, TODAY, limit=None)
    assert [(i.kind, i.text) for i in items][:4] == [
        ("followup", "Overdue long ago"), ("followup", "Overdue by a day"),
        ("followup", "Due today"), ("followup", "Due at the horizon")]
    assert {i.kind for i in items[4:]} == {"referral", "org"}
    assert "Not due yet" not in [i.text for i in items]
    scores = [i.score for i in items]
    assert scores == sorted(scores, reverse=True)


def test_the_parts_of_each_score_come_from_the_weights(session, mek):
    add_followup(session, days(-3), "Ring", org=mek, today=TODAY)
    add_followup(session, days(2), "Send", org=mek, today=TODAY)
    items = {i.text: i for i in due_list(session, TODAY)}
    assert items["Ring"].parts["overdue"] == WEIGHTS["overdue"]
    assert items["Ring"].score == WEIGHTS["overdue"] + 3 * WEIGHTS["per_day_overdue"]
    assert items["Send"].parts["due_soon"] == WEIGHTS["due_soon"]
    assert items["Send"].score == WEIGHTS["due_soon"] + 2 * WEIGHTS["per_day_ahead"]
    assert items["Ring"].row()["why"] == (f"overdue by 3 days: {WEIGHTS['overdue']}+3×"
                                          f"{WEIGHTS['per_day_overdue']}")
    assert items["Send"].row()["why"] == (f"due in 2 days: {WEIGHTS['due_soon']}−2×"
                                          f"{-WEIGHTS['per_day_ahead']}")


def test_a_referral_is_stale_only_after_thirty_days_without_change(session, mek):
    _stale_referral(session, mek, days(-STALE_DAYS))
    fresh_enough = due_list(session, TODAY)
    assert [i.kind for i in fresh_enough] == []
    stale = _stale_referral(session, mek, days(-STALE_DAYS - 1))
    items = due_list(session, TODAY)
    assert [(i.kind, i.id) for i in items] == [("referral", stale.id)]
    assert "no change since" in items[0].text and "stale_referral" in items[0].parts


def test_finished_referrals_and_done_follow_ups_are_not_due(session, mek):
    from megler.referrals import Change, update_referral

    referral = _stale_referral(session, mek, days(-100))
    update_referral(session, referral, Change(status="withdrawn", on=days(-90)))
    followup = add_followup(session, days(-1), "Ring", org=mek, today=TODAY)
    done(session, followup.id, TODAY)
    assert due_list(session, TODAY) == []


def test_an_org_not_met_for_half_a_year_is_due_more_so_with_active_needs(session, mek):
    calm = add_org(session, OrgFields(name="Halden Kommune"))
    add_visit(session, VisitDraft(orgs=[mek], date=days(-QUIET_DAYS - 1), needs=["Kurs"]))
    add_visit(session, VisitDraft(orgs=[calm], date=days(-QUIET_DAYS - 1)))
    add_visit(session, VisitDraft(orgs=[add_org(session, OrgFields(name="Nylig"))],
                                  date=days(-QUIET_DAYS)))
    items = due_list(session, TODAY)
    assert [(i.kind, i.org) for i in items] == [("org", "Fredrikstad Mek AS"),
                                                ("org", "Halden Kommune")]
    assert items[0].parts == {"quiet_org": WEIGHTS["quiet_org"],
                              "per_active_need": WEIGHTS["per_active_need"]}


def test_an_overdue_promise_outranks_the_stalest_referral_and_the_quietest_org(session, mek):
    quiet = add_org(session, OrgFields(name="Årjäng Såg AB"))
    add_visit(session, VisitDraft(orgs=[quiet], date=days(-5 * 365),
                                  needs=[f"Behov {i}" for i in range(12)]))
    _stale_referral(session, mek, days(-3 * 365))
    add_followup(session, days(-1), "Overdue by a day", org=mek, today=TODAY)
    items = due_list(session, TODAY)
    assert [i.kind for i in items] == ["followup", "referral", "org"]


def test_the_limit_keeps_the_most_urgent(session, mek):
    for n in range(1, 6):
        add_followup(session, days(-n), f"Overdue {n}", org=mek, today=TODAY)
    assert [i.text for i in due_list(session, TODAY, limit=2)] == ["Overdue 5", "Overdue 4"]
    assert len(due_list(session, TODAY, limit=None)) == 5


def test_the_longer_a_promise_lies_broken_the_higher_it_ranks(session, mek):
    """Every follow-up more than 30 days late once scored the same."""
    for late in (31, 45, 90, 400):
        add_followup(session, days(-late), f"Late by {late}", org=mek, today=TODAY)
    items = due_list(session, TODAY)
    assert [i.text for i in items] == ["Late by 400", "Late by 90", "Late by 45", "Late by 31"]
    assert len({i.score for i in items}) == 4
    assert items[0].score == WEIGHTS["overdue"] + 400 * WEIGHTS["per_day_overdue"]


def test_a_count_capped_to_keep_a_tier_in_its_band_says_so(session, mek):
    from megler.due import MOST_WEEKS_STALE

    _stale_referral(session, mek, days(-7 * 30))
    (item,) = due_list(session, TODAY)
    assert item.score == WEIGHTS["stale_referral"] + MOST_WEEKS_STALE * WEIGHTS["per_week_stale"]
    assert item.why == (f"no change for 30 weeks: {WEIGHTS['stale_referral']}+{MOST_WEEKS_STALE}×"
                        f"{WEIGHTS['per_week_stale']} (counted up to {MOST_WEEKS_STALE})")


def test_the_tiers_never_overlap_whatever_the_counts(session, mek):
    """The least urgent of each tier outranks the most urgent of the next, at any age."""
    quiet = add_org(session, OrgFields(name="Årjäng Såg AB"))
    add_visit(session, VisitDraft(orgs=[quiet], date=days(-20 * 365),
                                  needs=[f"Behov {i}" for i in range(40)]))
    _stale_referral(session, mek, days(-20 * 365))
    add_followup(session, days(SOON_DAYS), "At the horizon", org=mek, today=TODAY)
    add_followup(session, days(-1), "A day late", org=mek, today=TODAY)
    items = due_list(session, TODAY, limit=None)
    assert [i.kind for i in items] == ["followup", "followup", "referral", "org"]
    assert [i.text for i in items[:2]] == ["A day late", "At the horizon"]
