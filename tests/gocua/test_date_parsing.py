"""gocua.dates: reading the date forms Vietnamese lists use, by property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gocua.dates import (
    date_to_excel_serial,
    excel_serial_to_date,
    parse_date_vn,
    read_date_vn,
    two_digit_year,
)
from gocua.validation import FieldError

TODAY = dt.date(2026, 11, 24)
days = st.dates(min_value=dt.date(1890, 1, 1), max_value=TODAY)
separators = st.sampled_from(["/", "-", "."])


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(days, separators, st.booleans(), st.booleans())
def test_day_first_with_any_separator_and_padding(day, sep, pad_day, pad_month):
    d = f"{day.day:02d}" if pad_day else str(day.day)
    m = f"{day.month:02d}" if pad_month else str(day.month)
    text = f"{d}{sep}{m}{sep}{day.year}"
    assert parse_date_vn(text, today=TODAY) == day.isoformat()
    assert parse_date_vn(f"  {text} 00:00:00 ", today=TODAY) == day.isoformat()
    assert parse_date_vn(f"ngày {day.day} tháng {day.month} năm {day.year}", today=TODAY) == (
        day.isoformat()
    )


@settings(deadline=None)
@given(days, separators)
def test_iso_and_year_first(day, sep):
    text = f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}"
    assert parse_date_vn(text, today=TODAY) == day.isoformat()
    assert read_date_vn(day.isoformat(), today=TODAY).note_vi is None


@settings(deadline=None)
@given(st.integers(1000, 9999))
def test_a_year_alone_stays_a_year(year):
    assert parse_date_vn(str(year), today=TODAY) == str(year)
    assert parse_date_vn(f"'{year}", today=TODAY) == str(year)


@settings(deadline=None)
@given(st.dates(min_value=TODAY.replace(year=TODAY.year - 99), max_value=TODAY))
def test_two_digit_years_are_the_last_hundred_years(day):
    """d/m/yy names the latest such date that is not in the future."""
    text = f"{day.day}/{day.month}/{day.year % 100:02d}"
    found = read_date_vn(text, today=TODAY)
    assert found.value == day.isoformat()
    assert f"hiểu là {day.year}" in found.note_vi


def test_two_digit_year_pivot_at_today():
    assert two_digit_year(26, 11, 24, TODAY) == 2026  # today itself
    assert two_digit_year(26, 11, 25, TODAY) == 1926  # tomorrow would be the future
    assert two_digit_year(85, today=TODAY) == 1985
    assert two_digit_year(5, today=TODAY) == 2005
    assert parse_date_vn("21/3/85", today=TODAY) == "1985-03-21"


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1927, 5, 18), max_value=dt.date(2173, 10, 13)))
def test_excel_serials(day):
    serial = date_to_excel_serial(day)
    assert excel_serial_to_date(serial) == excel_serial_to_date(float(serial)) == day
    found = read_date_vn(str(serial), today=TODAY)
    assert found.value == day.isoformat() and "Excel" in found.note_vi
    assert parse_date_vn(f"{serial}.0", today=TODAY) == day.isoformat()


@settings(deadline=None)
@given(days)
def test_month_first_is_swapped_only_when_it_cannot_be_day_first(day):
    assume(day.day > 12)
    found = read_date_vn(f"{day.month:02d}/{day.day:02d}/{day.year}", today=TODAY)
    assert found.value == day.isoformat() and "tháng ghi trước" in found.note_vi


def test_month_and_year_keep_the_year():
    found = read_date_vn("03/1985", today=TODAY)
    assert found.value == "1985" and "lưu năm 1985" in found.note_vi


@settings(deadline=None)
@given(st.text(max_size=20))
def test_anything_else_is_a_field_error_never_another_exception(text):
    try:
        value = parse_date_vn(text, today=TODAY, field="birth_date")
    except FieldError as error:
        assert error.field == "birth_date" and error.message_vi
    else:
        assert len(value) in (4, 10)
        if len(value) == 10:
            dt.date.fromisoformat(value)


@pytest.mark.parametrize("text", ["32/01/1985", "29/02/1985", "0/3/1985", "13/13/1985"])
def test_impossible_dates_are_refused_in_vietnamese(text):
    with pytest.raises(FieldError) as refused:
        parse_date_vn(text, today=TODAY, field="birth_date")
    assert "không có trên lịch" in refused.value.message_vi


@pytest.mark.parametrize("text", ["", "abc", "21/03", "1985-3", "21 03 1985", "12345678"])
def test_unreadable_text_says_how_to_write_a_date(text):
    with pytest.raises(FieldError) as refused:
        parse_date_vn(text, today=TODAY)
    assert "ngày/tháng/năm" in refused.value.message_vi


@given(st.integers(0, 99), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 1, 1)))
def test_an_appointments_two_digit_year_is_the_nearest_one(yy, today):
    year = two_digit_year(yy, today=today, ahead=True)
    assert year % 100 == yy and abs(year - today.year) <= 50


def test_a_follow_up_typed_with_two_digits_is_ahead_a_birth_behind():
    today = dt.date(2026, 12, 6)
    assert parse_date_vn("21/3/27", today=today, ahead=True) == "2027-03-21"
    assert parse_date_vn("21/3/27", today=today) == "1927-03-21"
    assert parse_date_vn("5/1/26", today=today, ahead=True) == "2026-01-05"
