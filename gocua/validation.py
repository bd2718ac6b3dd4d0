"""Validation of the values a volunteer types and a device sends.

Every problem is a :class:`FieldError` naming the field by its wire name, with a message in
Vietnamese (for the app) and in English (for the server's ``"cccd: must be 12 digits"``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Province codes of the citizen ID (the 63 codes in use before the 2025 mergers; the codes in
# issued cards do not change when provinces merge).
PROVINCE_CODES: frozenset[str] = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033
    034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067
    068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)
# The fourth digit: century of birth and sex (even: male, odd: female).
_CENTURY_BY_DIGIT = {
    0: 1900,
    1: 1900,
    2: 2000,
    3: 2000,
    4: 2100,
    5: 2100,
    6: 2200,
    7: 2200,
    8: 1800,
    9: 1800,
}
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_SEPARATORS = re.compile(r"[\s.\-()]")
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
MIN_BIRTH_YEAR = 1890


@dataclass(frozen=True)
class FieldError(ValueError):
    field: str
    code: str
    message_en: str
    message_vi: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message_en}"

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class ValidationFailed(ValueError):
    """One or more fields are wrong; ``errors`` lists them all, in field order."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    def by_field(self) -> dict[str, FieldError]:
        return {e.field: e for e in self.errors}


def invalid(field: str, en: str, vi: str, code: str = "invalid_value") -> FieldError:
    return FieldError(field, code, en, vi)


# -- citizen id -------------------------------------------------------------------------------


def cccd_birth_year(cccd: str) -> int:
    return _CENTURY_BY_DIGIT[int(cccd[3])] + int(cccd[4:6])


def cccd_sex(cccd: str) -> str:
    return "m" if int(cccd[3]) % 2 == 0 else "f"


def normalize_cccd(value: str, field: str = "cccd") -> str:
    """Check the format and the province code; returns the 12 digits."""
    if not isinstance(value, str):
        raise invalid(field, "must be 12 digits", "Số CCCD phải gồm 12 chữ số")
    digits = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\d{12}", digits):
        raise invalid(field, "must be 12 digits", "Số CCCD phải gồm 12 chữ số")
    if digits[:3] not in PROVINCE_CODES:
        raise invalid(
            field,
            f"unknown province code {digits[:3]}",
            f"Mã tỉnh {digits[:3]} ở 3 số đầu của CCCD không tồn tại",
        )
    return digits


def check_cccd_consistency(
    cccd: str, birth_year: int | None, sex: str | None, field: str = "cccd"
) -> None:
    """The fourth to sixth digits must agree with the birth year and sex, when known."""
    if birth_year is not None and cccd_birth_year(cccd) != birth_year:
        raise invalid(
            field,
            f"digits 4-6 give birth year {cccd_birth_year(cccd)}, not {birth_year}",
            f"Số CCCD ứng với năm sinh {cccd_birth_year(cccd)}, không khớp năm sinh {birth_year}",
            code="inconsistent",
        )
    if sex in ("m", "f") and cccd_sex(cccd) != sex:
        said = "male" if cccd_sex(cccd) == "m" else "female"
        said_vi = "nam" if cccd_sex(cccd) == "m" else "nữ"
        raise invalid(
            field,
            f"digit 4 says {said}, which does not match sex",
            f"Số thứ 4 của CCCD ứng với giới tính {said_vi}, không khớp giới tính đã nhập",
            code="inconsistent",
        )


def validate_cccd(
    value: str, birth_year: int | None = None, sex: str | None = None, field: str = "cccd"
) -> str:
    cccd = normalize_cccd(value, field)
    check_cccd_consistency(cccd, birth_year, sex, field)
    return cccd


# -- phone ------------------------------------------------------------------------------------


def normalize_phone(value: str, field: str = "phone") -> str:
    """A Vietnamese phone number in the national form ``0xxxxxxxxx``; ``+84`` is accepted."""
    if not isinstance(value, str):
        raise invalid(field, "must be a Vietnamese phone number", "Số điện thoại không hợp lệ")
    digits = _SEPARATORS.sub("", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    raise invalid(
        field,
        "must be a Vietnamese phone number (10 digits starting with 0, or +84)",
        "Số điện thoại phải có 10 số, bắt đầu bằng 0 (hoặc +84)",
    )


# -- dates and periods ------------------------------------------------------------------------


def parse_birth_date(value: str, field: str = "birth_date", today: dt.date | None = None) -> str:
    """``YYYY-MM-DD`` or ``YYYY``, not in the future and not before 1890."""
    today = today or dt.date.today()
    message = invalid(
        field,
        "must be YYYY-MM-DD or YYYY",
        "Ngày sinh phải có dạng năm-tháng-ngày (YYYY-MM-DD) hoặc chỉ năm sinh (YYYY)",
    )
    if not isinstance(value, str):
        raise message
    if re.fullmatch(r"\d{4}", value):
        year, date = int(value), None
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            raise message from None
        year = date.year
    else:
        raise message
    if year < MIN_BIRTH_YEAR or (date or dt.date(year, 1, 1)) > today:
        raise invalid(
            field,
            "is in the future or too far in the past",
            "Ngày sinh không thể ở tương lai hoặc quá xa trong quá khứ",
        )
    return value


def birth_year_of(birth_date: str | None) -> int | None:
    return int(birth_date[:4]) if birth_date else None


def parse_date(value: str, field: str) -> str:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise invalid(field, "must be a date YYYY-MM-DD", "Ngày phải có dạng YYYY-MM-DD")


def parse_timestamp(value: str, field: str) -> str:
    """ISO 8601 with an offset (``2026-11-24T09:30:00+07:00``)."""
    try:
        stamp = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise invalid(
            field,
            "must be an ISO 8601 timestamp with offset",
            "Thời điểm phải có dạng ISO 8601 kèm múi giờ",
        )
    return value


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    start: dt.date
    end: dt.date  # inclusive


def parse_period(value: str, field: str = "period") -> Period:
    match = _PERIOD.match(value) if isinstance(value, str) else None
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise invalid(field, "must be YYYY or YYYY-Qn", "Kỳ phải có dạng YYYY hoặc YYYY-Qn")
    year = int(match.group(1))
    if match.group(2) is None:
        return Period(value, year, dt.date(year, 1, 1), dt.date(year, 12, 31))
    quarter = int(match.group(2))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return Period(value, year, start, end)


def current_period(today: dt.date | None = None) -> str:
    return str((today or dt.date.today()).year)
