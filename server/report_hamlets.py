"""Hamlets as a report of one period sees them, after merges and splits.

Today's figures stand under today's hamlets; a period that has ended is still read under the
hamlets of its time:

- A period (``YYYY`` or ``YYYY-Qn``) starts at its first day's midnight and ends at the
  midnight after its last day, Vietnam time (UTC+7): communes report by their own calendar.
- For a period that has ended, a hamlet has rows when it was not yet retired at the period's
  start and existed before its end (``created_at`` null: always existed), and each household
  counts in the hamlet it was in at the period's end: the ``before`` value of the earliest
  change of its ``hamlet_id`` after that moment (the ``history`` table), else its hamlet now.
- For the current period (and a future one), the live hamlets, each household in its hamlet
  now.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gocua.dates import VN_TZ
from gocua.validation import Period
from server.models import history_t, records_t


@dataclass(frozen=True)
class Window:
    start: float  # Unix seconds
    end: float
    ended: bool


def window(period: Period, now: float) -> Window:
    start = dt.datetime.combine(period.start, dt.time(), VN_TZ).timestamp()
    after_last_day = period.end + dt.timedelta(days=1)
    end = dt.datetime.combine(after_last_day, dt.time(), VN_TZ).timestamp()
    return Window(start, end, now >= end)


def shown(hamlet: dict, w: Window) -> bool:
    """Whether a hamlet (an ``areas`` row as a dict) has rows in the period's report."""
    if not w.ended:
        return hamlet["retired_at"] is None
    if hamlet["retired_at"] is not None and hamlet["retired_at"] <= w.start:
        return False
    return hamlet["created_at"] is None or hamlet["created_at"] < w.end


def _seconds(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def hamlets_at_end(conn: Connection, hamlets: list[str], end: float) -> dict[str, str]:
    """Household id -> the hamlet it was in at ``end``, for the households now in
    ``hamlets`` whose hamlet has changed since (the others are where they are now)."""
    if not hamlets:
        return {}
    h, r = history_t.c, records_t.c
    # ``at`` is ISO 8601 text whose fractional seconds come and go, so text only narrows it
    # to the right day and the moment is compared in Python.
    day = dt.datetime.fromtimestamp(end, dt.UTC).date().isoformat()
    query = (
        sa.select(h.row_id, h.at, h.version, h.before)
        .select_from(history_t.join(records_t, sa.and_(r.tbl == h.tbl, r.id == h.row_id)))
        .where(
            h.tbl == "households",
            r.scope_area.in_(hamlets),
            h.at >= day,
            h.before.like('%"hamlet_id"%'),
        )
    )
    earliest: dict[str, tuple[float, int, str]] = {}
    for row_id, at, version, before in conn.execute(query):
        moment = _seconds(at)
        if moment < end:
            continue
        old = json.loads(before).get("hamlet_id")
        if old is None:
            continue
        key = (moment, version, old)
        if row_id not in earliest or key < earliest[row_id]:
            earliest[row_id] = key
    return {row_id: key[2] for row_id, key in earliest.items()}
