"""Dates and times as every screen, export and report shows them: in Vietnam's time.

Vietnam keeps UTC+7 all year (no daylight saving), and communes count their days by it: a
visit logged at 23:30 on the 31st is the 31st's, wherever the laptop's clock is set. Stored
timestamps keep their own offset (the sync engine writes UTC, visits carry +07:00); they are
turned into Vietnam time only to be shown, always in one format:

- a day: ``dd/mm/yyyy`` (``24/11/2026``);
- a moment: ``dd/mm/yyyy HH:MM`` (``24/11/2026 09:30``).

Reading dates as lists and people write them:

Dates as Vietnamese lists and people write them: ``21/03/1985``, ``21-3-85``, ``1985``,
``1985-03-21``, ``ngày 21 tháng 3 năm 1985``, an Excel serial number (``31127``).

:func:`parse_date_vn` gives the form the store keeps: ``YYYY-MM-DD``, or ``YYYY`` when only the
year is known. It reads the date and nothing more: whether a birth date is in the future or
too old is :func:`gocua.validation.parse_birth_date`'s to say. :func:`read_date_vn` also tells
what it had to guess, for the importer's "repaired" notes.

Rules (day first, as in Vietnam):

* ``d/m/yyyy`` with ``/``, ``-`` or ``.`` (a time after it, as a text export writes, ignored);
  when the second number cannot be a month and the first can (``03/21/1985``, an English
  Excel's order), the two are swapped and the note says so.
* ``d/m/yy``: a two-digit year is the latest year ending in those digits that is not in the
  future (the last 100 years: in 2026, ``85`` is 1985 and ``05`` is 2005; ``26`` is 2026 up to
  today's date and 1926 after it). Dates here are birth dates and past events.
* ``yyyy``, ``yyyy-mm-dd`` (or ``/``, ``.``), ``m/yyyy`` (the store keeps the year only).
* ``ngày 21 tháng 3 năm 1985``, with or without accents.
* A five-digit number is an Excel serial date (days since 1899-12-30): 10000 is 1927-05-18,
  99999 is 2173-10-13. Four digits are a year, never a serial.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gocua.text import fold
from gocua.validation import FieldError, invalid

VN_TZ = dt.timezone(dt.timedelta(hours=7))
DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%d/%m/%Y %H:%M"
# The same day format in Qt's spelling, for date pickers.
QT_DATE_FORMAT = "dd/MM/yyyy"


def now_vn() -> dt.datetime:
    return dt.datetime.now(VN_TZ)


def parse_moment(value: str | dt.datetime | None) -> dt.datetime | None:
    """An ISO 8601 timestamp (``Z`` allowed) as an aware datetime; a naive one is UTC (how the
    sync bookkeeping wrote it); ``None`` when it is not a timestamp."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and len(value) > 10:
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def in_vietnam(value: str | dt.datetime) -> dt.datetime | None:
    moment = parse_moment(value)
    return None if moment is None else moment.astimezone(VN_TZ)


def time_text(value: str | dt.datetime | None) -> str:
    """A moment as shown: ``dd/mm/yyyy HH:MM`` in Vietnam time; ``""`` for none, the text
    itself when it is not a timestamp (shown rather than lost)."""
    if value is None or value == "":
        return ""
    moment = in_vietnam(value)
    if moment is None:
        return value if isinstance(value, str) else str(value)
    return moment.strftime(TIME_FORMAT)


def date_text(value: str | dt.date | dt.datetime | None) -> str:
    """A day as shown: ``dd/mm/yyyy``. A timestamp gives its day in Vietnam time; a
    ``YYYY-MM-DD`` text or a date is that day; ``""`` for none, other text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) or (isinstance(value, str) and len(value) > 10):
        moment = in_vietnam(value)
        if moment is None:
            return str(value)
        return moment.strftime(DATE_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    try:
        return dt.date.fromisoformat(value).strftime(DATE_FORMAT)
    except ValueError:
        return value


# -- reading dates as people write them ----------------------------------------------------------


EXCEL_EPOCH = dt.date(1899, 12, 30)
_SEP = r"[/.\-]"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}}){_TIME}")
_YMD = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}){_TIME}")
_MY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{4}})")
_YEAR = re.compile(r"\d{4}")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_WORDS = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4}|\d{2})")


@dataclass(frozen=True)
class ReadDate:
    value: str  # "YYYY-MM-DD" or "YYYY"
    note_vi: str | None = None  # what was guessed, when something was


def excel_serial_to_date(serial: float) -> dt.date:
    """The day an Excel serial number stands for (the 1900 system, as Excel on Windows)."""
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def date_to_excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def two_digit_year(
    yy: int, month: int = 1, day: int = 1, today: dt.date | None = None, ahead: bool = False
) -> int:
    """The latest year ending in ``yy`` whose date (``month``/``day``) is not after today; with
    ``ahead`` (an appointment, not a birth), the year ending in ``yy`` nearest to today."""
    today = today or dt.date.today()
    if ahead:
        return today.year + (yy - today.year + 50) % 100 - 50
    year = today.year - (today.year - yy) % 100
    try:
        future = dt.date(year, month, day) > today
    except ValueError:  # 29 February of a year that has none: decided by the year alone
        future = year > today.year
    return year - 100 if future else year


def _bad(text: str, field: str) -> FieldError:
    return invalid(
        field,
        f"date {text!r} not understood; write day/month/year or the year",
        f"Không đọc được ngày “{text}”: hãy ghi ngày/tháng/năm (21/03/1985) hoặc chỉ năm (1985)",
    )


def _checked(year: int, month: int, day: int, text: str, field: str) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise invalid(
            field,
            f"no such date {text!r}",
            f"Ngày “{text}” không có trên lịch (ngày hoặc tháng sai)",
        ) from None


def read_date_vn(
    text: str, *, today: dt.date | None = None, field: str = "date", ahead: bool = False
) -> ReadDate:
    """The date ``text`` names and what had to be guessed; :class:`FieldError` if none."""
    if not isinstance(text, str):
        raise _bad(str(text), field)
    shown = " ".join(text.split())
    cleaned = shown.lstrip("'").strip()
    folded = fold(cleaned).removeprefix("ngay ").strip()
    if _YEAR.fullmatch(folded):
        return ReadDate(folded)
    if match := _YMD.fullmatch(folded):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return ReadDate(_checked(year, month, day, shown, field))
    if (match := _DMY.fullmatch(folded)) or (match := _WORDS.fullmatch(folded)):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
        notes = []
        if month > 12 and day <= 12:
            day, month = month, day
            notes.append(f"hiểu là ngày {day} tháng {month} (tháng ghi trước ngày)")
        year = int(year_text)
        if len(year_text) == 2:
            year = two_digit_year(year, month, day, today, ahead=ahead)
            notes.append(f"năm “{year_text}” hiểu là {year}")
        value = _checked(year, month, day, shown, field)
        return ReadDate(value, "; ".join(notes) or None)
    if match := _MY.fullmatch(folded):
        if not 1 <= int(match[1]) <= 12:
            raise _bad(shown, field)
        return ReadDate(match[2], f"chỉ có tháng và năm ({shown}): lưu năm {match[2]}")
    if _SERIAL.fullmatch(folded):
        day = excel_serial_to_date(float(folded))
        return ReadDate(day.isoformat(), f"số {folded.split('.')[0]} là ngày kiểu Excel")
    raise _bad(shown, field)


def parse_date_vn(
    text: str, *, today: dt.date | None = None, field: str = "date", ahead: bool = False
) -> str:
    """``YYYY-MM-DD`` or ``YYYY`` from a date as Vietnamese people write it (see the module);
    ``ahead``: a date to come (a follow-up), so ``21/3/27`` is 2027, not 1927."""
    return read_date_vn(text, today=today, field=field, ahead=ahead).value
