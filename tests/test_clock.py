"""The one clock: $MEGLER_TODAY moves every today and now of megler together."""

import datetime as dt
import sqlite3

import pytest

from megler import clock
from megler.errors import InvalidInput
from tests.helpers import TODAY, assert_user_error


def test_the_suite_runs_on_a_fixed_day():
    assert clock.today() == TODAY


def test_now_is_noon_of_the_fixed_day_in_local_time(monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2030-02-28")
    moment = clock.now()
    assert moment.tzinfo == dt.UTC and moment.microsecond == 0
    assert clock.local(moment).date() == dt.date(2030, 2, 28)
    assert clock.local(moment).hour == clock.FIXED_HOUR
    assert clock.stamp() == "20300228-120000"


@pytest.mark.real_clock
def test_without_megler_today_megler_follows_the_wall_clock():
    assert clock.fixed_day() is None
    assert clock.today() == dt.date.today()
    assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


@pytest.mark.parametrize("text", ["15.09.2026", "2026-9-15", "tomorrow", "2026-02-30"])
def test_a_megler_today_that_is_not_a_date_is_one_line(text, monkeypatch, cli):
    monkeypatch.setenv("MEGLER_TODAY", text)
    with pytest.raises(InvalidInput, match="MEGLER_TODAY"):
        clock.today()
    assert_user_error(cli("org", "add", "Fredrikstad Mek AS"), "MEGLER_TODAY")


def _one(db, sql: str):
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchone()[0]


def test_every_stamp_a_command_writes_is_on_the_fixed_day(cli, db_path, monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2031-05-20")
    for args in (["org", "add", "Fredrikstad Mek AS"],
                 ["followup", "add", "Fredrikstad Mek", "--text", "Ringe"],
                 ["backup"]):
        assert cli(*args).code == 0
    assert _one(db_path, "SELECT created FROM org") == "2031-05-20"
    assert _one(db_path, "SELECT created FROM followup") == "2031-05-20"
    assert _one(db_path, "SELECT due FROM followup") == "2031-05-27"
    audit_day = clock.local(dt.datetime.fromisoformat(_one(db_path, "SELECT min(time) FROM audit"))
                            .replace(tzinfo=dt.UTC)).date()
    assert audit_day == dt.date(2031, 5, 20)
    assert _one(db_path, "SELECT min(applied_at) FROM _migrations").startswith("2031-05-20")
    assert [p.name for p in db_path.parent.glob("*.bak")] == ["megler-backup-20310520-120000.bak"]


def test_the_calendar_is_stamped_on_the_fixed_day(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("MEGLER_TODAY", "2031-05-20")
    assert cli("followup", "add", "--text", "Ringe Kari", "--due", "+2d").code == 0
    ics = tmp_path / "f.ics"
    assert cli("followup", "list", "--ics", ics).code == 0
    text = ics.read_text()
    assert "DTSTART;VALUE=DATE:20310522" in text
    assert f"DTSTAMP:{clock.now():%Y%m%dT%H%M%SZ}" in text and "DTSTAMP:20310520T" in text
