"""CCCD, phone, date and period validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gocua import validation
from gocua.validation import (
    PROVINCE_CODES,
    FieldError,
    ValidationFailed,
    cccd_birth_year,
    cccd_sex,
    normalize_cccd,
    normalize_phone,
    parse_birth_date,
    parse_date,
    parse_period,
    parse_timestamp,
    validate_cccd,
)

# The fourth digit of a CCCD by century of birth, male first (circular 07/2016/TT-BCA, and the
# project's choice of 8/9 for people born 1890-1899).
CENTURY_DIGITS = {1800: (8, 9), 1900: (0, 1), 2000: (2, 3), 2100: (4, 5), 2200: (6, 7)}
SORTED_CODES = sorted(PROVINCE_CODES)
UNKNOWN_CODES = sorted({f"{n:03d}" for n in range(1000)} - PROVINCE_CODES)


def make_cccd(province: str, year: int, sex: str, serial: int) -> str:
    male, female = CENTURY_DIGITS[year // 100 * 100]
    digit = male if sex == "m" else female
    return f"{province}{digit}{year % 100:02d}{serial:06d}"


@st.composite
def cccds(draw) -> tuple[str, int, str]:
    province = draw(st.sampled_from(SORTED_CODES))
    year = draw(st.integers(1800, 2299))
    sex = draw(st.sampled_from(["m", "f"]))
    serial = draw(st.integers(0, 999_999))
    return make_cccd(province, year, sex, serial), year, sex


def assert_error(excinfo, field: str, code: str) -> FieldError:
    error = excinfo.value
    assert isinstance(error, FieldError)
    assert (error.field, error.code) == (field, code)
    assert str(error).startswith(f"{field}: ")
    assert error.message("vi") and error.message("en") == error.message_en
    return error


# -- CCCD ---------------------------------------------------------------------------------------


def test_province_codes_are_the_63_provinces():
    assert len(PROVINCE_CODES) == 63
    assert {"001", "079", "092", "096"} <= PROVINCE_CODES  # Hà Nội, HCMC, Cần Thơ, Cà Mau
    assert all(len(c) == 3 and c.isdigit() for c in PROVINCE_CODES)


@settings(deadline=None, max_examples=150)
@given(cccds())
def test_generated_cccd_passes_and_round_trips(case):
    cccd, year, sex = case
    assert validate_cccd(cccd, birth_year=year, sex=sex) == cccd
    assert cccd_birth_year(cccd) == year
    assert cccd_sex(cccd) == sex


@settings(deadline=None, max_examples=50)
@given(cccds())
def test_cccd_with_separators_normalises_to_digits(case):
    cccd = case[0]
    spaced = f" {cccd[:3]} {cccd[3:6]}.{cccd[6:9]}-{cccd[9:]} "
    assert normalize_cccd(spaced) == cccd


def test_known_cccd():
    # 079 (HCMC), 3 = female born in the 2000s, 05 = 2005.
    assert cccd_birth_year("079305001234") == 2005
    assert cccd_sex("079305001234") == "f"
    assert cccd_birth_year("001088001234") == 1988
    assert cccd_sex("001088001234") == "m"


@settings(deadline=None, max_examples=80)
@given(cccds(), st.integers(1, 11))
def test_cccd_of_wrong_length_fails(case, length):
    cccd = case[0]
    short = cccd[:length]
    with pytest.raises(FieldError) as excinfo:
        normalize_cccd(short)
    assert_error(excinfo, "cccd", "invalid_value")
    with pytest.raises(FieldError) as excinfo:
        normalize_cccd(cccd + cccd[:length])
    assert_error(excinfo, "cccd", "invalid_value")


@settings(deadline=None, max_examples=80)
@given(cccds(), st.integers(0, 11), st.sampled_from("aOxZ#/"))
def test_cccd_with_a_letter_fails(case, position, letter):
    cccd = case[0]
    bad = cccd[:position] + letter + cccd[position + 1 :]
    with pytest.raises(FieldError) as excinfo:
        normalize_cccd(bad)
    assert_error(excinfo, "cccd", "invalid_value")


@settings(deadline=None, max_examples=80)
@given(cccds(), st.sampled_from(UNKNOWN_CODES))
def test_cccd_with_unknown_province_fails(case, code):
    bad = code + case[0][3:]
    with pytest.raises(FieldError) as excinfo:
        normalize_cccd(bad)
    error = assert_error(excinfo, "cccd", "invalid_value")
    assert code in error.message_en


@settings(deadline=None, max_examples=80)
@given(cccds(), st.integers(1890, 2100))
def test_cccd_with_mismatched_birth_year_fails(case, other_year):
    cccd, year, sex = case
    if other_year == year:
        other_year += 1
    with pytest.raises(FieldError) as excinfo:
        validate_cccd(cccd, birth_year=other_year, sex=sex)
    error = assert_error(excinfo, "cccd", "inconsistent")
    assert str(year) in error.message_en and str(other_year) in error.message_en


@settings(deadline=None, max_examples=50)
@given(cccds())
def test_cccd_with_mismatched_sex_fails(case):
    cccd, year, sex = case
    other = "f" if sex == "m" else "m"
    with pytest.raises(FieldError) as excinfo:
        validate_cccd(cccd, birth_year=year, sex=other)
    assert_error(excinfo, "cccd", "inconsistent")


@settings(deadline=None, max_examples=30)
@given(cccds())
def test_cccd_unknown_birth_year_or_sex_is_not_an_error(case):
    cccd = case[0]
    assert validate_cccd(cccd) == cccd
    assert validate_cccd(cccd, birth_year=None, sex=None) == cccd


@pytest.mark.parametrize("value", [None, 79305001234, ["079305001234"]])
def test_cccd_not_a_string_fails(value):
    with pytest.raises(FieldError) as excinfo:
        normalize_cccd(value)
    assert_error(excinfo, "cccd", "invalid_value")


def test_cccd_error_uses_the_given_field_name():
    with pytest.raises(FieldError) as excinfo:
        validate_cccd("123", field="id_card")
    assert excinfo.value.field == "id_card"


# -- phone --------------------------------------------------------------------------------------

MOBILE_PREFIXES = ("3", "5", "7", "8", "9")


@st.composite
def mobiles(draw) -> str:
    """A national mobile number 0xxxxxxxxx."""
    return (
        "0"
        + draw(st.sampled_from(MOBILE_PREFIXES))
        + draw(st.text("0123456789", min_size=8, max_size=8))
    )


def spell(national: str, draw_style: int) -> str:
    """National 0xxxxxxxxx written the ways people write it."""
    rest = national[1:]
    return [
        national,
        "+84" + rest,
        "84" + rest,
        "+84 " + " ".join([rest[:3], rest[3:6], rest[6:]]),
        ".".join([national[:4], national[4:7], national[7:]]),
        f"({national[:4]}) {national[4:7]}-{national[7:]}",
        " 84 " + rest + " ",
    ][draw_style]


@settings(deadline=None, max_examples=120)
@given(mobiles(), st.integers(0, 6))
def test_phone_spellings_normalise_to_national_form(national, style):
    assert normalize_phone(spell(national, style)) == national


@settings(deadline=None, max_examples=40)
@given(st.text("0123456789", min_size=9, max_size=9))
def test_landline_normalises(rest):
    national = "02" + rest
    assert len(national) == 11
    assert normalize_phone(national) == national
    assert normalize_phone("+84 " + national[1:]) == national
    assert normalize_phone("84" + national[1:]) == national


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "abc",
        "hello 0912345678",
        "0912 345 67",  # 9 digits
        "09123456789",  # 11-digit mobile
        "0112345678",  # 01x is not a prefix any more
        "0412345678",
        "1912345678",
        "+1 555 123 4567",
        "+84",
        "84912",
        "0912-345-67x",
        "0912345678 ext 12",
    ],
)
def test_garbage_phone_is_rejected(garbage):
    with pytest.raises(FieldError) as excinfo:
        normalize_phone(garbage)
    assert_error(excinfo, "phone", "invalid_value")


@settings(deadline=None, max_examples=100)
@given(st.text(max_size=20))
def test_phone_result_is_always_national_form(text):
    try:
        phone = normalize_phone(text)
    except FieldError as error:
        assert error.field == "phone"
        return
    assert phone.isdigit() and phone.startswith("0") and len(phone) in (10, 11)
    assert normalize_phone(phone) == phone


def test_phone_not_a_string_fails():
    with pytest.raises(FieldError):
        normalize_phone(912345678)


# -- dates, timestamps, periods -------------------------------------------------------------------

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("value", ["1950", "1950-02-28", "2024-02-29", "1890", "2026-11-24"])
def test_birth_date_accepts(value):
    assert parse_birth_date(value, today=TODAY) == value


@pytest.mark.parametrize(
    "value", ["1950-02-30", "1950-2-3", "50", "1950/02/03", "", "2023-02-29", 1950, None]
)
def test_birth_date_rejects_malformed(value):
    with pytest.raises(FieldError) as excinfo:
        parse_birth_date(value, today=TODAY)
    assert_error(excinfo, "birth_date", "invalid_value")
    assert "YYYY" in excinfo.value.message_en


@pytest.mark.parametrize("value", ["2026-11-25", "2027", "1889", "1889-12-31"])
def test_birth_date_rejects_future_and_ancient(value):
    with pytest.raises(FieldError) as excinfo:
        parse_birth_date(value, today=TODAY)
    assert "future" in excinfo.value.message_en


def test_birth_year_of():
    assert validation.birth_year_of("1950-02-03") == 1950
    assert validation.birth_year_of("1950") == 1950
    assert validation.birth_year_of(None) is None
    assert validation.birth_year_of("") is None


@pytest.mark.parametrize("value", ["2026-11-24", "2024-02-29"])
def test_parse_date_accepts(value):
    assert parse_date(value, "follow_up_on") == value


@pytest.mark.parametrize(
    "value", ["2026-13-01", "2023-02-29", "2026-11-24T10:00", "24/11/2026", None]
)
def test_parse_date_rejects(value):
    with pytest.raises(FieldError) as excinfo:
        parse_date(value, "follow_up_on")
    assert excinfo.value.field == "follow_up_on"


@pytest.mark.parametrize(
    "value", ["2026-11-24T09:30:00+07:00", "2026-11-24T02:30:00+00:00", "2026-11-24T02:30:00Z"]
)
def test_timestamp_with_offset_accepted(value):
    assert parse_timestamp(value, "visited_at") == value


@pytest.mark.parametrize("value", ["2026-11-24T09:30:00", "2026-11-24", "yesterday", "", None, 5])
def test_timestamp_without_offset_rejected(value):
    with pytest.raises(FieldError) as excinfo:
        parse_timestamp(value, "visited_at")
    assert excinfo.value.field == "visited_at"


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ],
)
def test_period_bounds(code, start, end):
    period = parse_period(code)
    assert (period.code, period.year, period.start, period.end) == (code, start.year, start, end)


@settings(deadline=None, max_examples=60)
@given(st.integers(2000, 2100))
def test_quarters_tile_the_year(year):
    quarters = [parse_period(f"{year}-Q{q}") for q in range(1, 5)]
    whole = parse_period(str(year))
    assert quarters[0].start == whole.start and quarters[-1].end == whole.end
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert after.start - before.end == dt.timedelta(days=1)
    assert sum((q.end - q.start).days + 1 for q in quarters) == (whole.end - whole.start).days + 1


@pytest.mark.parametrize(
    "value", ["2026-Q0", "2026-Q5", "2026Q1", "2026-q1", "26", "1999", "2101", "2026-01", "", None]
)
def test_bad_period_rejected(value):
    with pytest.raises(FieldError) as excinfo:
        parse_period(value)
    assert_error(excinfo, "period", "invalid_value")


def test_current_period_is_the_year():
    assert validation.current_period(TODAY) == "2026"


def test_validation_failed_lists_every_error():
    errors = [
        validation.invalid("cccd", "bad", "sai"),
        validation.invalid("phone", "bad", "sai"),
    ]
    failure = ValidationFailed(errors)
    assert failure.errors == errors
    assert set(failure.by_field()) == {"cccd", "phone"}
    assert str(failure) == "cccd: bad; phone: bad"
