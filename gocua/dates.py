"""Dates and times as every screen, export and report shows them: in Vietnam's time.

Vietnam keeps UTC+7 all year (no daylight saving), and communes count their days by it: a
visit logged at 23:30 on the 31st is the 31st's, wherever the laptop's clock is set. Stored
timestamps keep their own offset (the sync engine writes UTC, visits carry +07:00); they are
turned into Vietnam time only to be shown, always in one format:

- a day: ``dd/mm/yyyy`` (``24/11/2026``);
- a moment: ``dd/mm/yyyy HH:MM`` (``24/11/2026 09:30``).
"""

from __future__ import annotations

import datetime as dt

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
