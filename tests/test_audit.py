"""megler.audit: the log's entities are the tables, and a mistyped one names them."""

import pytest

from megler.audit import entities, recent
from megler.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


def test_the_entities_are_every_table_but_the_log_and_a_raw_write():
    names = entities()
    assert {"org", "contact", "visit", "need", "referral", "followup"} <= set(names)
    assert "audit" not in names and names[-1] == "*"


def test_a_mistyped_entity_names_the_valid_ones(session):
    with pytest.raises(InvalidInput, match=r"unknown entity: 'orgz' \(choose from .*\borg\b.*contact"):
        recent(session, entity="orgz")


def test_an_entity_is_found_by_its_name_or_a_prefix_of_one(session, mek):
    session.commit()
    assert {r["entity"] for r in recent(session, entity="org")} == {"org"}
    assert recent(session, entity="referralev") == []
