import pytest

from megler.contacts import ContactFields, add_contact, edit_contact, find_contact, list_contacts
from megler.errors import InvalidInput, NotFound
from megler.orgs import OrgFields, add_org

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


@pytest.fixture
def orgs(session):
    return (add_org(session, OrgFields(name="Fredrikstad Mek AS")),
            add_org(session, OrgFields(name="Årjäng Såg AB")))


def test_add_and_list_contacts_by_org(session, orgs):
    mek, sag = orgs
    add_contact(session, mek, ContactFields(name="Kari Ødegård", role="daglig leder",
                                            email="kari@fmek.no", phone="+47 900 00 000"))
    add_contact(session, sag, ContactFields(name="Åsa Öberg"))
    rows = list_contacts(session)
    assert [(r["name"], r["org"]) for r in rows] == [
        ("Kari Ødegård", "Fredrikstad Mek AS"), ("Åsa Öberg", "Årjäng Såg AB")]
    assert rows[0]["role"] == "daglig leder" and rows[0]["phone"] == "+47 900 00 000"
    assert [r["name"] for r in list_contacts(session, sag)] == ["Åsa Öberg"]


@pytest.mark.parametrize("fields, message", [
    (ContactFields(name=" "), "needs a name"),
    (ContactFields(name="Kari", email="kari.fmek.no"), "no @"),
])
def test_bad_contacts_are_refused(session, orgs, fields, message):
    with pytest.raises(InvalidInput, match=message):
        add_contact(session, orgs[0], fields)


def test_edit_changes_the_given_fields_and_may_move_the_contact(session, orgs):
    mek, sag = orgs
    contact = add_contact(session, mek, ContactFields(name="Kari", role="HR"))
    edit_contact(session, contact, ContactFields(phone="900 00 000"), sag)
    again = find_contact(session, contact.id)
    assert (again.name, again.role, again.phone, again.org_id) == ("Kari", "HR", "900 00 000",
                                                                    sag.id)
    with pytest.raises(InvalidInput, match="needs a name"):
        edit_contact(session, contact, ContactFields(name=""))


def test_an_unknown_contact_is_not_found(session):
    with pytest.raises(NotFound, match="no contact matches '7'"):
        find_contact(session, 7)


def test_a_contact_by_id_e_mail_or_name_among_the_orgs_given(session, orgs):
    mek, sag = orgs
    kari = add_contact(session, mek, ContactFields(name="Kari Ødegård", email="Kari@fmek.no"))
    add_contact(session, sag, ContactFields(name="Kari Sågen"))
    assert find_contact(session, "kari@FMEK.no").id == kari.id
    assert find_contact(session, "Ødegård").id == kari.id
    assert find_contact(session, "kari", [mek]).id == kari.id
    with pytest.raises(InvalidInput, match="several contacts: #1 Kari Ødegård, #2 Kari Sågen"):
        find_contact(session, "kari")
    with pytest.raises(NotFound, match=f"no contact at {sag.name} matches 'Ødegård'"):
        find_contact(session, "Ødegård", [sag])
