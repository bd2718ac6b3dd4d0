"""Daily snapshots of the coverage tallies: progress over time, and rank changes since a date.

The tallies (:mod:`server.tallies`) answer for today. What a province reads as "Tiền An rose
from 157th to 1st in a year" needs yesterday's figures too, so once a day the tallies of every
province, commune and hamlet are kept (``tally_snapshots``: one row per day and area, its
figures ``{indicator: [eligible, covered]}`` as JSON, ages counted in that day's year). A day
is Vietnam's (UTC+7). The snapshot is taken by the first web view request of the day, or by
``gocua-server snapshot`` from cron (at 00:05, so that a day's row is its start); whichever
comes first writes it, the others find the day taken (``snapshot_days``). 270 MiB a year for
a province of 100 communes of 14 hamlets (bench_web).
"""

from __future__ import annotations

import datetime as dt
import json
import time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from gocua.dates import VN_TZ
from server import tallies
from server.db import run_transaction
from server.models import areas_t, snapshot_days_t, tally_snapshots_t

Figures = dict[str, tuple[int, int]]  # indicator -> (eligible, covered)


def today(now: float | None = None) -> dt.date:
    return dt.datetime.fromtimestamp(time.time() if now is None else now, VN_TZ).date()


def _insert(conn: Connection, table: sa.Table):
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def take(conn: Connection, day: dt.date) -> bool:
    """Keep the figures of every area as they are now, under ``day``; False when that day
    was kept already (by another request, another worker, or cron)."""
    if day.year < tallies.FLOOR_YEAR:
        raise ValueError(f"no snapshots before {tallies.FLOOR_YEAR}")
    claim = (
        _insert(conn, snapshot_days_t)
        .values(day=day.isoformat(), year=day.year, taken_at=time.time())
        .on_conflict_do_nothing(index_elements=["day"])
        .returning(snapshot_days_t.c.day)
    )
    if conn.execute(claim).first() is None:
        return False
    a = areas_t.c
    areas = {row.id: row for row in conn.execute(sa.select(a.id, a.kind, a.parent_id))}
    communes = [i for i, row in areas.items() if row.kind == "commune"]
    totals: dict[str, dict[str, list[int]]] = {
        i: {} for i, row in areas.items() if row.kind in ("province", "commune")
    }
    for (hamlet, code), (eligible, covered) in tallies.figures(conn, day.year, communes).items():
        node: str | None = hamlet
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            cell = totals.setdefault(node, {}).setdefault(code, [0, 0])
            cell[0] += eligible
            cell[1] += covered
            node = areas[node].parent_id if node in areas else None
    rows = [
        {"day": day.isoformat(), "area_id": area, "data": json.dumps(figures, sort_keys=True)}
        for area, figures in sorted(totals.items())
    ]
    for start in range(0, len(rows), 1000):
        conn.execute(sa.insert(tally_snapshots_t), rows[start : start + 1000])
    return True


def take_today(engine: Engine, now: float | None = None) -> bool:
    return run_transaction(engine, lambda conn: take(conn, today(now)))


def day_on_or_before(conn: Connection, day: dt.date) -> dt.date | None:
    """The latest day kept on or before ``day``."""
    found = conn.execute(
        sa.select(sa.func.max(snapshot_days_t.c.day)).where(
            snapshot_days_t.c.day <= day.isoformat()
        )
    ).scalar()
    return dt.date.fromisoformat(found) if found else None


def first_day(conn: Connection) -> dt.date | None:
    found = conn.execute(sa.select(sa.func.min(snapshot_days_t.c.day))).scalar()
    return dt.date.fromisoformat(found) if found else None


def _parse(data: str) -> Figures:
    return {code: (cell[0], cell[1]) for code, cell in json.loads(data).items()}


def figures_on(conn: Connection, day: dt.date, area_ids: list[str]) -> dict[str, Figures]:
    """The figures kept on exactly ``day`` for these areas (those the day has)."""
    if not area_ids:
        return {}
    s = tally_snapshots_t.c
    query = sa.select(s.area_id, s.data).where(s.day == day.isoformat(), s.area_id.in_(area_ids))
    return {area: _parse(data) for area, data in conn.execute(query)}


def series(conn: Connection, area_id: str) -> list[tuple[dt.date, Figures]]:
    """Every day kept for one area, oldest first."""
    s = tally_snapshots_t.c
    query = sa.select(s.day, s.data).where(s.area_id == area_id).order_by(s.day)
    return [(dt.date.fromisoformat(day), _parse(data)) for day, data in conn.execute(query)]
