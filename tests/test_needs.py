from datetime import date

import pytest

from megler.errors import InvalidInput, NotFound
from megler.needs import add_need, close_need, get_need, list_needs, need_detail
from megler.orgs import OrgFields, add_org
from megler.referrals import add_referral

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL

DAY = date(2026, 9, 1)


def test_a_need_starts_open(session, mek):
    need = add_need(session, mek, " Sveisesertifisering for 6 ansatte ", kind="comp",
                    people=6, on=DAY)
    assert (need.text, need.kind, need.people, need.status, need.date) == (
        "Sveisesertifisering for 6 ansatte", "competence", 6, "open", DAY)


@pytest.mark.parametrize("text, kind, people, message", [
    ("", "competence", None, "needs a text"),
    ("Kurs", "wishes", None, "unknown need kind"),
    ("Kurs", "competence", -1, "cannot be negative"),
])
def test_bad_needs_are_refused(session, mek, text, kind, people, message):
    with pytest.raises(InvalidInput, match=message):
        add_need(session, mek, text, kind=kind, people=people, on=DAY)


def test_referring_a_need_marks_it_referred_and_closing_ends_it(session, mek):
    need = add_need(session, mek, "Kurs", on=DAY)
    add_referral(session, need, "Fagskolen", on=DAY)
    assert need.status == "referred"
    close_need(session, need, "res", date(2026, 10, 1))
    assert (need.status, need.closed_on) == ("resolved", date(2026, 10, 1))
    with pytest.raises(InvalidInput, match="is resolved already"):
        close_need(session, need, "dropped", date(2026, 10, 2))
    assert need_detail(session, need)["referrals"][0]["target"] == "Fagskolen"


@pytest.mark.parametrize("status, on, message", [
    ("open", DAY, "unknown closing status"),
    ("dropped", date(2026, 8, 31), "cannot close before"),
])
def test_a_need_closes_only_as_resolved_or_dropped_after_it_was_found(session, mek, status,
                                                                     on, message):
    need = add_need(session, mek, "Kurs", on=DAY)
    with pytest.raises(InvalidInput, match=message):
        close_need(session, need, status, on)
    assert need.status == "open"


def test_list_needs_filters(session, mek):
    sag = add_org(session, OrgFields(name="Årjäng Såg AB"))
    a = add_need(session, mek, "Sveisekurs", on=date(2026, 9, 1))
    b = add_need(session, sag, "FoU-prosjekt", kind="rd", on=date(2026, 9, 2))
    c = add_need(session, sag, "Lærling", kind="apprenticeship", on=date(2026, 9, 3))
    close_need(session, c, "dropped", date(2026, 9, 4))
    add_referral(session, b, "SkatteFUNN", on=date(2026, 9, 3))
    ids = lambda **kw: [n["id"] for n in list_needs(session, **kw)]  # noqa: E731
    assert ids() == [c.id, b.id, a.id]
    assert ids(status="active") == [b.id, a.id]
    assert ids(status="referred") == [b.id]
    assert ids(status="drop") == [c.id]
    assert ids(kind="rd") == [b.id]
    assert ids(org=sag) == [c.id, b.id]
    assert list_needs(session, org=sag)[0]["org"] == "Årjäng Såg AB"
    with pytest.raises(InvalidInput, match="unknown need status"):
        list_needs(session, status="closed")
    with pytest.raises(NotFound, match="no need #99"):
        get_need(session, 99)
