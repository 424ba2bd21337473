
import pytest

from megler.errors import InvalidInput, NotFound
from megler.followups import add_followup, done, list_followups
from megler.needs import add_need
from megler.referrals import add_referral
from tests.helpers import TODAY, days

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_add_list_and_done(session, mek):
    later = add_followup(session, days(10), "Sende kursplan", org=mek, today=TODAY)
    sooner = add_followup(session, days(2), "Ringe Kari", org=mek, today=TODAY)
    assert [f["id"] for f in list_followups(session)] == [sooner.id, later.id]
    assert list_followups(session)[0]["org"] == "Fredrikstad Mek AS"
    done(session, sooner.id, TODAY)
    assert [f["id"] for f in list_followups(session)] == [later.id]
    assert [f["done_on"] for f in list_followups(session, include_done=True)] == [TODAY, None]
    with pytest.raises(InvalidInput, match="was done on 2026-09-15 already"):
        done(session, sooner.id, TODAY)
    with pytest.raises(NotFound, match="no follow-up #99"):
        done(session, 99, TODAY)


def test_a_follow_up_cannot_be_done_before_it_was_added(session, mek):
    followup = add_followup(session, days(7), "Sende tilbud", org=mek, today=TODAY)
    with pytest.raises(InvalidInput, match="added on 2026-09-15; it cannot be done before"):
        done(session, followup.id, days(-1))
    assert done(session, followup.id, TODAY).done_on == TODAY


def test_a_follow_up_on_a_need_or_referral_belongs_to_its_org(session, mek):
    need = add_need(session, mek, "Kurs", on=TODAY)
    referral = add_referral(session, need, "Fagskolen", on=TODAY)
    on_need = add_followup(session, days(1), "Sjekk", need_id=need.id, today=TODAY)
    on_referral = add_followup(session, days(1), "Sjekk", referral_id=referral.id, today=TODAY)
    assert on_need.org_id == on_referral.org_id == mek.id
    free = add_followup(session, days(1), "Skrive rapport", today=TODAY)
    assert free.org_id is None


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(text=" "), InvalidInput, "needs a text"),
    (dict(need_id=99), NotFound, "no need #99"),
    (dict(referral_id=99), NotFound, "no referral #99"),
    (dict(need_id=99, with_org=True), NotFound, "no need #99"),
    (dict(referral_id=99, with_org=True), NotFound, "no referral #99"),
])
def test_bad_follow_ups_are_refused(session, mek, kwargs, error, message):
    kwargs = dict(kwargs)  # the parameters are shared by both backends' runs: pop a copy
    org = mek if kwargs.pop("with_org", False) else None
    with pytest.raises(error, match=message):
        add_followup(session, days(1), kwargs.pop("text", "Ring"), org=org, today=TODAY,
                     **kwargs)
