"""Times are shown in Vietnam's time, whatever the machine's zone, in one format."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gocua.dates import VN_TZ, date_text, in_vietnam, time_text


@pytest.fixture
def machine_in_new_york(monkeypatch):
    """The laptop's clock set to another zone: nothing shown may depend on it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_utc_moment_is_shown_in_vietnam_time(machine_in_new_york):
    assert time_text("2026-11-24T01:30:00+00:00") == "24/11/2026 08:30"
    assert time_text("2026-11-24T01:30:00Z") == "24/11/2026 08:30"
    assert time_text("2026-11-24T01:30:00") == "24/11/2026 08:30"  # naive: the engine's UTC
    assert time_text("2026-11-24T09:30:00+07:00") == "24/11/2026 09:30"
    assert time_text(dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)) == "24/11/2026 03:00"


def test_a_day_is_the_day_in_vietnam():
    assert date_text("2026-11-23T18:00:00+00:00") == "24/11/2026"  # 01:00 the next day there
    assert date_text("2026-11-24") == "24/11/2026"
    assert date_text(dt.date(2026, 1, 5)) == "05/01/2026"


def test_nothing_and_non_timestamps():
    assert time_text(None) == time_text("") == date_text(None) == date_text("") == ""
    assert time_text("hôm qua") == "hôm qua"
    assert date_text("1990") == "1990"  # a birth year stays a year


@given(st.datetimes(timezones=st.timezones()))
def test_any_moment_lands_on_the_same_vietnam_minute(moment):
    shown = time_text(moment)
    expected = moment.astimezone(VN_TZ)
    assert shown == f"{expected:%d/%m/%Y %H:%M}"
    stamp = moment.isoformat()
    assert in_vietnam(stamp) == dt.datetime.fromisoformat(stamp)  # the same instant
    assert in_vietnam(stamp).utcoffset() == dt.timedelta(hours=7)
